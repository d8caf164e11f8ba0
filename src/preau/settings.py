"""Préau settings: every deployment choice comes from a PREAU_* environment variable.

See docs/configuration.md for the list. Defaults give the embedded mode: SQLite and
files under ``var/``, Huey on SQLite, no Redis.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from preau.env import env_bool, env_choice, env_int, env_list, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env_str("PREAU_VAR_DIR", str(BASE_DIR.parent.parent / "var"))).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("PREAU_DEBUG", False)
TESTING = env_bool("PREAU_TESTING", "pytest" in sys.modules)
_DEV_SECRET = "preau-insecure-development-key-do-not-use-in-production-0123456789"  # noqa: S105
# The key comes from PREAU_SECRET_KEY, else from the file var/secret_key (which
# `make demo` creates); only development and tests may fall back to a fixed key.
_SECRET_FILE = VAR_DIR / "secret_key"
SECRET_KEY = env_str(
    "PREAU_SECRET_KEY",
    _SECRET_FILE.read_text().strip()
    if _SECRET_FILE.exists()
    else (_DEV_SECRET if (DEBUG or TESTING) else None),
)
if not (DEBUG or TESTING) and (SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "PREAU_SECRET_KEY (or the file var/secret_key) must be a random string of 50+ characters."
    )
# The address users reach Préau at: used in letters and e-mails, and trusted by default.
PUBLIC_URL = env_url("PREAU_PUBLIC_URL", "http://127.0.0.1:8000", ("https", "http")).rstrip("/")
_PUBLIC = urlsplit(PUBLIC_URL)
ALLOWED_HOSTS = env_list(
    "PREAU_ALLOWED_HOSTS", sorted({"127.0.0.1", "localhost", _PUBLIC.hostname or "localhost"})
)
CSRF_TRUSTED_ORIGINS = env_list(
    "PREAU_CSRF_TRUSTED_ORIGINS", [f"{_PUBLIC.scheme}://{_PUBLIC.netloc}"]
)

INSTALLED_APPS = [
    "preau.core",
    "preau.directory",
    "preau.accounts",
    "preau.home",
    "preau.programme",
    "preau.notifications",
    "preau.news",
    "preau.liaison",
    "preau.messaging",
    "preau.homework",
    "preau.agenda",
    "preau.fleet",
    "preau.helpdesk",
    "preau.loans",
    "preau.demo",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "huey.contrib.djhuey",
    "ninja",  # serves the API docs' Swagger UI from our static files, not from a CDN
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "preau.accounts.middleware.RequireMfaForCityRolesMiddleware",
    "preau.core.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "preau.urls"
WSGI_APPLICATION = "preau.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "preau.core.context_processors.shell",
            ],
        },
    }
]

# Database: SQLite under var/ unless PREAU_DATABASE_URL says otherwise.
DATABASE_URL = env_str("PREAU_DATABASE_URL", f"sqlite:///{VAR_DIR / 'preau.sqlite3'}")
try:
    _db = dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("PREAU_DB_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
except ValueError as exc:
    raise ImproperlyConfigured(f"PREAU_DATABASE_URL is not a database URL: {exc}") from None
if _db["ENGINE"] not in ("django.db.backends.sqlite3", "django.db.backends.postgresql"):
    raise ImproperlyConfigured(
        "PREAU_DATABASE_URL must start with sqlite:// or postgres:// (the databases Préau "
        "is tested on)."
    )
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    _db["CONN_MAX_AGE"] = 0
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_url("PREAU_REDIS_URL", "", ("redis", "rediss", "unix"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "preau" + os.environ.get("PYTEST_XDIST_WORKER", ""),
        }
    }
else:
    # A database cache is shared by every gunicorn worker, which rate limits need.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "preau_cache",
        }
    }

# Background work: Huey on SQLite embedded, on Redis at scale. Tests run tasks inline.
HUEY = {
    "name": "preau",
    "immediate": env_bool("PREAU_HUEY_IMMEDIATE", TESTING),
    "results": True,
    "utc": True,
    "consumer": {"workers": env_int("PREAU_WORKERS", 2, minimum=1), "worker_type": "thread"},
}
if REDIS_URL:
    HUEY |= {"huey_class": "huey.RedisHuey", "url": REDIS_URL}
else:
    HUEY |= {"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "huey.sqlite3")}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home:index"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: username login, no self sign-up (accounts come from the directory).
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]
ACCOUNT_ADAPTER = "preau.accounts.adapter.PreauAccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    "login_failed": env_str("PREAU_LOGIN_RATE_LIMIT", "10/m/ip,5/5m/key"),
    "login": "30/m/ip",
    "reset_password": "5/m/ip,3/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("PREAU_MFA_ISSUER", "Préau")

# Internationalisation: French first, English available.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("PREAU_TIME_ZONE", "Europe/Paris")
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns at every start until collectstatic ran
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
WHITENOISE_USE_FINDERS = DEBUG or TESTING
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if (DEBUG or TESTING)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
PREAU_MAX_IMPORT_BYTES = env_int("PREAU_MAX_IMPORT_BYTES", 20 * 1024 * 1024, minimum=1024)
PREAU_ACTIVATION_CODE_DAYS = env_int("PREAU_ACTIVATION_CODE_DAYS", 60, minimum=1)
PREAU_AUDIT_RETENTION_DAYS = env_int("PREAU_AUDIT_RETENTION_DAYS", 365, minimum=30)

# The school–family workspace.
PREAU_LIAISON_MAX_ATTACHMENT_BYTES = env_int(
    "PREAU_LIAISON_MAX_ATTACHMENT_BYTES", 5 * 1024 * 1024, minimum=1024
)
PREAU_LIAISON_REMINDER_HOURS = env_int("PREAU_LIAISON_REMINDER_HOURS", 24, minimum=1)
PREAU_MESSAGING_RETENTION_DAYS = env_int("PREAU_MESSAGING_RETENTION_DAYS", 400, minimum=30)

# Fleet's helpdesk.
PREAU_HELPDESK_REOPEN_DAYS = env_int("PREAU_HELPDESK_REOPEN_DAYS", 7, minimum=1)
PREAU_HELPDESK_MAX_PHOTO_BYTES = env_int(
    "PREAU_HELPDESK_MAX_PHOTO_BYTES", 8 * 1024 * 1024, minimum=1024
)
PREAU_HOMEWORK_MAX_ATTACHMENT_BYTES = env_int(
    "PREAU_HOMEWORK_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024, minimum=1024
)
PREAU_NEWS_MAX_PHOTO_BYTES = env_int("PREAU_NEWS_MAX_PHOTO_BYTES", 15 * 1024 * 1024, minimum=1024)
PREAU_NEWS_MAX_PHOTO_PIXELS = env_int("PREAU_NEWS_MAX_PHOTO_PIXELS", 50_000_000, minimum=10_000)
PREAU_NEWS_MAX_ATTACHMENT_BYTES = env_int(
    "PREAU_NEWS_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024, minimum=1024
)

# The fleet: inventory agents (docs/fleet.md).
PREAU_OCS_PATH = env_str("PREAU_OCS_PATH", "").strip("/")
PREAU_FLEET_RAW_DAYS = env_int("PREAU_FLEET_RAW_DAYS", 30, minimum=1)
PREAU_FLEET_MAX_BODY_BYTES = env_int("PREAU_FLEET_MAX_BODY_BYTES", 50_000_000, minimum=1024)
PREAU_FLEET_REQUIRE_TAG = env_bool("PREAU_FLEET_REQUIRE_TAG", False)
PREAU_FLEET_PROLOG_HOURS = env_int("PREAU_FLEET_PROLOG_HOURS", 24, minimum=1)
PREAU_FLEET_DEPLOY_MAX_FILE_BYTES = env_int(
    "PREAU_FLEET_DEPLOY_MAX_FILE_BYTES", 2 * 1024**3, minimum=1024
)

# E-mail.
EMAIL_BACKEND = env_choice(
    "PREAU_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if not (DEBUG or TESTING)
    else "django.core.mail.backends.console.EmailBackend",
    (
        "django.core.mail.backends.smtp.EmailBackend",
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
        "django.core.mail.backends.filebased.EmailBackend",
    ),
)
EMAIL_FILE_PATH = VAR_DIR / "mail"  # where the file backend writes, one file per batch
EMAIL_HOST = env_str("PREAU_EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("PREAU_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("PREAU_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("PREAU_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("PREAU_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("PREAU_EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "Set PREAU_EMAIL_USE_TLS (STARTTLS) or PREAU_EMAIL_USE_SSL, not both"
    )
EMAIL_TIMEOUT = env_int("PREAU_EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("PREAU_EMAIL_FROM", "Préau <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security: secure by default, relaxed only for the local embedded mode.
_HTTPS = env_bool("PREAU_HTTPS", not (DEBUG or TESTING))
SESSION_COOKIE_SECURE = _HTTPS
CSRF_COOKIE_SECURE = _HTTPS
SECURE_SSL_REDIRECT = _HTTPS and env_bool("PREAU_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SECURE_HSTS_SECONDS = env_int("PREAU_HSTS_SECONDS", 31536000 if _HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _HTTPS
SECURE_HSTS_PRELOAD = _HTTPS
# Behind a reverse proxy (the production set-up) the proxy says whether the request came
# over HTTPS; a proxy that does not strip a client's X-Forwarded-Proto must not be trusted.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("PREAU_BEHIND_PROXY", True) else None
)
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("PREAU_SESSION_SECONDS", 8 * 3600, minimum=300)
X_FRAME_OPTIONS = "DENY"

_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_choice("PREAU_LOG_LEVEL", "INFO", _LOG_LEVELS)},
    "loggers": {
        # The Huey consumer installs its own handler: do not print its lines twice.
        "huey": {"level": "INFO", "handlers": [], "propagate": False},
        "django.db.backends": {"level": "INFO"},
    },
}
