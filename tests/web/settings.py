"""Test settings: the site's settings with a fixed secret key and a fast password hasher."""

import os

os.environ.setdefault("GONGKAI_SECRET_KEY", "tests-only-secret-key-not-for-production")

from gongkai.web.settings import *  # noqa: E402,F403
from gongkai.web.settings import PASSWORD_HASHERS as SITE_PASSWORD_HASHERS  # noqa: E402

# Argon2 is deliberately slow; tests that log in many times use MD5. test_security checks the site's order.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *SITE_PASSWORD_HASHERS]
SECURE_SSL_REDIRECT = False
