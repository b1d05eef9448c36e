"""Deliberate's one settings module.

Every deployment knob is an environment variable with a safe default (see the README's
configuration table). With nothing set it runs on SQLite with the in-memory channel layer;
DATABASE_URL switches to PostgreSQL and REDIS_URL to Redis for channels and the cache.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default, *, minimum=0, maximum=None):
    """A whole number from the environment, refused at start-up when unreadable or out of range."""
    raw = os.environ.get(name, "").strip() or str(default)
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if value < minimum or (maximum is not None and value > maximum):
        limits = f"between {minimum} and {maximum}" if maximum is not None else f"{minimum} or more"
        raise ImproperlyConfigured(f"{name} must be {limits}, not {value}.")
    return value


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_header(name, default=""):
    """An HTTP header name such as X-Forwarded-Proto, or "" for none."""
    value = os.environ.get(name, default).strip()
    if value and not all(char.isascii() and (char.isalnum() or char == "-") for char in value):
        raise ImproperlyConfigured(f"{name} must be an HTTP header name (it is {value!r}).")
    return value


DEBUG = env_bool("DEBUG")
# The demo configuration: one-time sign-in links for the demo personas. Never on in production,
# so it only works together with DEBUG.
DEMO_MODE = env_bool("DELIBERATE_DEMO")
if DEMO_MODE and not DEBUG:
    raise ImproperlyConfigured("DELIBERATE_DEMO=1 is for local demos only and needs DEBUG=1 too.")

# Without SECRET_KEY, production stays empty: Django then refuses anything that signs (sessions,
# CSRF, sign-in codes) and the ASGI application fails to start, while commands such as
# `makemigrations` still work. Only local development gets a fixed, public key.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG or DEMO_MODE else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "django_htmx",
    "template_partials",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "juries",
    "evidence",
    "voting",
    "deliberate",
    "evaluation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "juries.middleware.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "juries.middleware.TimezoneMiddleware",
    "juries.middleware.RequireMFAMiddleware",
]

ROOT_URLCONF = "deliberate.urls"
WSGI_APPLICATION = None
ASGI_APPLICATION = "deliberate.asgi.application"

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
                "csp.context_processors.nonce",
                "juries.context_processors.site",
                "juries.context_processors.news",
            ],
        },
    }
]

# --- Data -----------------------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue for the lock instead of failing with "database is locked" when two
    # requests (a double-click, two people) write at once; WAL lets reads go on meanwhile.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "juries.User"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
    CACHES = {
        "default": {
            # Redis's own cache, except that Redis being away does not break sign-in.
            "BACKEND": "deliberate.cache.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "deliberate"),
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background jobs (email, later PDFs and draws). Production runs `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env_bool("TASKS_IMMEDIATE", DEBUG or DEMO_MODE)
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

# --- People and sign-in ----------------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "juries:my-juries"
ACCOUNT_ADAPTER = "juries.adapters.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "juries.forms.SignupForm"
ACCOUNT_FORMS = {
    "confirm_login_code": "juries.sign_in_forms.SignInCodeForm",
    "confirm_reauthentication_code": "juries.sign_in_forms.ConfirmAgainCodeForm",
    "confirm_email_verification_code": "juries.sign_in_forms.EmailAddressCodeForm",
}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
# No password field anywhere: people sign in with a one-time code sent by email.
ACCOUNT_SIGNUP_FIELDS = ["email*"]
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_SUPPORTS_RESEND = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 10 * 60
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_EMAIL_VERIFICATION_SUPPORTS_RESEND = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Deliberate] "
ACCOUNT_REAUTHENTICATION_TIMEOUT = 10 * 60
# allauth's rate limits are on by default and are kept in the shared cache (Redis in production).
ACCOUNT_RATE_LIMITS = {}
if not env_bool("RATE_LIMITS", True):
    ACCOUNT_RATE_LIMITS = False

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = os.environ.get("MFA_TOTP_ISSUER", "Deliberate")
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG or DEMO_MODE
# Facilitators, oversight members and staff must have a second factor before they use the
# product (juries.middleware.needs_mfa). The name is kept so existing deployments keep working.
REQUIRE_MFA_FOR_FACILITATORS = env_bool("REQUIRE_MFA_FOR_FACILITATORS", not DEMO_MODE)

USERSESSIONS_TRACK_ACTIVITY = True

INVITATION_VALID_DAYS = int(os.environ.get("INVITATION_VALID_DAYS", "14"))
# Selection: how long the details of volunteers who were not selected are kept after the report
# (each jury may choose, up to the maximum the privacy notice can honestly promise), and in any
# case after the draw (for a jury that never reports), the longest a draw may compute, and how
# many registrations one network address and one email address may make per hour.
SELECTION_RETENTION_MAX_DAYS = 365
SELECTION_RETENTION_DAYS = env_int(
    "SELECTION_RETENTION_DAYS", 90, minimum=0, maximum=SELECTION_RETENTION_MAX_DAYS
)
SELECTION_DELETE_AFTER_DRAW_DAYS = env_int(
    "SELECTION_DELETE_AFTER_DRAW_DAYS", 365, minimum=30, maximum=730
)
SELECTION_TIME_CAP_SECONDS = int(os.environ.get("SELECTION_TIME_CAP_SECONDS", "1800"))
VOLUNTEER_REGISTRATIONS_PER_HOUR = env_int("VOLUNTEER_REGISTRATIONS_PER_HOUR", 10)
VOLUNTEER_REGISTRATIONS_PER_EMAIL_PER_HOUR = env_int(
    "VOLUNTEER_REGISTRATIONS_PER_EMAIL_PER_HOUR", 3
)
EVIDENCE_MAX_UPLOAD_BYTES = int(os.environ.get("EVIDENCE_MAX_UPLOAD_MB", "25")) * 1024 * 1024
# The text of a form, files apart. Text too long for its field (juries.text_limits) must reach the
# form, to be refused there with a message and kept for the person to shorten, not stopped here
# with a bare error page. The longest text any field takes is a pasted 1 MB transparency record;
# a browser may send a character as up to nine bytes (%XX for each byte of its UTF-8), so 10 MB
# lets a 1 MB text of any kind through, and a larger body is still refused before it is parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Email -----------------------------------------------------------------------------------

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Deliberate <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG or DEMO_MODE
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")

# --- Language and time -----------------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

# --- Static files ----------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Production serves hashed, compressed files made by `collectstatic`; development and tests serve
# the files as they are.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not (DEBUG or DEMO_MODE))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST

# --- Behind a reverse proxy ------------------------------------------------------------------

# Every request reaches the ASGI servers from the proxy, so the client's own address and whether
# they used HTTPS arrive in headers the proxy sets. Those headers are believed only when settings
# say a proxy is there: without one, anybody could write them and claim any address (escaping the
# rate limits) or HTTPS. See "Running it in production" in the README.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# allauth reads the client address for its rate limits, and so do ours (juries/ratelimits.py):
# the last TRUSTED_PROXY_COUNT-th entry of X-Forwarded-For, or a header a single proxy sets.
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env_header("TRUSTED_CLIENT_IP_HEADER") or None
behind_proxy = bool(ALLAUTH_TRUSTED_PROXY_COUNT or ALLAUTH_TRUSTED_CLIENT_IP_HEADER)
# The proxy's header that says the client used HTTPS: believed only behind a proxy.
proxy_https_header = env_header(
    "SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto" if behind_proxy else ""
)

# --- Security --------------------------------------------------------------------------------

SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not (DEBUG or DEMO_MODE))
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + proxy_https_header.upper().replace("-", "_"), "https")
    if proxy_https_header
    else None
)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not (DEBUG or DEMO_MODE))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Strict Content Security Policy: no inline scripts or styles, nothing from other hosts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # allauth draws the authenticator-app QR code as a data: image.
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

AUTH_PASSWORD_VALIDATORS = []
FORMS_URLFIELD_ASSUME_HTTPS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
CSRF_FAILURE_VIEW = "juries.views.errors.csrf_failure"
