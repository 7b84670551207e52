"""The production settings, with a minimal view beside the portal for the ceiling.

``BENCH_NO_CACHE=1`` swaps the cache for Django's dummy cache, so every public page is
rendered afresh (the "uncached" figures); otherwise the cache is the one production uses
(Redis with ``CACHE_URL``, else in-process).
"""

import os

from portal.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench_portal_urls"
PUBLIC_CACHE_NEVER = [*PUBLIC_CACHE_NEVER, "/bench/"]  # noqa: F405

if os.environ.get("BENCH_NO_CACHE"):
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}  # noqa: F405
