"""Production: every secret from the environment, HTTPS, static files by whitenoise.

The process refuses to start without a real ``SECRET_KEY``.
"""

from django.core.exceptions import ImproperlyConfigured

from portal.logging import init_sentry, logging_settings

from .base import *  # noqa: F403
from .env import env_bool, env_choice, env_decimal, env_int, env_str

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY") or ""
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters in production."
    )

STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "whitenoise.storage.CompressedManifestStaticFilesStorage"
)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# JSON lines for the log shipper unless LOG_FORMAT=text (portal/logging.py).
LOG_FORMAT = env_choice("LOG_FORMAT", LOG_FORMATS, "json")  # noqa: F405
LOGGING = logging_settings(LOG_FORMAT, LOG_LEVEL)  # noqa: F405

# Error reports to Sentry (or GlitchTip) only when a DSN is given; without one the SDK is
# not even imported. No personal data is sent; each event carries the request id.
SENTRY_DSN = env_str("SENTRY_DSN") or ""
SENTRY_TRACES_SAMPLE_RATE = env_decimal("SENTRY_TRACES_SAMPLE_RATE", "0")
if not 0 <= SENTRY_TRACES_SAMPLE_RATE <= 1:
    raise ImproperlyConfigured("SENTRY_TRACES_SAMPLE_RATE must be between 0 and 1.")
if SENTRY_DSN:
    init_sentry(
        SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT") or "production",
        release=env_str("SENTRY_RELEASE"),
        traces=float(SENTRY_TRACES_SAMPLE_RATE),
    )
