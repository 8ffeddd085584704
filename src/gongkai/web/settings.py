"""Settings of the gongkai site.

Environment: ``GONGKAI_DEBUG`` (1 for development), ``GONGKAI_SECRET_KEY`` (required unless
debugging), ``GONGKAI_DATA_DIR`` (default ``./var``; the SQLite file lives there),
``DATABASE_URL`` (e.g. ``postgres://user:pass@127.0.0.1:5432/gongkai``), ``GONGKAI_ALLOWED_HOSTS``
(comma separated).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

DEBUG = os.environ.get("GONGKAI_DEBUG", "") in ("1", "true", "yes")
DATA_DIR = Path(os.environ.get("GONGKAI_DATA_DIR", Path.cwd() / "var")).resolve()

SECRET_KEY = os.environ.get("GONGKAI_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("请设置环境变量 GONGKAI_SECRET_KEY（仅在 GONGKAI_DEBUG=1 时可省略）")
    SECRET_KEY = "gongkai-dev-only-insecure-key"  # noqa: S105 — development fallback, refused without DEBUG

ALLOWED_HOSTS = [h for h in os.environ.get("GONGKAI_ALLOWED_HOSTS", "").split(",") if h]
if DEBUG:
    ALLOWED_HOSTS += ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "rules",
    "ninja",  # the API's OpenAPI docs page (templates, static)
    "gongkai.web.agencies",
    "gongkai.web.cases",
    "gongkai.web.appeals",
    "gongkai.web.registers",
    "gongkai.web.annual",
    "huey.contrib.djhuey",
    "gongkai.web.reminders",
    "gongkai.web.schedules",
    "gongkai.web.disclosure",
    "gongkai.web.portal",
    "gongkai.web.public",
    "gongkai.web.staff",
    "gongkai.web.supervision",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "gongkai.web.urls"
WSGI_APPLICATION = "gongkai.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'gongkai.sqlite3'}",
        conn_max_age=int(os.environ.get("GONGKAI_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several requests at once on one SQLite file: a transaction takes the write lock when it begins
    # (no "database is locked" when two readers both try to write), waits up to 20 s for it, and
    # WAL lets pages be read while a form is being saved.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "transaction_mode": "IMMEDIATE", "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2 first: new and re-hashed passwords use it; older hashes still verify.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Lock-out wraps Django's model backend; ``rules`` answers object permissions (cases/rules.py).
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "gongkai.web.agencies.lockout.LockoutModelBackend",
]
# Lock-out: this many failed logins for one username within the window lock it for LOCK_MINUTES.
GONGKAI_LOGIN_MAX_FAILURES = int(os.environ.get("GONGKAI_LOGIN_MAX_FAILURES", "5"))
GONGKAI_LOGIN_LOCK_MINUTES = int(os.environ.get("GONGKAI_LOGIN_LOCK_MINUTES", "15"))

# Applications received by letter, in person or by fax are registered within this many working days.
GONGKAI_REGISTRATION_WORKING_DAYS = int(os.environ.get("GONGKAI_REGISTRATION_WORKING_DAYS", "2"))

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"

# Secure defaults; development over plain http on 127.0.0.1 relaxes only the cookie/HTTPS flags.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = not DEBUG and os.environ.get("GONGKAI_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = 0 if DEBUG else 31536000
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = 8 * 3600

# Background jobs (huey): SQLite in the data dir by default, Redis when GONGKAI_HUEY_REDIS_URL is set.
# Run the worker with ``python -m gongkai.web.manage run_huey``; tests switch HUEY to immediate mode.
if os.environ.get("GONGKAI_HUEY_REDIS_URL"):
    HUEY = {"huey_class": "huey.RedisHuey", "name": "gongkai", "url": os.environ["GONGKAI_HUEY_REDIS_URL"],
            "immediate": False}
else:
    HUEY = {"huey_class": "gongkai.web.reminders.queue.DataDirSqliteHuey", "name": "gongkai", "filename": str(DATA_DIR / "huey.sqlite3"),
            "immediate": False}
# Reminders: an application is "due soon" this many working days before its reply is due.
GONGKAI_REMINDER_DUE_WITHIN = int(os.environ.get("GONGKAI_REMINDER_DUE_WITHIN", "3"))
DEFAULT_FROM_EMAIL = os.environ.get("GONGKAI_FROM_EMAIL", "gongkai@localhost")
EMAIL_HOST = os.environ.get("GONGKAI_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("GONGKAI_EMAIL_PORT", "25"))
