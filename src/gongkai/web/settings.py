"""Settings of the gongkai site.

Environment: ``GONGKAI_DEBUG`` (1 for development), ``GONGKAI_SECRET_KEY`` (required unless
debugging), ``GONGKAI_DATA_DIR`` (default ``./var``; the SQLite file lives there),
``DATABASE_URL`` (e.g. ``postgres://user:pass@127.0.0.1:5432/gongkai``), ``GONGKAI_ALLOWED_HOSTS``
(comma separated); behind a TLS proxy ``GONGKAI_PROXY_SSL_HEADER``, ``GONGKAI_CSRF_TRUSTED_ORIGINS``
and ``GONGKAI_CLIENT_ADDRESS_HEADER`` (README, "Behind a TLS proxy").
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from gongkai.web.csp import DEFAULT_POLICY as DEFAULT_CSP

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
    "gongkai.web.transfer",
    "gongkai.web.supervision",
    "gongkai.web.charts",
    "gongkai.web.explorer",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "gongkai.web.csp.ContentSecurityPolicyMiddleware",
    "gongkai.web.upload_limits.UploadLimitsMiddleware",  # before anything reads the request body
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
# Lock-out (agencies/lockout.py): this many failed logins of one username from one address, or of
# any usernames from one address, lock that pair or that address for LOCK_MINUTES.
GONGKAI_LOGIN_MAX_FAILURES = int(os.environ.get("GONGKAI_LOGIN_MAX_FAILURES", "5"))
GONGKAI_LOGIN_MAX_FAILURES_PER_ADDRESS = int(os.environ.get("GONGKAI_LOGIN_MAX_FAILURES_PER_ADDRESS", "30"))
GONGKAI_LOGIN_LOCK_MINUTES = int(os.environ.get("GONGKAI_LOGIN_LOCK_MINUTES", "15"))
# Behind a TLS proxy: the header in which the proxy passes the client's address (X-Forwarded-For),
# so per-address limits count clients, not the proxy (web/client_address.py).
GONGKAI_CLIENT_ADDRESS_HEADER = os.environ.get("GONGKAI_CLIENT_ADDRESS_HEADER", "")

# The public form: at most this many new applications from one address within the window (staff
# registration is not limited); public/throttle.py.
GONGKAI_PUBLIC_APPLICATIONS_PER_ADDRESS = int(os.environ.get("GONGKAI_PUBLIC_APPLICATIONS_PER_ADDRESS", "10"))
GONGKAI_PUBLIC_APPLICATION_WINDOW_MINUTES = int(os.environ.get("GONGKAI_PUBLIC_APPLICATION_WINDOW_MINUTES", "60"))

# After a lost response, the same public form posted again shows its query code for this long
# (kept sealed meanwhile; public/sealing.py).
GONGKAI_QUERY_CODE_RESHOW_MINUTES = int(os.environ.get("GONGKAI_QUERY_CODE_RESHOW_MINUTES", "120"))

# Uploads (web/upload_limits.py): one request's body, rows of one imported sheet, bytes unpacked
# from one ZIP (XLSX, DOCX, attachment archive), files in one request.
GONGKAI_UPLOAD_MAX_MB = int(os.environ.get("GONGKAI_UPLOAD_MAX_MB", "100"))
GONGKAI_IMPORT_MAX_ROWS = int(os.environ.get("GONGKAI_IMPORT_MAX_ROWS", "10000"))
GONGKAI_IMPORT_MAX_UNCOMPRESSED_MB = int(os.environ.get("GONGKAI_IMPORT_MAX_UNCOMPRESSED_MB", "200"))
DATA_UPLOAD_MAX_NUMBER_FILES = 20

# Applications received by letter, in person or by fax are registered within this many working days.
GONGKAI_REGISTRATION_WORKING_DAYS = int(os.environ.get("GONGKAI_REGISTRATION_WORKING_DAYS", "2"))

# The corpus explorer (/corpus/, web/explorer): the Parquet of ``gongkai corpus ingest … --out DIR``;
# the folders whose files its source downloads may serve (os.pathsep-separated); whether the public
# sees it without logging in (a superuser can also switch it on in the admin).
GONGKAI_CORPUS_DIR = Path(os.environ.get("GONGKAI_CORPUS_DIR", DATA_DIR / "corpus")).resolve()
GONGKAI_CORPUS_SOURCES = [Path(p).resolve() for p in os.environ.get(
    "GONGKAI_CORPUS_SOURCES", str(DATA_DIR / "corpus-sources")).split(os.pathsep) if p]
GONGKAI_CORPUS_PUBLIC = os.environ.get("GONGKAI_CORPUS_PUBLIC", "") in ("1", "true", "yes")

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
# web/csp.py; GONGKAI_CONTENT_SECURITY_POLICY replaces the policy (empty: no header).
GONGKAI_CONTENT_SECURITY_POLICY = os.environ.get("GONGKAI_CONTENT_SECURITY_POLICY", DEFAULT_CSP)

# Behind a TLS proxy (nginx, a load balancer): the proxy says the request came over HTTPS in a
# header, e.g. GONGKAI_PROXY_SSL_HEADER="X-Forwarded-Proto: https", and the forms are posted from
# the public origins, e.g. GONGKAI_CSRF_TRUSTED_ORIGINS="https://gongkai.example.gov.cn".
if os.environ.get("GONGKAI_PROXY_SSL_HEADER"):
    _header, _, _value = os.environ["GONGKAI_PROXY_SSL_HEADER"].partition(":")
    if not _value.strip():
        raise ImproperlyConfigured("GONGKAI_PROXY_SSL_HEADER 应写作「请求头: 值」，例如 X-Forwarded-Proto: https")
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _header.strip().upper().replace("-", "_"), _value.strip())
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("GONGKAI_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
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
# 月巡查 of units' own portals (supervision/portal_fetch.py): timeouts in seconds, at most one request to a
# host every GONGKAI_PORTAL_MIN_INTERVAL seconds, pages read up to GONGKAI_PORTAL_MAX_BYTES, at most
# GONGKAI_PORTAL_MAX_PAGES requests per unit and run, links followed GONGKAI_PORTAL_MAX_DEPTH deep.
GONGKAI_PORTAL_CONNECT_TIMEOUT = float(os.environ.get("GONGKAI_PORTAL_CONNECT_TIMEOUT", "5"))
GONGKAI_PORTAL_READ_TIMEOUT = float(os.environ.get("GONGKAI_PORTAL_READ_TIMEOUT", "15"))
GONGKAI_PORTAL_TOTAL_TIMEOUT = float(os.environ.get("GONGKAI_PORTAL_TOTAL_TIMEOUT", "60"))
GONGKAI_PORTAL_MIN_INTERVAL = float(os.environ.get("GONGKAI_PORTAL_MIN_INTERVAL", "1"))
GONGKAI_PORTAL_MAX_BYTES = int(os.environ.get("GONGKAI_PORTAL_MAX_BYTES", str(5 * 1024 * 1024)))
GONGKAI_PORTAL_MAX_REDIRECTS = int(os.environ.get("GONGKAI_PORTAL_MAX_REDIRECTS", "5"))
GONGKAI_PORTAL_MAX_PAGES = int(os.environ.get("GONGKAI_PORTAL_MAX_PAGES", "200"))
GONGKAI_PORTAL_MAX_DEPTH = int(os.environ.get("GONGKAI_PORTAL_MAX_DEPTH", "3"))
# Portals on loopback or private addresses are refused unless this is 1 (an intranet's own portals).
GONGKAI_PORTAL_ALLOW_PRIVATE = os.environ.get("GONGKAI_PORTAL_ALLOW_PRIVATE", "") in ("1", "true", "yes")
# The supervisor's dashboard: a unit is green at or above this on-time rate (%), red below the second.
GONGKAI_DASHBOARD_GREEN_RATE = float(os.environ.get("GONGKAI_DASHBOARD_GREEN_RATE", "95"))
GONGKAI_DASHBOARD_RED_RATE = float(os.environ.get("GONGKAI_DASHBOARD_RED_RATE", "80"))
DEFAULT_FROM_EMAIL = os.environ.get("GONGKAI_FROM_EMAIL", "gongkai@localhost")
EMAIL_HOST = os.environ.get("GONGKAI_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("GONGKAI_EMAIL_PORT", "25"))
