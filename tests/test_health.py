"""``/healthz``: the database and the cache answer; the workers' heartbeat is reported."""

import datetime

import pytest
from django.core.cache import caches
from django.core.management import get_commands
from django.utils import timezone

from scoring.jobs import heartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_heartbeat():
    caches["jobs"].delete(heartbeat.KEY)
    yield
    caches["jobs"].delete(heartbeat.KEY)


def test_healthy_with_the_database_and_the_cache_and_the_worker_reported_silent(client):
    answer = client.get("/healthz")
    assert answer.status_code == 200
    body = answer.json()
    assert (body["status"], body["database"], body["cache"]) == ("ok", "ok", "ok")
    assert body["worker"] == {"status": "silent", "last_heartbeat": None, "seconds_ago": None}
    assert "no-cache" in answer["Cache-Control"]
    assert client.get("/healthz?worker=1").status_code == 503  # monitoring wants a worker


def test_a_recent_heartbeat_makes_the_worker_healthy_and_an_old_one_does_not(client, settings):
    heartbeat.beat("host:1")
    answer = client.get("/healthz?worker=1")
    assert answer.status_code == 200
    assert answer.json()["worker"]["status"] == "ok"
    old = timezone.now() - datetime.timedelta(seconds=settings.HEALTH_WORKER_SECONDS + 5)
    caches["jobs"].set(heartbeat.KEY, {"worker": "host:1", "at": old.isoformat()})
    assert client.get("/healthz?worker=1").status_code == 503


def test_the_worker_beats_from_its_own_thread_until_stopped():
    stopped = heartbeat.start_beating("host:2")
    try:
        for _ in range(50):
            if heartbeat.last_beat():
                break
            stopped.wait(0.05)
        worker, when = heartbeat.last_beat()
        assert worker == "host:2"
        assert timezone.now() - when < datetime.timedelta(seconds=5)
    finally:
        stopped.set()


def test_the_worker_command_is_the_one_that_beats():
    assert get_commands()["db_worker"] == "scoring"


def test_only_get_and_head(client):
    assert client.post("/healthz").status_code == 405
