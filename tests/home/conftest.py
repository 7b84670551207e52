"""Shared data for the rating pages: a desk of the seed locality and its receipts."""

import datetime
import importlib
import struct
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

from scoring import ratings
from scoring.models import QuestionSet, ServiceDesk
from tests.scoring.conftest import locality  # noqa: F401

CATALOGUE = Path(django_settings.BASE_DIR) / "home" / "ratings_vi.txt"
DAY = datetime.date(2026, 3, 10)
ALL_SATISFIED = {"overall": "3", "time": "3", "attitude": "3", "guidance": "2", "visits": "3"}


def vietnamese_lines() -> dict[str, str]:
    lines = CATALOGUE.read_text(encoding="utf-8").splitlines()
    return dict(line.split("\t") for line in lines if line.strip())


def write_mo(path: Path, catalogue: dict[str, str]) -> None:
    """A minimal GNU .mo file (the format Python's gettext reads)."""
    header = "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=1; plural=0;\n"
    entries = sorted({"": header, **catalogue}.items())
    ids = [key.encode() for key, _value in entries]
    strs = [value.encode() for _key, value in entries]
    start = 28 + 16 * len(entries)
    table, data = [], b""
    for text in ids + strs:
        table.append((len(text), start + len(data)))
        data += text + b"\0"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        struct.pack("<7I", 0x950412DE, 0, len(entries), 28, 28 + 8 * len(entries), 0, 0)
        + b"".join(struct.pack("<2I", *pair) for pair in table)
        + data
    )


@pytest.fixture(scope="session")
def _catalogue_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("locale")
    write_mo(folder / "vi" / "LC_MESSAGES" / "django.mo", vietnamese_lines())
    return folder


@pytest.fixture(autouse=True)
def vietnamese(settings, _catalogue_folder):
    """Read home/ratings_vi.txt as a last-resort catalogue until it is compiled into
    locale/vi (the project's own catalogue comes first, so this changes nothing after)."""
    settings.LOCALE_PATHS = [*settings.LOCALE_PATHS, _catalogue_folder]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate limits live in the cache: every test starts with none counted."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def questions(locality):  # noqa: F811
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
def desk(locality, questions):  # noqa: F811
    desk = ServiceDesk.objects.create(
        unit=locality["commune"], code="mot-cua-qt", name="Bộ phận một cửa xã Quyết Tiến"
    )
    desk.officers.set([locality["commune_clerk"]])
    desk.save()
    return desk


@pytest.fixture
def officer(locality):  # noqa: F811
    return locality["commune_clerk"]


def issue(desk, officer, number: int = 1, day: datetime.date = DAY):
    return ratings.issue_receipt(
        desk, officer, f"QT-2026-00{number:04d}", "Chứng thực bản sao", day
    )


@pytest.fixture
def receipt(desk, officer):
    return issue(desk, officer)
