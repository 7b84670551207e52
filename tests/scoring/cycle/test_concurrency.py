"""Two people saving one sheet at the same moment: exactly one wins, the other is told."""

import datetime
import threading

import pytest
from django.db import connection

from scoring.cycle import periods, sheets
from scoring.models import (
    ClassificationBand,
    CriteriaSet,
    Criterion,
    CriterionGroup,
    CriterionScore,
    Evaluation,
    Period,
)
from tests import factories as f

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="real concurrent writers need PostgreSQL"
    ),
]


@pytest.fixture
def criteria_set(transactional_db):
    """A set of its own: a flush by an earlier transactional test removes shipped data."""
    criteria_set = CriteriaSet.objects.create(
        code="concurrency", name="Concurrency", effective_from=datetime.date(2026, 1, 1)
    )
    group = CriterionGroup.objects.create(criteria_set=criteria_set, title="Chung")
    Criterion.objects.create(group=group, code="C1", title="C1", max_points=10)
    for level, minimum in ((1, 90), (2, 70), (3, 50), (4, 0)):
        ClassificationBand.objects.create(criteria_set=criteria_set, level=level, minimum=minimum)
    return criteria_set


def test_simultaneous_saves_of_one_sheet_never_silently_overwrite(locality, criteria_set):
    period = periods.open_period(2026, 3).period
    periods.advance_period(period, Period.State.SELF_SCORING)
    evaluation = Evaluation.objects.get(staff=locality["commune_clerk"], period=period)
    version = evaluation.version
    user = f.user("canbo")
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def save(points: int) -> None:
        try:
            data = sheets.load(evaluation.pk)
            criterion = next(c for c in data.criteria if c.code == "C1")
            barrier.wait()
            sheets.save_self_scores(data, user, {criterion.pk: (points, "")}, version)
            outcomes.append("saved")
        except sheets.StaleSheet:
            outcomes.append("stale")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(points,)) for points in range(1, 9)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["saved"] + ["stale"] * 7
    assert CriterionScore.objects.filter(evaluation=evaluation).count() == 1
    assert Evaluation.objects.get(pk=evaluation.pk).version == version + 1
