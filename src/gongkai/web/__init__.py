"""The Django site: agencies and people, applications (cases), appeals, registers, annual reports.

The pure packages (``gongkai.report``, ``gongkai.workdays``, ``gongkai.ledger``) never import
this one; views and services here turn rows into plain values and call them.
"""

import os


def setup(settings_module: str = "gongkai.web.settings") -> None:
    """Configure Django for use outside manage.py (the ``gongkai`` command)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django

    django.setup()
