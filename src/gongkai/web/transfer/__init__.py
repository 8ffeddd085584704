"""Ways out of and back into the site, for the operator at the command line.

* ``graph.py``: which models hold an agency's records (walked from ``Agency`` along foreign keys);
* ``export.py`` / ``load.py``: one agency as an archive of JSON Lines plus files, and back
  (the format is documented in ``docs/export.md``);
* ``backup.py``: the whole database, online and consistent (SQLite backup API, ``pg_dump``), and its restore;
* ``models.py``: the audit record of each export and import (an export holds personal data).
"""
