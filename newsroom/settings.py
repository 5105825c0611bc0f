"""Newsroom settings, read from the environment.

Local defaults are safe for a laptop; production turns on by leaving
DJANGO_DEBUG unset and providing DJANGO_SECRET_KEY. See README "Settings".
"""

from pathlib import Path

import environ
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# pytest-env sets this so the suite can pick TEST_DATABASE_URL without a second settings file.
TESTING = env.bool("NEWSROOM_TESTING", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if DEBUG or TESTING:
        # Only ever used on a developer's machine: production refuses to start without a key.
        SECRET_KEY = "django-insecure-local-development-key-not-for-production"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

# The public base URL. Every absolute link (QR codes, feeds, sitemaps, canonical
# links, emails) is built from it, never from the request's Host header.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env.str("NEWSROOM_SITE_NAME", default="Newsroom")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "taggit",
    "simple_history",
    "django_prose_editor",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ninja",  # the API docs' Swagger UI, served from its own static files
    # Newsroom's apps, one per job (README "Layout"); each depends only on those below it.
    "accounts",
    "previews",
    "notifications",
    "audit",
    "desk",  # the admin's home: the editors' desk (above the apps it reads)
    "api",
    "search",
    "qr",
    "readership",
    "articles",
    "people",
    "media",
    "backups",
    "core",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The URL decides the reader's language; admin and API negotiate it (newsroom/locale.py).
    "newsroom.locale.ReaderLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # django-otp's `user.is_verified()`, then signing in's second step (accounts/middleware.py).
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    # Writes the one "seen" cookie of the repeat-visit window (readership/visit_cookie.py).
    "readership.middleware.ViewWindowMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-csp, with the policy string built once (core/csp.py).
    "core.csp.CachedPolicyCSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # ETags, HEAD, OPTIONS and CORS for the content API's answers (api/middleware.py).
    "api.middleware.ContentApiMiddleware",
    # Last, as django-axes asks: it turns lockouts into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "articles.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
_default_db = f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
_db_url = env.str("DATABASE_URL", default=_default_db)
if TESTING and env.str("TEST_DATABASE_URL", default=""):
    _db_url = env.str("TEST_DATABASE_URL")
DATABASES = {"default": env.db_url_config(_db_url)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run beside a writer; IMMEDIATE takes the write lock at
        # BEGIN so two workers counting views queue on the busy timeout instead of
        # failing with "database is locked" on lock upgrade. A log that a big write
        # (a bulk action, an import) grew is cut back to 64 MB once checkpointed.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA journal_size_limit=67108864;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": env.int("NEWSROOM_SQLITE_TIMEOUT", default=20),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: it compiles any query whose estimated cost is high (a count over a big table) and
    # the compiling took longer than the query (docs/decisions.md). A URL's ?options= wins.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
# WAL checkpoints run in a thread of each process, not in the request whose commit fills the
# log (core/checkpoints.py); 0 leaves them to SQLite.
NEWSROOM_SQLITE_CHECKPOINT_SECONDS = env.float("NEWSROOM_SQLITE_CHECKPOINT_SECONDS", default=1.0)
# Persistent connections on every engine: opening and closing a SQLite connection (and the WAL
# checkpoint a last close runs) cost more than serving a cached page.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Django's RedisCache, made to serve pages without the cache while Redis is down instead of
    # answering 500 (core/redis_cache.py); short timeouts so a hung Redis stalls no page.
    CACHES = {
        "default": {
            "BACKEND": "core.redis_cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsroom",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
elif DEBUG or TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    # Production on one machine without Redis: gunicorn's workers must share one cache, or
    # a publish seen by one worker would stay invisible in the others (core/pagecache.py).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env.str("NEWSROOM_CACHE_DIR", default=str(BASE_DIR / ".cache")),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Auth -----------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = env.int("NEWSROOM_LOGIN_FAILURES", default=10)
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
# A page of the site saying what happened and how long to wait, with status 429.
AXES_LOCKOUT_CALLABLE = "core.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
NEWSROOM_ADMIN_PATH = env.str("NEWSROOM_ADMIN_PATH", default="admin/").strip("/") + "/"
# Two-factor sign-in (README "The admin"): "editors" (editors and superusers must enrol; others
# may), "all" (every staff user) or "off" (the default in development, so `make run` stays short).
NEWSROOM_REQUIRE_2FA = env.str("NEWSROOM_REQUIRE_2FA", default="off" if DEBUG else "editors")
# The issuer shown in authenticator apps beside the user name.
OTP_TOTP_ISSUER = SITE_NAME

# --- Email ----------------------------------------------------------------
# Workflow notices (notifications/workflow.py). EMAIL_URL as django-environ reads it, e.g.
# smtp+tls://user:password@smtp.example.net:587; without it, development and tests print
# mail to the console and production does too until it is set.
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="newsroom@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
# Uploads (originals and renditions); not media/, which holds the image library's code.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "uploads")
# Media on S3-compatible object storage (README "Media on S3"), so that several app servers
# share it (django-storages and boto3); credentials come from the standard
# AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY variables, read by boto3 itself. Pages point at the
# bucket's URL (or NEWSROOM_S3_CUSTOM_DOMAIN), and the CSP's img-src follows (core/media_origin.py).
S3_BUCKET = env.str("NEWSROOM_S3_BUCKET", default="")
if S3_BUCKET:
    from botocore.config import Config as S3ClientConfig

    MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env.str("NEWSROOM_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("NEWSROOM_S3_REGION", default="") or None,
            # Public news pictures: plain URLs (a CDN domain if set), no expiring signatures.
            "custom_domain": env.str("NEWSROOM_S3_CUSTOM_DOMAIN", default="") or None,
            "url_protocol": env.str("NEWSROOM_S3_URL_PROTOCOL", default="https:"),
            "querystring_auth": False,
            # Names are never reused (renditions are named by their content's hash), so
            # browsers and CDNs may keep every object for a year without asking again.
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
            # A bucket that does not answer fails an upload within seconds (a form error),
            # never holds a worker for boto3's default minute of retries.
            "client_config": S3ClientConfig(
                connect_timeout=env.float("NEWSROOM_S3_TIMEOUT", default=3),
                read_timeout=env.float("NEWSROOM_S3_TIMEOUT", default=3) * 4,
                retries={"max_attempts": 2, "mode": "standard"},
            ),
        },
    }
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
# Django serves local media itself unless a web server or object storage does (README).
NEWSROOM_SERVE_MEDIA = env.bool("NEWSROOM_SERVE_MEDIA", default=not S3_BUCKET)
# Without collectstatic (development, tests) whitenoise finds files where they live.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Request limits -------------------------------------------------------
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
DATA_UPLOAD_MAX_NUMBER_FILES = 20

# --- Security -------------------------------------------------------------
# DJANGO_HTTPS defaults to on in production; DJANGO_HTTPS=0 runs production mode over plain HTTP.
HTTPS = env.bool("DJANGO_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
# The balancer and monitoring ask the app server itself over plain HTTP (core/views.py).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env.bool("DJANGO_TRUST_X_FORWARDED_PROTO", default=False):
    # Only behind a proxy that sets the header itself; otherwise clients could forge HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # NONCE (not the string "'nonce'") makes django-csp put the request's nonce here.
        "script-src": ["'self'", NONCE],
        # Inline style attributes appear in the admin and the editor; scripts stay strict.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Newsroom -------------------------------------------------------------
NEWSROOM_COUNT_VIEWS = env.bool("NEWSROOM_COUNT_VIEWS", default=True)
# View counting (README "Views"): repeat-visit window, Redis flush interval, where counting
# happens ("server": in the article view; "beacon": a same-origin POST from the page, for CDNs),
# and whether logged-in staff count.
NEWSROOM_VIEW_WINDOW = env.int("NEWSROOM_VIEW_WINDOW", default=1800)
NEWSROOM_VIEW_FLUSH = env.int("NEWSROOM_VIEW_FLUSH", default=10)
NEWSROOM_VIEW_COUNTING = env.str("NEWSROOM_VIEW_COUNTING", default="server")
NEWSROOM_VIEW_COUNT_STAFF = env.bool("NEWSROOM_VIEW_COUNT_STAFF", default=False)
# Where counts go first: "database" (each view written at once) or "redis" (buffered in Redis
# at NEWSROOM_VIEW_REDIS_URL and flushed every NEWSROOM_VIEW_FLUSH seconds). A choice of its
# own: REDIS_URL makes Redis the cache, and counting stays in the database unless this says so.
NEWSROOM_VIEW_STORE = env.str("NEWSROOM_VIEW_STORE", default="database")
NEWSROOM_VIEW_REDIS_URL = env.str("NEWSROOM_VIEW_REDIS_URL", default=REDIS_URL)
NEWSROOM_PAGE_SIZE = env.int("NEWSROOM_PAGE_SIZE", default=12)
# Lists show stories that exist only in the other language too, labelled with it (README
# "The site"); off: each language's lists show only its own articles.
NEWSROOM_SHOW_UNTRANSLATED = env.bool("NEWSROOM_SHOW_UNTRANSLATED", default=True)
NEWSROOM_CACHE_SECONDS = env.int("NEWSROOM_CACHE_SECONDS", default=60)
# Image uploads (README "Images"): largest file in MB and largest image in pixels.
NEWSROOM_MAX_UPLOAD_MB = env.float("NEWSROOM_MAX_UPLOAD_MB", default=20)
NEWSROOM_MAX_IMAGE_PIXELS = env.int("NEWSROOM_MAX_IMAGE_PIXELS", default=40_000_000)
# Content API (README "Content API"): origins allowed to read it from a browser ("*" for
# any), per-client rate limits ("600/min"; "off" disables), largest page, and how many
# proxies in front set X-Forwarded-For (0: the client is REMOTE_ADDR).
NEWSROOM_API_CORS_ORIGINS = env.list("NEWSROOM_API_CORS_ORIGINS", default=[])
NEWSROOM_API_RATE = env.str("NEWSROOM_API_RATE", default="600/min")
NEWSROOM_API_VIEW_RATE = env.str("NEWSROOM_API_VIEW_RATE", default="30/min")
NEWSROOM_API_MAX_PAGE_SIZE = env.int("NEWSROOM_API_MAX_PAGE_SIZE", default=50)
NINJA_NUM_PROXIES = env.int("NEWSROOM_NUM_PROXIES", default=0)
# QR error correction: L, M (default), Q or H; higher survives more damage but makes bigger codes.
NEWSROOM_QR_ERROR = env.str("NEWSROOM_QR_ERROR", default="M").strip().upper() or "M"
# Optional logo (an image file; relative paths from the project) in the centre of PNG codes,
# which then use error correction H. Off by default; the inline SVG never has one.
NEWSROOM_QR_LOGO = env.str("NEWSROOM_QR_LOGO", default="")
NEWSROOM_QR_LOGO = str(BASE_DIR / NEWSROOM_QR_LOGO) if NEWSROOM_QR_LOGO else ""

# Each of the project's apps logs at INFO (sign-in resets, failed mail, dropped views...).
NEWSROOM_LOGGERS = (
    *("accounts", "api", "articles", "audit", "core", "media", "notifications"),
    *("previews", "qr", "readership", "search"),
)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        app: {"handlers": ["console"], "level": "INFO", "propagate": False}
        for app in NEWSROOM_LOGGERS
    },
}
