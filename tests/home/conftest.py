"""Shared data for the rating pages: a desk of the seed locality and its receipts."""

import datetime
import importlib
from pathlib import Path

import pytest
from django.core.cache import cache

from scoring.models import QuestionSet
from scoring.ratings import receipts as receipt_service
from tests import factories as f

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
]

DAY = datetime.date(2026, 3, 10)
ALL_SATISFIED = {"overall": "3", "time": "3", "attitude": "3", "guidance": "2", "visits": "3"}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate limits live in the cache: every test starts with none counted."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def questions(locality):
    """The shipped question set; transactional tests flush what the migration made."""
    question_set = QuestionSet.in_force(DAY)
    if question_set is None:
        shipped = importlib.import_module("scoring.migrations.0007_rating_defaults")
        question_set = QuestionSet.objects.create(
            name="Bộ câu hỏi mặc định", scale=3, effective_from=datetime.date(2019, 1, 1)
        )
        for code, text_vi, text_en, overall in shipped.QUESTIONS:
            question_set.questions.create(
                code=code, text_vi=text_vi, text_en=text_en, is_overall=overall
            )
        question_set.save()
    return question_set


@pytest.fixture
def desk(locality, questions):
    return f.desk(
        locality["commune"],
        "mot-cua-qt",
        "Bộ phận một cửa xã Quyết Tiến",
        [locality["commune_clerk"]],
    )


@pytest.fixture
def officer(locality):
    return locality["commune_clerk"]


def issue(desk, officer, number: int = 1, day: datetime.date = DAY):
    return receipt_service.issue_receipt(
        desk, officer, f"QT-2026-00{number:04d}", "Chứng thực bản sao", day
    )


@pytest.fixture
def receipt(desk, officer):
    return issue(desk, officer)


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium, headless, for the browser tests of this folder."""
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API keeps an event loop in this thread; the ORM calls here are
    # ordinary blocking calls made between browser steps, so Django may allow them. Set
    # only while these tests run: a deployment check elsewhere warns about it.
    with pytest.MonkeyPatch.context() as patch, sync_api.sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
