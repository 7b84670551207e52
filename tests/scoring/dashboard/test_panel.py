"""The progress panel on the admin home: who gets it and for which units, its words in
Vietnamese and English, a chart that agrees with its table, links to the reports, and a
query count that does not grow with units or people."""

import re
from html import unescape

import pytest
from django.test import RequestFactory
from django.urls import reverse

from scoring.dashboard.panels import progress_panels
from scoring.models import UnitMonth
from tests import factories as f

from .conftest import make_period

pytestmark = pytest.mark.django_db

HOME = reverse("wagtailadmin_home")
PANEL = 'aria-labelledby="scoring-progress-title"'


def home(client, user) -> str:
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def chart(body: str) -> dict[str, dict[str, int]]:
    """Each bar of the SVG: its sheets and the count of each stage, by unit key."""
    svg = body[
        body.index('<svg class="dashboard-svg"') : body.index("</svg>", body.index("dashboard-svg"))
    ]
    bars = {}
    for key, sheets, inside in re.findall(
        r'<g class="dashboard-bar[^"]*" data-unit="(\w+)" data-sheets="(\d+)">(.*?)</g>', svg, re.S
    ):
        stages = dict(re.findall(r'data-stage="(\w+)" data-count="(\d+)"', inside))
        bars[key] = {"sheets": int(sheets), **{k: int(v) for k, v in stages.items()}}
    return bars


def table(body: str) -> dict[str, dict[str, int]]:
    """Each row of the data table: its figures, by unit key."""
    rows = {}
    for key, inside in re.findall(r'<tr data-unit="(\w+)">(.*?)</tr>', body, re.S):
        cells = re.findall(r'data-stat="(\w+)">(\d+)</td>', inside)
        rows[key] = {name: int(value) for name, value in cells}
    return rows


def test_the_office_sees_every_unit_with_chart_table_flags_and_what_is_late(
    client, accounts, worked_month, agency, locality, november
):
    body = home(client, accounts["office"])
    assert PANEL in body
    assert "Tiến độ tháng 11/2026" in body and "Tất cả các đơn vị." in body
    rows = table(body)
    assert set(rows) == {str(agency["unit"].pk), str(locality["commune"].pk), "total"}
    assert rows["total"] == {
        "sheets": 9,
        "planned": 3,
        "self_scored": 5,
        "evaluated": 3,
        "absent": 1,
        "late": 5,
    }
    assert 'role="img"' in body and '<title id="scoring-progress-svg-title">' in body
    assert "1 cảnh báo chưa xử lý" in body
    assert f"{reverse('scoring_oversight_objectivity')}?period={november.pk}" in body
    month = reverse("scoring_oversight_month")
    assert f"{month}?period={november.pk}&amp;unit={agency['unit'].pk}" in body
    assert "1 đơn vị chưa gửi báo cáo dù đã quá hạn đánh giá" in body
    assert "có, 30/11/2026 16:45" in body  # the commune's report, in local time


def test_the_chart_and_the_table_agree(client, accounts, worked_month):
    body = home(client, accounts["office"])
    bars, rows = chart(body), table(body)
    assert set(bars) == set(rows)
    for key, bar in bars.items():
        row = rows[key]
        assert bar["sheets"] == row["sheets"]
        assert bar.get("evaluated", 0) == row["evaluated"]
        assert bar.get("evaluated", 0) + bar.get("awaiting_evaluation", 0) == row["self_scored"]
        assert bar.get("absent", 0) == row["absent"]
        stages = ("evaluated", "awaiting_evaluation", "planned", "not_started", "absent")
        assert sum(bar.get(stage, 0) for stage in stages) == row["sheets"]


def test_the_bars_fill_the_chart_width(client, accounts, worked_month):
    from scoring.dashboard.panels import WIDTH

    body = home(client, accounts["office"])
    for bar in re.findall(r'<g class="dashboard-bar.*?</g>', body, re.S):
        widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="\d+" width="([\d.]+)"', bar)]
        assert sum(widths) == pytest.approx(WIDTH)  # and written with a dot, whatever the language


def test_a_unit_head_sees_only_the_units_they_head(
    client, accounts, worked_month, agency, locality
):
    body = home(client, accounts["head"])
    assert PANEL in body and "Các đơn vị do đồng chí phụ trách" in body
    assert set(table(body)) == {str(agency["unit"].pk), "total"}
    assert locality["commune"].name not in unescape(body.split(PANEL, 1)[1])


def test_a_staff_member_gets_no_panel(client, accounts, worked_month):
    assert PANEL not in home(client, accounts["clerk"])


def test_the_panel_reads_in_english_for_an_english_user(client, accounts, worked_month):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(accounts["office"])
    profile.preferred_language = "en"
    profile.save()
    body = home(client, accounts["office"])
    assert "Progress of 11/2026" in body and "Plans registered" in body
    assert "1 open flag" in body and "What is late" in body
    assert "Tiến độ tháng" not in body and "Đã đăng ký kế hoạch" not in body


def test_before_the_first_month_the_panel_says_so(client, accounts):
    body = home(client, accounts["office"])
    assert "Chưa mở tháng đánh giá nào." in body


@pytest.fixture
def staffed_month(agency, people_in, make_sheet, add_plan):
    """``staffed_month(units, headcount)``: that many agencies below the agency, each with
    that many planned, evaluated sheets and a report row."""

    def build(units, headcount):
        november = make_period(2026, 11)
        post = f.position("chuyen-vien")
        for index in range(units):
            unit = f.unit(f"Phòng {index:02d}", "agency", agency["unit"])
            for person in people_in(unit, post, headcount, f"Người {index:02d}"):
                add_plan(make_sheet(november, person, unit, post, "85", evaluator=agency["head"]))
            UnitMonth.objects.create(period=november, unit=unit)

    return build


@pytest.mark.parametrize("units, headcount", [(2, 3), (8, 12)])
def test_the_panel_reads_the_month_in_a_fixed_number_of_queries(
    units, headcount, accounts, staffed_month, django_assert_max_num_queries
):
    """The month (at most two), the report rows, the sheets, the flags (at most seven)."""
    staffed_month(units, headcount)
    for user in (accounts["office"], accounts["head"]):
        request = RequestFactory().get(HOME)
        request.user = user
        (panel,) = progress_panels(request)
        with django_assert_max_num_queries(11):
            html = panel.render_html({})
        assert len(table(html)) == units + 1


# The whole admin home, with Wagtail's own panels and the month panel: the office's page
# and a head's (who also has an evaluator's queue and more menus) at both sizes.
@pytest.mark.parametrize("units, headcount", [(2, 3), (8, 12)])
def test_the_home_page_queries_do_not_grow_with_units_or_people(
    units, headcount, client, accounts, staffed_month, django_assert_max_num_queries
):
    staffed_month(units, headcount)
    for user, most in ((accounts["office"], 28), (accounts["head"], 44)):
        client.force_login(user)
        with django_assert_max_num_queries(most):
            body = client.get(HOME).content.decode()
        assert len(table(body)) == units + 1


def test_the_lists_name_the_first_units_and_count_the_rest(
    client, accounts, worked_month, agency, locality, monkeypatch
):
    from scoring.dashboard import panels

    monkeypatch.setattr(panels, "UNITS_SHOWN", 1)
    body = home(client, accounts["office"])
    start = body.index('id="scoring-progress-late"')
    late = unescape(body[start : body.index("</section>", start)])
    assert f"{agency['unit'].name}</a>: 3 phiếu" in late and "và 1 mục khác" in late
    assert locality["commune"].name not in late  # the second unit with late sheets
