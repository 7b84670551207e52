"""``GET /healthz``: may a load balancer send requests here, and is a worker alive?

It answers 200 with what it checked when the database and the cache answer, else 503.
The background workers' heartbeat is reported beside them; with ``?worker=1`` (for
monitoring) a worker not heard from within ``HEALTH_WORKER_SECONDS`` also makes it 503,
while a load balancer, which asks without it, keeps the app servers in service.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from scoring.jobs.heartbeat import last_beat


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return False


def _cache() -> bool:
    key, value = "healthz", secrets.token_hex(8)
    try:
        cache.set(key, value, 10)
        return cache.get(key) == value
    except Exception:  # noqa: BLE001
        return False


@never_cache
@require_safe
def healthz(request):
    database, shared_cache = _database(), _cache()
    beat = last_beat()
    age = (timezone.now() - beat[1]).total_seconds() if beat else None
    worker_ok = age is not None and age <= settings.HEALTH_WORKER_SECONDS
    healthy = database and shared_cache and (worker_ok or request.GET.get("worker") != "1")
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            "database": "ok" if database else "unavailable",
            "cache": "ok" if shared_cache else "unavailable",
            "worker": {
                "status": "ok" if worker_ok else "silent",
                "last_heartbeat": beat[1].isoformat() if beat else None,
                "seconds_ago": round(age) if age is not None else None,
            },
        },
        status=200 if healthy else 503,
    )
