"""The quota page and the objectivity report: who sees what, the decision, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scoring.models import QuotaDecision
from tests import factories as f

pytestmark = pytest.mark.django_db

QUOTA = reverse("scoring_oversight_quota")
OBJECTIVITY = reverse("scoring_oversight_objectivity")


@pytest.fixture
def broken_month(agency, people_in, make_sheet, month):
    """13 specialists of the agency: 3 at level 1 (95, 91.5, 93), 10 at level 2."""
    post = f.position("chuyen-vien")
    people = people_in(agency["unit"], post, 13, "Chuyên viên")
    totals = ["95", "91.5", "93", *(["85"] * 10)]
    return [
        make_sheet(month, person, agency["unit"], post, total, evaluator=agency["head"])
        for person, total in zip(people, totals, strict=True)
    ]


def refused(response) -> bool:
    """Wagtail answers a missing permission with 403 or a redirect to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def unit_page(month, unit) -> str:
    return f"{QUOTA}?period={month.pk}&unit={unit.pk}"


def test_the_office_sees_every_unit_and_the_broken_quota(
    client, accounts, agency, broken_month, month
):
    client.force_login(accounts["office"])
    overview = client.get(f"{QUOTA}?period={month.pk}")
    assert overview.status_code == 200
    assert agency["unit"].name in overview.content.decode()
    page = client.get(unit_page(month, agency["unit"]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Chuyên viên 01" in body and reverse("scoring_review", args=[broken_month[1].pk]) in body
    assert 'name="keep"' not in body  # the office reads; the head decides


def test_a_head_sees_their_unit_and_no_other(
    client, accounts, agency, broken_month, month, locality
):
    client.force_login(accounts["head"])
    assert client.get(unit_page(month, agency["unit"])).status_code == 200
    assert client.get(unit_page(month, locality["commune"])).status_code == 404


def test_staff_who_head_nothing_are_refused(client, accounts, month):
    client.force_login(accounts["clerk"])
    assert refused(client.get(QUOTA))
    assert refused(client.get(OBJECTIVITY))


def test_the_head_records_who_keeps_level_1(client, accounts, agency, broken_month, month):
    client.force_login(accounts["head"])
    page = client.get(unit_page(month, agency["unit"])).content.decode()
    assert 'name="keep"' in page
    group = f"position:{broken_month[0].position_id}"
    data = {
        "period": month.pk,
        "unit": agency["unit"].pk,
        "group": group,
        "keep": [broken_month[0].pk, broken_month[2].pk],
        "reason": "Hai người có sáng kiến được công nhận",
    }
    response = client.post(QUOTA, data)
    assert response.status_code == 302
    decision = QuotaDecision.objects.get()
    assert decision.decided_by == accounts["head"] and decision.cap == 2
    moved = {line.evaluation_id for line in decision.lines.all() if not line.keeps_excellent}
    assert moved == {broken_month[1].pk}
    shown = client.get(unit_page(month, agency["unit"])).content.decode()
    assert "Hai người có sáng kiến được công nhận" in shown


def test_the_office_may_not_decide_for_the_head(client, accounts, agency, broken_month, month):
    client.force_login(accounts["office"])
    data = {"period": month.pk, "unit": agency["unit"].pk, "group": "x", "reason": "r"}
    assert refused(client.post(QUOTA, data))
    assert not QuotaDecision.objects.exists()


def test_the_objectivity_report_lists_flags_with_their_sheets(
    client, accounts, agency, people_in, make_sheet, month, locality
):
    post = f.position("chuyen-vien")
    sheets = [
        make_sheet(month, person, agency["unit"], post, "85", evaluator=agency["head"])
        for person in people_in(agency["unit"], post, 12, "Đều")
    ]
    client.force_login(accounts["office"])
    for by in ("evaluator", "unit"):
        page = client.get(f"{OBJECTIVITY}?period={month.pk}&by={by}")
        body = page.content.decode()
        assert page.status_code == 200
        assert reverse("scoring_review", args=[sheets[0].pk]) in body
        assert agency["head"].full_name in body


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_counts_do_not_grow_with_rows(
    client, accounts, agency, people_in, make_sheet, month, locality
):
    client.force_login(accounts["office"])
    post = f.position("chuyen-vien")
    pages = [
        unit_page(month, agency["unit"]),
        f"{QUOTA}?period={month.pk}",
        f"{OBJECTIVITY}?period={month.pk}",
    ]

    def add(count, prefix):
        for person in people_in(agency["unit"], post, count, prefix):
            make_sheet(month, person, agency["unit"], post, "95", evaluator=agency["head"])
        unit = f.unit(f"Phòng {prefix}", "agency", locality["district"])
        head = f.staff(f"Trưởng {prefix}", unit, f.position("truong-phong"))
        for person in people_in(unit, post, count, f"{prefix}-b"):
            make_sheet(month, person, unit, post, "85", evaluator=head)

    add(4, "A")
    before = [queries(client, url) for url in pages]
    add(12, "B")
    after = [queries(client, url) for url in pages]
    assert after == before
