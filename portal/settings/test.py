"""Settings for the test suite: fast hashing, in-memory e-mail."""

from .base import *  # noqa: F403
from .env import env_str

DEBUG = False
SECRET_KEY = "test-only-insecure-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WAGTAILADMIN_BASE_URL = env_str("BASE_URL") or "http://testserver"
# Jobs run at once, in the test's own transaction (a test that wants the database queue
# and the real worker says so: tests/scoring/jobs/test_worker.py); progress in memory.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES["jobs"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "jobs"}  # noqa: F405
# The workers' daily tasks only where a test asks for them (tests/scoring/ratings/).
WORKER_DAILY_TASKS = False
# The suite signs office users in with force_login; the two-factor tests turn it on.
TWO_FACTOR_REQUIRED = False
