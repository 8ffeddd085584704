"""The huey queue class of the default setup: SQLite in the data directory, created when missing.

Named in ``settings.HUEY["huey_class"]``; imported while Django loads its apps, so it must
not import models.
"""

from pathlib import Path

from huey import SqliteHuey


class DataDirSqliteHuey(SqliteHuey):
    def __init__(self, name="huey", filename="huey.db", **kwargs):
        Path(filename).parent.mkdir(parents=True, exist_ok=True)
        super().__init__(name, filename=filename, **kwargs)
