"""Lantoa settings.

This is the one module that reads the environment. Every variable it reads is
documented in ``.env.example``. Test settings (``config.settings_test``) import this
module and override a few values; they read nothing themselves.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
DEV_SECRET_KEY = "lantoa-development-key-never-use-in-production"


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env(name: str, default: str) -> str:
    """The variable's value, or ``default`` when it is unset or empty."""
    return os.environ.get(name) or default


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _load_dotenv(path: Path) -> None:
    """Read KEY=VALUE lines from ``.env`` without overriding the real environment."""
    if not path.is_file():
        return
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        os.environ.setdefault(key.strip(), value.strip().strip('"').strip("'"))


_load_dotenv(BASE_DIR / ".env")

DEBUG = _env_bool("DEBUG", default=False)
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is the development key while DEBUG is off. Set SECRET_KEY to a long "
        "random value (python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )

ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves the API docs (Swagger UI) from its own static files, not a CDN
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "lantoa.core",
    "lantoa.accounts",
    "lantoa.org",
    "lantoa.people",
    "lantoa.library",
    "lantoa.meetings",
    "lantoa.contests",
    "lantoa.judging",
    "lantoa.plans",
    "lantoa.surveys",
    "lantoa.reports",
    "lantoa.web",
    "lantoa.api",
    "lantoa.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "lantoa.core.middleware.RequestIdMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Runs LANTOA_SIGNED_IN_MIDDLEWARE, except on LANTOA_PUBLIC_PATHS without a session cookie.
    "lantoa.core.middleware.SignedInMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "lantoa.web.middleware.ApplicationErrorMiddleware",
    "csp.middleware.CSPMiddleware",
]
LANTOA_SIGNED_IN_MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "lantoa.accounts.middleware.UserLanguageMiddleware",
    "lantoa.accounts.middleware.LoginRequiredMiddleware",
    "lantoa.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]
# Public addresses whose anonymous requests skip the middleware above (see SignedInMiddleware):
# QR scans, the public reader and its files, check-in (page, typed code, API), a contestant's
# pages and their start and submit endpoints.
LANTOA_PUBLIC_PATHS = [
    "/q/",
    "/d/",
    "/c/",
    "/checkin/",
    "/api/v1/meetings/checkin",
    "/contests/play/",
    "/api/v1/contests/rounds/",
    "/api/v1/contests/attempts/",
    "/judging/results/",
    "/api/v1/judging/results/",
    "/judging/vote/",
    "/api/v1/judging/vote/",
    "/s/",
    "/api/v1/surveys/answer",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lantoa.web.context_processors.shell",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
SQLITE_PATH = Path(_env("SQLITE_PATH", str(BASE_DIR / "var" / "lantoa.sqlite3")))
DATABASE_URL = os.environ.get("DATABASE_URL", "")
# The public hot paths' statements are prepared on PostgreSQL (lantoa.core.rows.prepared_cursor).
# Turn off behind a connection pool in transaction mode that cannot carry prepared statements.
LANTOA_PREPARED_STATEMENTS = _env_bool("DB_PREPARED_STATEMENTS", True)
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "600")),
            conn_health_checks=True,
        )
    }
    if LANTOA_PREPARED_STATEMENTS and DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # psycopg prepares only the statements asked for (lantoa.core.rows.prepared_cursor):
        # Django's default (None) would refuse even those, and a threshold this high never
        # prepares the rest. The ORM binds values on the client, and such statements are never
        # prepared.
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 2**31 - 1
else:
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            # Kept open between requests (one connection per worker thread): opening a file,
            # reading its schema and running the PRAGMAs costs more than most public requests.
            "CONN_MAX_AGE": int(os.environ.get("DB_CONN_MAX_AGE", "600")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: shared by every worker so rate limits and one-time codes hold ----------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "lantoa_cache",
        }
    }

# --- Background tasks -----------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Authentication ---------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# Roles whose members must confirm a TOTP code at login. Production default: administrators
# and managers. The demo (make run) sets LANTOA_2FA_REQUIRED_ROLES to empty so the printed
# logins work straight away; see README "Two-factor login".
LANTOA_2FA_REQUIRED_ROLES = _env_list("LANTOA_2FA_REQUIRED_ROLES", "" if DEBUG else "administrator,manager")
OTP_TOTP_ISSUER = "Lantoa"

SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(60 * 60 * 12)))
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads nothing from it; the token is put in a header by the template.

# --- Internationalisation ----------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]
USE_THOUSAND_SEPARATOR = True
LANGUAGE_COOKIE_NAME = "lantoa_language"

# --- Static and media ------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(_env("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(_env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Library files are private (served only through a view that checks who may read them), so they
# live outside MEDIA_ROOT. Any Django storage works, e.g. an S3-compatible one with its OPTIONS.
LIBRARY_FILES_ROOT = Path(_env("LIBRARY_FILES_ROOT", str(BASE_DIR / "var" / "library")))
# Request bodies other than uploaded files (JSON, form fields) up to 2.5 MB; the API answers 413
# past that. Uploaded files are streamed to disk and limited by their own settings below.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 100
# The largest upload the library accepts, in MB: recordings and films are larger than texts.
# The web server in front must accept at least as much (nginx: client_max_body_size 210m).
LANTOA_LIBRARY_MAX_UPLOAD_MB = {
    "audio": int(_env("LANTOA_LIBRARY_MAX_MEDIA_MB", "200")),
    "video": int(_env("LANTOA_LIBRARY_MAX_MEDIA_MB", "200")),
    "default": int(_env("LANTOA_LIBRARY_MAX_DOCUMENT_MB", "50")),
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "library": {
        "BACKEND": _env("LIBRARY_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": {"location": str(LIBRARY_FILES_ROOT)} if not os.environ.get("LIBRARY_STORAGE_BACKEND") else {},
    },
    "staticfiles": {"BACKEND": _env("STATICFILES_STORAGE", "whitenoise.storage.CompressedManifestStaticFilesStorage")},
}
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365
# In development files come straight from the apps' static folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# --- Email --------------------------------------------------------------------------------
EMAIL_BACKEND = _env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "lantoa@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security ----------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies (nginx…) stand in front of the application and append the client's
# address to X-Forwarded-For. 0: the connection's own address is the client's. Public pages
# that limit requests per client read it (lantoa.core.clients.client_address).
LANTOA_TRUSTED_PROXIES = int(os.environ.get("LANTOA_TRUSTED_PROXIES", "0"))
SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = _env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [] if _env_bool("SECURE_HSTS_PRELOAD", False) else ["security.W021"]
# These look for sessions, CSRF, authentication, messages and axes in MIDDLEWARE itself; they run
# inside SignedInMiddleware instead, and the check lantoa.core.E001 makes sure they are there.
SILENCED_SYSTEM_CHECKS += ["admin.E408", "admin.E409", "admin.E410", "axes.W002", "security.W003"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# --- Logging -------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Card codes of anonymous surveys never reach the log (lantoa.surveys.logs).
    "filters": {"card_codes": {"()": "lantoa.surveys.logs.RedactCardCodes"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["card_codes"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- Lantoa -------------------------------------------------------------------------------
LANTOA_SITE_NAME = os.environ.get("LANTOA_SITE_NAME", "Lantoa")
LANTOA_API_TOKEN_PREFIX = "lnt_"
# Sensitive personal fields this deployment keeps about persons of the outreach network:
# "ethnicity" and/or "is_party_member". Off by default; shown only to roles that need them,
# and every read is logged. Turning one off stops collecting it; stored values stay until erased.
LANTOA_PERSON_SENSITIVE_FIELDS = _env_list("LANTOA_PERSON_SENSITIVE_FIELDS", "")
# How often the buffered counters (QR reads) are written to the database, in seconds; they are
# also written when a worker stops. 0 writes every count at once. See lantoa.core.counters.
LANTOA_COUNTER_FLUSH_SECONDS = float(os.environ.get("LANTOA_COUNTER_FLUSH_SECONDS", "2"))
