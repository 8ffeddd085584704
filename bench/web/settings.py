"""The site's production settings, served over plain HTTP on 127.0.0.1 for the benchmark."""

from gongkai.web.settings import *  # noqa: F403

ROOT_URLCONF = "urls"  # bench/web/urls.py: the site plus the bare baseline view
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
