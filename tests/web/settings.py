"""Test settings: the site's settings with a fixed secret key and a fast password hasher."""

import os

os.environ.setdefault("GONGKAI_SECRET_KEY", "tests-only-secret-key-not-for-production")

from gongkai.web.settings import *  # noqa: E402,F403
from gongkai.web.settings import PASSWORD_HASHERS as SITE_PASSWORD_HASHERS  # noqa: E402

# Argon2 is deliberately slow; tests that log in many times use MD5. test_security checks the site's order.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *SITE_PASSWORD_HASHERS]
SECURE_SSL_REDIRECT = False

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    import tempfile
    from pathlib import Path

    # A file, not Django's default in-memory test database: threads then share it the way the
    # site's requests share the real SQLite file (WAL, write lock at BEGIN, waiting for it), so
    # the concurrency tests run on SQLite as well as on PostgreSQL. One file per process (xdist).
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"gongkai-test-{os.getpid()}.sqlite3")}
