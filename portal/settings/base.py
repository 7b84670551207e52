"""Settings shared by every environment.

Deployment values come from the environment (see ``.env.example`` and the README);
nothing secret lives here.
"""

import datetime
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from portal.logging import FORMATS as LOG_FORMATS
from portal.logging import LEVELS as LOG_LEVELS
from portal.logging import logging_settings

from .env import env_bool, env_choice, env_decimal, env_int, env_list, env_str

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

INSTALLED_APPS = [
    "home",
    "scoring",
    "import_export",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.table_block",
    "wagtail.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # First: the request id (taken from a trusted proxy before the next one rewrites the
    # peer address) and the access line, timed around everything else.
    "portal.middleware.RequestIdMiddleware",
    "portal.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    "portal.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "home.cache.PublicCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.PathLocaleMiddleware",
    "portal.middleware.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.IdleSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Two-factor sign-in (scoring/access/twofactor.py): the session's verified device,
    # then the admin closed to a signed-in person until they have given a code.
    "django_otp.middleware.OTPMiddleware",
    "scoring.access.twofactor.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it answers a locked-out login with the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp): the public pages load only the site's own
# scripts, styles, images and fonts, run no inline script or style, and cannot be framed.
# The Wagtail admin still needs inline scripts and styles: widened there only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
ADMIN_CSP_PREFIXES = ("/admin/",)
ADMIN_CSP_UPDATE = {
    "script-src": ["'unsafe-inline'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["blob:"],
    "frame-src": ["'self'"],
}
ADMIN_CSP_REPLACE = {"frame-ancestors": ["'self'"]}  # the admin frames its own previews
PERMISSIONS_POLICY_DENY = [
    "accelerometer",
    "camera",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "payment",
    "usb",
]

# Logins (scoring/access/logins.py): django-axes counts failed logins in the database,
# shared by every app server, per account and, separately, per client address (IPv4, or
# IPv6 /64); the home-affairs office unlocks early from the admin.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30))
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "scoring.access.logins.client_address"
AXES_LOCKOUT_CALLABLE = "scoring.access.logins.lockout_response"
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False

# Two-factor sign-in (scoring/access/twofactor.py): TOTP plus single-use recovery codes,
# required for the roles in TWO_FACTOR_REQUIRED_GROUPS and superusers while
# TWO_FACTOR_REQUIRED is on, optional for everyone else. django-otp doubles the wait after
# each wrong code (1 s, 2 s, 4 s… times the factor).
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", True)
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Sessions end after SESSION_IDLE_MINUTES without a request (portal.middleware
# .IdleSessionMiddleware runs the age afresh at most once a minute), and when the browser
# closes.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

# SQLite file by default; DATABASE_URL=postgres://user:pass@host:5432/name for PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "scoring.access.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese first, English second.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
# Our catalogue first; then our Vietnamese for Wagtail's own admin strings, which its
# catalogue leaves mostly untranslated (kept apart so makemessages never touches it).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_wagtail"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Page content in both languages through Wagtail's own locales: Vietnamese pages at /,
# their English translations under /en/ (editors use the admin's "Translate" action).
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# The paths outside the language prefix (portal/urls.py) whose language is the visitor's
# explicit choice, the cookie set by /i18n/setlang/; every other path names its language
# (/en/… English, anything else Vietnamese), whatever the browser's Accept-Language.
LANGUAGE_COOKIE_PATHS = ["/rate/", "/kiosk/", "/admin/", "/i18n/", "/api/", "/documents/"]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_USER_EDIT_FORM = None

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Media (documents, images, the office's uploaded spreadsheets) in S3-compatible storage
# (AWS, MinIO, Viettel or VNPT object storage) when a bucket is named, so that every app
# server and worker reads the same files; otherwise in MEDIA_ROOT on this machine.
if _media_bucket := env_str("MEDIA_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _media_bucket,
            "endpoint_url": env_str("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": env_str("MEDIA_S3_REGION") or None,
            "access_key": env_str("MEDIA_S3_ACCESS_KEY") or None,
            "secret_key": env_str("MEDIA_S3_SECRET_KEY") or None,
            "location": env_str("MEDIA_S3_PREFIX") or "",
            # Private objects: each download is a signed address that expires.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": env_int("MEDIA_S3_URL_SECONDS", 3600),
            "file_overwrite": False,
            "addressing_style": env_str("MEDIA_S3_ADDRESSING") or "path",
        },
    }

# Sessions in the database and a shared cache (Redis when CACHE_URL is set) keep the
# app servers stateless, so a load balancer can run several of them.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
_cache_url = env_str("CACHE_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}
        if _cache_url
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    # The progress of background jobs, written by the workers and read by the web
    # processes: Redis when there is one, else files every process on the machine shares
    # (an in-process cache would keep each worker's progress to itself).
    "jobs": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
            "KEY_PREFIX": "jobs",
        }
        if _cache_url
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env_str("JOBS_CACHE_DIR") or BASE_DIR / ".cache" / "jobs",
        }
    ),
}

# Long work (month operations, imports, exports, Wagtail's own tasks) runs in the
# background: `manage.py db_worker` takes the tasks from the database (README,
# "Deployment: background workers"). scoring/jobs/ keeps each job's state for the admin.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# The workers enqueue the daily tasks (scoring/jobs/daily.py: forgetting old rating
# address hashes) from their heartbeat, once a day among all of them; off when cron runs
# the matching commands instead (manage.py forget_rating_addresses).
WORKER_DAILY_TASKS = env_bool("WORKER_DAILY_TASKS", True)

# /healthz?worker=1 answers 503 when no background worker has beaten for this long.
HEALTH_WORKER_SECONDS = env_int("HEALTH_WORKER_SECONDS", 120)

# Public pages and open-data answers are cached whole per release (home/cache.py);
# browsers and proxies may keep them a few minutes.
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 7 * 24 * 3600)
PUBLIC_CACHE_MAX_AGE = env_int("PUBLIC_CACHE_MAX_AGE", 300)
# Rows of a month's table of units per page (a province's month stays a light page).
RESULTS_PER_PAGE = env_int("RESULTS_PER_PAGE", 100)
# Paths that are never public-cached, so they do not even ask for the public state.
PUBLIC_CACHE_NEVER = [
    "/healthz",
    "/admin/",
    "/rate/",
    "/kiosk/",
    "/i18n/",
    "/documents/",
    "/static/",
]

WAGTAIL_SITE_NAME = env_str("SITE_NAME") or "Cổng đánh giá, xếp loại hằng tháng"
OTP_TOTP_ISSUER = WAGTAIL_SITE_NAME  # the name the authenticator app shows
WAGTAILADMIN_BASE_URL = env_str("BASE_URL") or "http://127.0.0.1:8000"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "xlsx"]

# django-import-export: every import runs in a transaction and is rolled back whole
# when any row fails.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Load balancers whose X-Forwarded-For is believed (addresses or networks, e.g.
# 10.0.0.0/8); empty: the header is ignored and the peer address is the client.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])

DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or "no-reply@localhost"
EMAIL_HOST = env_str("EMAIL_HOST") or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)

# Logs (portal/logging.py): one line per record on standard error, each with the id of
# the request or background job it belongs to, and one access line per request (logger
# portal.access, INFO). LOG_FORMAT=json writes JSON lines (production's default), text
# lines for people otherwise.
LOG_LEVEL = env_choice("LOG_LEVEL", LOG_LEVELS, "INFO")
LOG_FORMAT = env_choice("LOG_FORMAT", LOG_FORMATS, "text")
LOGGING = logging_settings(LOG_FORMAT, LOG_LEVEL)

# Default deadlines of a month (each month's own dates can be changed in the admin):
# the work plan by this day of the month, self-scoring and evaluation by these days of
# the next month. The regulations leave them to each locality.
PLAN_DEADLINE_DAY = env_int("PLAN_DEADLINE_DAY", 5)
SELF_DEADLINE_DAY = env_int("SELF_DEADLINE_DAY", 3)
EVALUATION_DEADLINE_DAY = env_int("EVALUATION_DEADLINE_DAY", 7)

# Citizen ratings: how long a receipt's code works, the salt of the client-address hash
# (defaults to SECRET_KEY), the longest comment kept, and the rate limits per client
# address (attempts per window of RATING_LIMIT_WINDOW seconds).
RATING_TOKEN_DAYS = env_int("RATING_TOKEN_DAYS", 30)
RATING_HASH_SALT = env_str("RATING_HASH_SALT") or ""
# The keyed hash of a rating's address serves only to spot floods; it is deleted this many
# days after the rating (`manage.py forget_rating_addresses`, daily from cron).
RATING_ADDRESS_DAYS = env_int("RATING_ADDRESS_DAYS", 30)
RATING_COMMENT_MAX_LENGTH = 1000
RATING_SUBMIT_LIMIT = env_int("RATING_SUBMIT_LIMIT", 20)
RATING_LOOKUP_LIMIT = env_int("RATING_LOOKUP_LIMIT", 30)
RATING_LIMIT_WINDOW = env_int("RATING_LIMIT_WINDOW", 600)

# Contests (scoring.contests): a person may contest their final score until this many
# days after the day it was evaluated.
CONTEST_DAYS = env_int("CONTEST_DAYS", 5)

# Publishing (scoring.publishing): no published figure is about fewer than this many
# people or ratings; a locked month is released on this day of the month after it.
PUBLISH_MINIMUM = env_int("PUBLISH_MINIMUM", 10)
RELEASE_DAY = env_int("RELEASE_DAY", 20)
# Publish each unit head's own month (name, post, total, level) beside the aggregates.
# Off by default: the public sees aggregates only, never a non-leader's name.
PUBLISH_LEADER_RESULTS = env_bool("PUBLISH_LEADER_RESULTS", False)
# The licence of the open data (/api/v1/): stated in every answer and in the OpenAPI
# document. Creative Commons Attribution 4.0 unless the locality chooses otherwise.
OPEN_DATA_LICENCE = {
    "name": env_str("OPEN_DATA_LICENCE_NAME") or "Creative Commons Attribution 4.0 International",
    "identifier": env_str("OPEN_DATA_LICENCE_ID") or "CC-BY-4.0",
    "url": env_str("OPEN_DATA_LICENCE_URL") or "https://creativecommons.org/licenses/by/4.0/",
}
# The unit that signs the locality's month report (a unit code; empty: the nearest unit
# above every unit of the report).
HOME_AFFAIRS_UNIT = env_str("HOME_AFFAIRS_UNIT") or ""

# Objectivity checks (scoring.oversight.objectivity): when a month's figure becomes a
# signal for people to look at. Shares and satisfaction ratios are fractions (0.8 = 80%),
# gaps and drops in points; README "Settings" explains each.
OBJECTIVITY_FORMALISM_SHARE = env_decimal("OBJECTIVITY_FORMALISM_SHARE", "0.8")
OBJECTIVITY_FORMALISM_MIN_SHEETS = env_int("OBJECTIVITY_FORMALISM_MIN_SHEETS", 5)
OBJECTIVITY_LENIENCY_POINTS = env_decimal("OBJECTIVITY_LENIENCY_POINTS", "5")
OBJECTIVITY_LENIENCY_MIN_SHEETS = env_int("OBJECTIVITY_LENIENCY_MIN_SHEETS", 3)
OBJECTIVITY_DROP_POINTS = env_decimal("OBJECTIVITY_DROP_POINTS", "20")
OBJECTIVITY_DROP_MONTHS = env_int("OBJECTIVITY_DROP_MONTHS", 3)
OBJECTIVITY_UNIT_SPREAD = env_decimal("OBJECTIVITY_UNIT_SPREAD", "2")
OBJECTIVITY_UNIT_MIN_GAP = env_decimal("OBJECTIVITY_UNIT_MIN_GAP", "5")
OBJECTIVITY_UNIT_MIN_PEERS = env_int("OBJECTIVITY_UNIT_MIN_PEERS", 3)
OBJECTIVITY_UNIT_MIN_SHEETS = env_int("OBJECTIVITY_UNIT_MIN_SHEETS", 3)
OBJECTIVITY_SATISFACTION_LOW = env_decimal("OBJECTIVITY_SATISFACTION_LOW", "0.5")
OBJECTIVITY_SATISFACTION_HIGH = env_decimal("OBJECTIVITY_SATISFACTION_HIGH", "0.9")
OBJECTIVITY_SATISFACTION_MIN_RATINGS = env_int("OBJECTIVITY_SATISFACTION_MIN_RATINGS", 10)
