"""Two people saving one sheet at the same moment: exactly one wins, the other is told."""

import threading

import pytest
from django.db import connection

from scoring import cycle, sheets
from scoring.models import CriterionScore, Evaluation, Period
from tests import factories as f

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="real concurrent writers need PostgreSQL"
    ),
]


def test_simultaneous_saves_of_one_sheet_never_silently_overwrite(locality):
    period = cycle.open_period(2026, 3).period
    cycle.advance_period(period, Period.State.SELF_SCORING)
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
