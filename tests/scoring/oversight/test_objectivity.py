"""The month's objectivity flags, each with the sheets behind it: the worked examples."""

import datetime

import pytest

from scoring.engine.objectivity import SignalKind
from scoring.models import CriterionScore, QuestionSet
from scoring.oversight.objectivity import objectivity_report, thresholds
from scoring.ratings import rating as rating_service
from scoring.ratings import receipts as receipt_service
from tests import factories as f
from tests.scoring.oversight.conftest import make_period

pytestmark = pytest.mark.django_db


def kinds(report, subject=None) -> list[SignalKind]:
    return [flag.kind for flag in report.flags if subject is None or flag.subject == subject]


@pytest.fixture
def staffed(agency, people_in):
    return people_in(agency["unit"], f.position("chuyen-vien"), 12, "Chuyên viên")


def test_an_evaluator_who_gave_12_identical_totals_is_flagged(agency, staffed, make_sheet, month):
    for index, person in enumerate(staffed):
        lines = [("C1", str(20 + index % 3)), ("C2", str(65 - index % 3))]
        make_sheet(
            month,
            person,
            agency["unit"],
            f.position("chuyen-vien"),
            "85",
            evaluator=agency["head"],
            lines=lines,
        )
    report = objectivity_report(month)
    (flag,) = [flag for flag in report.flags if flag.kind == SignalKind.FORMALISM]
    assert flag.subject == agency["head"].full_name
    assert len(flag.sheets) == 12
    assert flag.sheets[0].url.startswith("/admin/month/sheet/")
    assert "12" in flag.explanation


def test_varied_totals_raise_no_formalism(agency, staffed, make_sheet, month):
    for index, person in enumerate(staffed):
        make_sheet(
            month,
            person,
            agency["unit"],
            f.position("chuyen-vien"),
            70 + index,
            evaluator=agency["head"],
        )
    assert SignalKind.FORMALISM not in kinds(objectivity_report(month))


def test_a_lenient_evaluator_is_flagged(agency, staffed, make_sheet, month):
    for index, person in enumerate(staffed[:4]):
        make_sheet(
            month,
            person,
            agency["unit"],
            f.position("chuyen-vien"),
            80 + index,
            self_total=72 + index,
            evaluator=agency["head"],
        )
    (flag,) = [flag for flag in objectivity_report(month).flags if flag.kind == SignalKind.LENIENCY]
    assert flag.figure == 8 and len(flag.sheets) == 4


@pytest.fixture
def dropping(agency, make_sheet, month):
    """A person at 88 in January and February who gets 55 in March."""
    person = f.staff("Hà Thị Giảm", agency["unit"], f.position("chuyen-vien"))
    for number in (1, 2):
        make_sheet(
            make_period(2026, number),
            person,
            agency["unit"],
            f.position("chuyen-vien"),
            "88",
            evaluator=agency["head"],
        )
    return make_sheet(
        month, person, agency["unit"], f.position("chuyen-vien"), "55", evaluator=agency["head"]
    )


def test_a_drop_from_88_to_55_with_no_reason_is_flagged(dropping, month):
    report = objectivity_report(month)
    (flag,) = [flag for flag in report.flags if flag.kind == SignalKind.SUDDEN_DROP]
    assert flag.subject == "Hà Thị Giảm" and flag.figure == 33
    assert [sheet.evaluation_id for sheet in flag.sheets] == [dropping.pk]


def test_the_same_drop_with_a_reason_is_not(dropping, month):
    criterion = dropping.criteria_set.groups.first().criteria.first()
    CriterionScore.objects.create(
        evaluation=dropping,
        criterion=criterion,
        self_points=5,
        final_points=2,
        final_comment="Để xảy ra sai sót nghiêm trọng trong hồ sơ đất đai",
    )
    assert SignalKind.SUDDEN_DROP not in kinds(objectivity_report(month))


def test_a_unit_far_above_its_peers_is_flagged(locality, people_in, make_sheet, month):
    post = f.position("chuyen-vien")
    for index, totals in enumerate(
        [["76", "78", "80"], ["75", "79", "77"], ["81", "79", "80"], ["96", "97", "98"]]
    ):
        unit = f.unit(f"Phòng {index}", "agency", locality["district"])
        head = f.staff(f"Trưởng {index}", unit, f.position("truong-phong"))
        for person, total in zip(people_in(unit, post, 3, f"P{index}"), totals, strict=True):
            make_sheet(month, person, unit, post, total, evaluator=head)
    report = objectivity_report(month)
    (flag,) = [flag for flag in report.flags if flag.kind == SignalKind.UNIT_ABOVE_PEERS]
    assert flag.subject == "Phòng 3" and len(flag.sheets) == 3


def test_an_officer_at_level_1_with_low_satisfaction_is_flagged(desk, locality, make_sheet, month):
    clerk = locality["commune_clerk"]
    question_set = QuestionSet.in_force(datetime.date(2026, 3, 10))
    for index in range(12):
        receipt = receipt_service.issue_receipt(
            desk, clerk, f"H{index:05d}", "Chứng thực bản sao", datetime.date(2026, 3, 10)
        )
        overall = "3" if index < 3 else "1"
        answers = {"overall": overall, "time": "3", "attitude": "3", "guidance": "2", "visits": "3"}
        rating_service.record_rating(receipt, question_set, answers, "", "link", "client")
    make_sheet(
        month,
        clerk,
        locality["commune"],
        locality["clerk_position"],
        "94",
        evaluator=locality["commune_chair"],
    )
    report = objectivity_report(month)
    (flag,) = [f_ for f_ in report.flags if f_.kind == SignalKind.HIGH_LEVEL_LOW_SATISFACTION]
    assert flag.subject == clerk.full_name


def test_a_head_sees_only_the_flags_of_their_units(agency, staffed, make_sheet, month, locality):
    for person in staffed:
        make_sheet(
            month, person, agency["unit"], f.position("chuyen-vien"), "85", evaluator=agency["head"]
        )
    assert objectivity_report(month, (locality["commune"].path,)).flags == []
    assert objectivity_report(month, (agency["unit"].path,)).flags


def test_thresholds_come_from_the_settings(settings):
    settings.OBJECTIVITY_DROP_POINTS = "30"
    settings.OBJECTIVITY_FORMALISM_MIN_SHEETS = 8
    limits = thresholds()
    assert limits.drop_points == 30 and limits.formalism_min_sheets == 8


def test_the_report_reads_the_month_in_a_fixed_number_of_queries(
    agency, staffed, make_sheet, month, django_assert_max_num_queries
):
    for person in staffed:
        make_sheet(
            month, person, agency["unit"], f.position("chuyen-vien"), "85", evaluator=agency["head"]
        )
    with django_assert_max_num_queries(7):
        report = objectivity_report(month)
        [flag.sheets for flag in report.flags]


def test_a_malformed_threshold_stops_the_process(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from portal.settings.env import env_decimal

    monkeypatch.setenv("OBJECTIVITY_DROP_POINTS", "twenty")
    with pytest.raises(ImproperlyConfigured):
        env_decimal("OBJECTIVITY_DROP_POINTS", "20")
    monkeypatch.setenv("OBJECTIVITY_DROP_POINTS", "25.5")
    assert env_decimal("OBJECTIVITY_DROP_POINTS", "20") == 25.5
