"""The daily task that forgets old rating address hashes, started by the workers' beat
once a day whatever the number of workers, and run through the real database queue."""

import datetime
import importlib
import time

import pytest
from django.core.cache import caches
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from scoring.jobs import daily
from scoring.models import CitizenRating, QuestionSet
from scoring.ratings import rating as rating_service
from scoring.ratings import receipts as receipt_service
from scoring.ratings import retention

pytestmark = pytest.mark.django_db(transaction=True)

PATH = "scoring.ratings.retention.forget_old_addresses"
ANSWERS = {"overall": "3", "time": "3", "attitude": "3", "guidance": "2", "visits": "3"}


@pytest.fixture(autouse=True)
def database_queue(settings):
    """The production queue (the suite otherwise runs tasks at once), no day claimed."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.RATING_ADDRESS_DAYS = 30
    caches["jobs"].clear()
    yield
    caches["jobs"].clear()


@pytest.fixture
def ratings(desk, locality):
    """Two ratings with address hashes: one 31 days old, one fresh."""
    shipped = importlib.import_module("scoring.migrations.0007_rating_defaults")
    questions = QuestionSet.objects.create(
        name="Bộ câu hỏi", scale=3, effective_from=datetime.date(2019, 1, 1)
    )
    for code, text_vi, text_en, overall in shipped.QUESTIONS:
        questions.questions.create(code=code, text_vi=text_vi, text_en=text_en, is_overall=overall)
    officer, today = locality["commune_clerk"], timezone.localdate()
    made = []
    for number in range(2):
        receipt = receipt_service.issue_receipt(desk, officer, f"H{number}", "Chứng thực", today)
        made.append(rating_service.record_rating(receipt, questions, ANSWERS, "", "link", "h"))
    old, fresh = made
    CitizenRating.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    return old, fresh


def hashes(*found):
    return [CitizenRating.objects.get(pk=rating.pk).client_hash for rating in found]


def queued():
    return DBTaskResult.objects.filter(task_path=PATH)


def test_the_retention_task_is_enqueued_once_a_day_and_the_worker_runs_it(ratings, worker):
    day = datetime.date(2026, 3, 10)

    assert daily.enqueue_due(day) == [PATH]
    assert daily.enqueue_due(day) == []  # a second worker's beat finds the day claimed
    assert queued().count() == 1 and queued().get().status == "READY"

    worker()

    assert hashes(*ratings) == ["", "h"]  # the old hash forgotten, the fresh one kept
    task = queued().get()
    assert task.status == "SUCCESSFUL" and task.return_value == 1
    assert CitizenRating.objects.count() == 2
    assert daily.enqueue_due(day + datetime.timedelta(days=1)) == [PATH]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite's test database is not shared by threads"
)
def test_the_worker_commands_beat_enqueues_the_task(ratings, worker, settings):
    settings.WORKER_DAILY_TASKS = True
    worker()  # its heartbeat enqueues today's run (from its own thread)
    for _ in range(100):
        if queued().exists():
            break
        time.sleep(0.05)
    assert queued().count() == 1
    worker()
    assert hashes(*ratings) == ["", "h"]
    worker()  # another worker the same day: nothing more is enqueued
    assert queued().count() == 1


def test_running_the_task_twice_does_no_harm(ratings):
    assert retention.forget_old_addresses.call() == 1
    assert retention.forget_old_addresses.call() == 0
    assert hashes(*ratings) == ["", "h"]


def test_a_day_whose_enqueuing_failed_is_tried_again(settings):
    settings.TASKS = {"default": {"BACKEND": "no.such.Backend"}}
    day = datetime.date(2026, 3, 11)
    with pytest.raises(Exception):  # noqa: B017, PT011 the backend cannot be loaded
        daily.enqueue_due(day)
    assert daily.claim(PATH, day)  # the failed day was released


def test_the_worker_enqueues_nothing_when_the_daily_tasks_are_off(ratings, worker, settings):
    settings.WORKER_DAILY_TASKS = False
    worker()
    assert not queued().exists()
