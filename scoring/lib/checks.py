"""Deployment checks (`manage.py check --deploy`) of what the portal's own rules need."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register

PROCESS_LOCAL = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches, deploy=True)
def shared_cache(app_configs=None, **kwargs) -> list[Warning]:
    """Rate limits, the published-page cache and its clearing on a release live in the
    default cache: in one process's memory, each gunicorn worker would count and clear
    its own (three workers let three times the look-ups through)."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in PROCESS_LOCAL:
        return []
    return [
        Warning(
            "The default cache is in each process's memory: the citizens' rate limits and "
            "the published pages would be counted and cleared per gunicorn worker.",
            hint="Set CACHE_URL to a Redis server (e.g. redis://127.0.0.1:6379/0).",
            id="portal.W001",
        )
    ]
