"""The unit report and the discipline record in the admin: who sees what, and what it shows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scoring.access import roles
from scoring.models import Discipline
from tests import factories as f
from tests.scoring.rollup.helpers import months

pytestmark = pytest.mark.django_db

YEAR = 2026
REPORT = reverse("scoring_unit_results")


@pytest.fixture
def units():
    district = f.unit("Huyện Quản Bạ", "district")
    agency = f.unit("Phòng Nội vụ", "agency", district)
    other = f.unit("Phòng Tư pháp", "agency", district)
    specialist = f.position("chuyen-vien")
    person = f.staff("Phạm Văn Chuyên", agency, specialist)
    months(person, YEAR, {1: "85", 2: "91", 3: "72", 4: None}, agency)
    best = f.staff("Lê Thị Giỏi", agency, specialist)
    months(best, YEAR, {m: "95" for m in range(1, 13)}, agency)
    months(f.staff("Người Khác", other, specialist), YEAR, {1: "80"}, other)
    return {"district": district, "agency": agency, "other": other, "person": person}


@pytest.fixture
def head(units):
    account = f.user("truongphong", roles.UNIT_HEAD)
    f.staff(
        "Lê Thị Trưởng", units["agency"], f.position("truong-phong", is_head=True), user=account
    )
    return account


def refused(client, url, **params) -> bool:
    """Wagtail answers a refused admin page by redirecting to the dashboard."""
    response = client.get(url, params)
    home = response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    return home or response.status_code == 403


def test_the_office_reads_a_units_year_with_its_lists(client, units):
    client.force_login(f.user("noivu", roles.HOME_AFFAIRS))
    response = client.get(REPORT, {"unit": units["agency"].pk, "year": YEAR})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Phạm Văn Chuyên" in page and "Lê Thị Giỏi" in page
    assert "Người Khác" not in page
    assert "vắng" in page and "82,67" in page and "95,00" in page
    assert "Đề nghị khen thưởng" in page and "Lê Thị Giỏi (" in page


def test_a_quarter_shows_its_three_months_and_its_mean(client, units):
    client.force_login(f.user("noivu", roles.HOME_AFFAIRS))
    response = client.get(REPORT, {"unit": units["agency"].pk, "year": YEAR, "quarter": 1})
    assert response.status_code == 200
    assert response.context["month_labels"] == ["T1", "T2", "T3"]
    person, standing = response.context["lines"][1]
    assert (person.full_name, str(standing.total)) == ("Phạm Văn Chuyên", "82.67")


def test_a_unit_head_reads_their_unit_and_nothing_else(client, units, head):
    client.force_login(head)
    assert client.get(REPORT).context["unit"] == units["agency"]
    assert client.get(REPORT, {"unit": units["agency"].pk, "year": YEAR}).status_code == 200
    assert client.get(REPORT, {"unit": units["other"].pk, "year": YEAR}).status_code == 404
    assert client.get(REPORT, {"unit": units["district"].pk}).status_code == 404


def test_a_staff_member_may_not_read_unit_reports(client, units):
    client.force_login(f.user("canbo", roles.STAFF_MEMBER))
    assert refused(client, REPORT)


def test_the_report_is_a_fixed_number_of_queries(client, units, django_assert_num_queries):
    client.force_login(f.user("noivu", roles.HOME_AFFAIRS))
    client.get(REPORT, {"unit": units["agency"].pk, "year": YEAR})  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(REPORT, {"unit": units["agency"].pk, "year": YEAR})
    for n in range(12):
        months(
            f.staff(f"Thêm {n}", units["agency"], f.position("chuyen-vien")),
            YEAR,
            {1: "70"},
            units["agency"],
        )
    with django_assert_num_queries(len(few)):
        response = client.get(REPORT, {"unit": units["agency"].pk, "year": YEAR})
    assert len(response.context["lines"]) == 14


def test_the_office_records_a_discipline_and_the_year_follows(client, units):
    client.force_login(f.user("noivu", roles.HOME_AFFAIRS))
    response = client.post(
        reverse("discipline:add"),
        {
            "staff": units["person"].pk,
            "kind": "reprimand",
            "decided_on": "2026-03-12",
            "decision_number": "15/QĐ-UBND",
            "note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    discipline = Discipline.objects.get()
    assert discipline.recorded_by.username == "noivu"
    assert discipline.decided_on == datetime.date(2026, 3, 12)
    page = client.get(REPORT, {"unit": units["agency"].pk, "year": YEAR}).content.decode()
    assert "Khiển trách (quyết định số 15/QĐ-UBND" in page
    assert "Cần quan tâm" in page


def test_a_unit_head_may_not_record_discipline(client, units, head):
    client.force_login(head)
    assert refused(client, reverse("discipline:index"))
    assert refused(client, reverse("discipline:add"))


def test_months_served_in_another_unit_are_marked_in_the_report(client):
    old, new = f.unit("Phòng Tư pháp", "agency"), f.unit("Phòng Nội vụ", "agency")
    person = f.staff("Đỗ Thị Chuyển", old, f.position("chuyen-vien"))
    months(person, YEAR, {m: "90" for m in range(1, 8)}, old)
    months(person, YEAR, {m: "70" for m in range(8, 13)}, new)
    client.force_login(f.user("noivu", roles.HOME_AFFAIRS))
    page = client.get(REPORT, {"unit": new.pk, "year": YEAR}).content.decode()
    assert page.count("rollup-elsewhere") == 7
    assert "81,67" in page


def test_the_menu_offers_the_report_to_heads_and_the_office_and_discipline_to_the_office(
    client, units, head
):
    home = reverse("wagtailadmin_home")
    client.force_login(f.user("noivu", roles.HOME_AFFAIRS))
    office_menu = client.get(home).content.decode()
    assert REPORT in office_menu and reverse("discipline:index") in office_menu
    client.force_login(head)
    head_menu = client.get(home).content.decode()
    assert REPORT in head_menu and reverse("discipline:index") not in head_menu
    client.force_login(f.user("canbo", roles.STAFF_MEMBER))
    assert REPORT not in client.get(home).content.decode()
