"""The published results pages: only released months, suppressed figures shown as
"fewer than 10", corrections with their history, sorting and filtering without
JavaScript, a methodology generated from the data, and pages cheap to serve."""

import datetime
import re
from decimal import Decimal
from html import unescape
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.formats import date_format

from home.content.site import ensure_site
from home.models import MethodologyPage, ResultsIndexPage
from home.results import display
from home.results.setup import ensure_results_pages
from scoring.access import roles
from scoring.criteria.models import CriteriaSet, Criterion
from scoring.criteria.versions import new_version
from scoring.cycle import closing, periods
from scoring.models import Evaluation, QuestionSet
from scoring.publishing import public, releases
from scoring.ratings import rating as rating_service
from scoring.ratings import receipts as receipt_service
from tests import factories as f

pytestmark = pytest.mark.django_db
State = Evaluation.State
SATISFIED = {"overall": "3", "time": "3", "attitude": "3", "guidance": "2", "visits": "3"}


# --- Building released months, as tests/scoring/publishing does -----------------------


@pytest.fixture
def pages(db):
    """The whole site as every locality gets it, in both languages."""
    home = ensure_site()
    results, method = ensure_results_pages(home)
    return {"home": home, "results": results, "methodology": method}


@pytest.fixture
def officers(db):
    return f.user("noivu1", roles.HOME_AFFAIRS), f.user("noivu2", roles.HOME_AFFAIRS)


def open_month(year, month, total="80", level=2):
    period = periods.open_period(year, month).period
    Evaluation.objects.filter(period=period).update(
        state=State.APPROVED, final_total=Decimal(total), level=level
    )
    return period


def lock(period):
    """Lock the month; its sheets keep the totals and levels the test gave them (freezing
    would recompute them from criterion lines, which these page tests do not write)."""
    for unit in closing.month_units(period):
        closing.submit_unit_month(period, unit, None)
    with mock.patch("scoring.cycle.periods.freeze_results", return_value=0):
        return periods.close_period(period)


def release(period, officers, at=None, note="", approve=True):
    if not period.is_closed:
        period = lock(period)
    prepared = releases.prepare(
        period, officers[0], at or timezone.now() - datetime.timedelta(minutes=1), note
    )
    if approve:
        releases.approve(prepared, officers[1])
    public.changed()  # the approval's on-commit callback: a test's transaction never commits
    return period


def people(unit, count, post, prefix):
    return [f.staff(f"{prefix} {index}", unit, post) for index in range(count)]


def body(response) -> str:
    return unescape(response.content.decode())


def without_token(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def row_cells(html: str, name: str, table: str = "units") -> list[str]:
    """The cells of the row headed by ``name`` in the table of class ``table``, as text."""
    html = html.split(f'<table class="{table}">', 1)[1].split("</table>", 1)[0]
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        if f">{name}<" in row:
            cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
            return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]
    raise AssertionError(f"no row for {name}")


# --- Before anything is released ------------------------------------------------------


def test_the_results_pages_are_created_once_and_published(pages):
    again = ensure_results_pages(pages["home"])
    assert [page.pk for page in again] == [pages["results"].pk, pages["methodology"].pk]
    assert ResultsIndexPage.objects.live().filter(locale__language_code="vi").count() == 1
    assert MethodologyPage.objects.live().filter(locale__language_code="vi").count() == 1
    assert pages["results"].slug == "ket-qua" and pages["methodology"].slug == "phuong-phap"


def test_with_no_released_month_every_page_says_so_clearly(client, pages):
    home = client.get("/")
    index = client.get("/ket-qua/")
    assert home.status_code == index.status_code == 200
    for response in (home, index):
        assert "Chưa có tháng nào được công bố" in body(response)
    assert client.get("/ket-qua/2026-03/").status_code == 404
    assert client.get("/phuong-phap/").status_code == 200


# --- Only released months -------------------------------------------------------------


@pytest.fixture
def march(locality, officers, pages):
    return release(open_month(2026, 3), officers)


def test_an_unreleased_month_is_absent_from_every_page_and_guessed_url(
    client, march, officers, locality
):
    april = open_month(2026, 4, total="55.5", level=3)
    release(april, officers, approve=False)  # prepared, waiting for the second officer
    unit = locality["commune"].code
    for path in ("/", "/ket-qua/", "/ket-qua/2026-03/", f"/ket-qua/don-vi/{unit}/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "2026-04" not in body(response) and "55,5" not in body(response), path
    unreleased = client.get("/ket-qua/2026-04/")
    nonexistent = client.get("/ket-qua/2031-04/")
    assert unreleased.status_code == nonexistent.status_code == 404
    assert without_token(unreleased) == without_token(nonexistent).replace("2031", "2026")
    for path in (
        "/ket-qua/2026-04/ban-1/",
        "/ket-qua/2026-13/",
        "/ket-qua/2026-00/",
        "/ket-qua/26-03/",
        "/ket-qua/2026-03/ban-0/",
        "/ket-qua/2026-03/ban-2/",
        "/ket-qua/don-vi/KHONG-CO/",
        "/ket-qua/khong-co/",
    ):
        assert client.get(path).status_code == 404, path


def test_a_scheduled_release_appears_only_after_its_time(client, locality, officers, pages):
    at = timezone.now() + datetime.timedelta(hours=2)
    release(open_month(2026, 3), officers, at=at)
    assert client.get("/ket-qua/2026-03/").status_code == 404
    assert "2026-03" not in body(client.get("/"))
    later = at + datetime.timedelta(seconds=1)
    cache.clear()  # the public state's name is cached until the release's time, no longer
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert client.get("/ket-qua/2026-03/").status_code == 200
        assert "2026-03" in body(client.get("/"))


def test_a_correction_shows_its_note_and_keeps_the_earlier_release_readable(
    client, march, officers
):
    release(march, officers, note="Sửa số liệu Phòng Nội vụ")
    current = body(client.get("/ket-qua/2026-03/"))
    assert "Sửa số liệu Phòng Nội vụ" in current
    assert 'href="/ket-qua/2026-03/ban-1/"' in current
    earlier = client.get("/ket-qua/2026-03/ban-1/")
    assert earlier.status_code == 200
    assert "đã được thay thế" in body(earlier) and 'name="robots" content="noindex"' in body(
        earlier
    )
    assert "Sửa số liệu Phòng Nội vụ" not in body(earlier)
    assert "đính chính" in body(client.get("/ket-qua/"))


# --- Suppression ----------------------------------------------------------------------


@pytest.fixture
def sized_units(locality):
    """Units of 9, 10 and 12 people (the 12: two at level 1, ten at level 2)."""
    post = locality["clerk_position"]
    made = {}
    for size in (9, 10, 12):
        unit = f.unit(f"Phòng thử {size}", "agency", locality["district"])
        people(unit, size, post, f"Cán bộ {size}")
        made[size] = unit
    return made


def test_units_of_9_and_10_people_and_the_secondary_suppression(
    client, sized_units, officers, pages
):
    period = open_month(2026, 3)
    top = Evaluation.objects.filter(period=period, unit=sized_units[12]).order_by("pk")[:2]
    Evaluation.objects.filter(pk__in=[sheet.pk for sheet in top]).update(level=1)
    release(period, officers)
    html = body(client.get("/ket-qua/2026-03/"))
    nine = row_cells(html, "Phòng thử 9")
    ten = row_cells(html, "Phòng thử 10")
    twelve = row_cells(html, "Phòng thử 12")
    assert nine[2:8] == ["dưới 10"] * 6  # classified, four levels, mean
    assert ten[2] == "10" and ten[4].startswith("10")  # ten at level 2, shown
    assert twelve[2] == "12"
    assert twelve[3] == "dưới 10"  # two at level 1: primary
    assert twelve[4] == "dưới 10"  # ten at level 2: hidden too, or 12 − 10 gives the 2
    with translation.override("en"):
        assert "fewer than 10" in display.shown(None)
    english = body(client.get("/en/ket-qua/2026-03/"))
    assert row_cells(english, "Phòng thử 9")[2] == "fewer than 10"


@pytest.mark.parametrize("count, shown", [(9, False), (10, True)])
def test_a_desk_with_9_ratings_is_hidden_and_with_10_shown(
    client, desk, officer, officers, pages, count, shown
):
    question_set = QuestionSet.in_force(datetime.date(2026, 3, 10))
    for index in range(count):
        receipt = receipt_service.issue_receipt(
            desk, officer, f"QT-{index:05d}", "Chứng thực bản sao", datetime.date(2026, 3, 10)
        )
        rating_service.record_rating(receipt, question_set, SATISFIED, "", "link", "client")
    release(open_month(2026, 3), officers)
    html = body(client.get("/ket-qua/2026-03/"))
    cells = row_cells(html, desk.name, "desks")
    if shown:
        assert cells[2] == "10" and cells[4] == "100,0 %"
    else:
        assert cells[2] == cells[3] == cells[4] == "dưới 10"
    unit_page = body(client.get(f"/ket-qua/don-vi/{desk.unit.code}/"))
    assert ("100,0 %" in unit_page) is shown


# --- Sorting and filtering without JavaScript -------------------------------------------


def test_the_units_sort_from_the_column_headers_and_filter_by_kind(
    client, sized_units, officers, pages
):
    period = open_month(2026, 3)
    Evaluation.objects.filter(period=period, unit=sized_units[12]).update(final_total=90)
    release(period, officers)

    def order(query):
        html = body(client.get("/ket-qua/2026-03/" + query))
        names = re.findall(r'<th scope="row"><a href="/ket-qua/don-vi/[^"]+/">([^<]+)</a>', html)
        return [name for name in names if name.startswith("Phòng thử")], html

    by_mean, html = order("?sort=-mean")
    assert by_mean == ["Phòng thử 12", "Phòng thử 10", "Phòng thử 9"]  # hidden mean last
    assert 'href="?sort=mean"' in html and 'aria-sort="descending"' in html
    assert order("?sort=name")[0] == ["Phòng thử 10", "Phòng thử 12", "Phòng thử 9"]
    agencies, html = order("?kind=agency&sort=-mean")
    assert agencies == by_mean and "Xã Quyết Tiến" not in html
    communes, html = order("?kind=commune")
    assert communes == [] and "Xã Quyết Tiến" in html
    assert '<select name="kind"' in html and '<button type="submit"' in html
    for bad in ("?sort=--mean", "?sort=<script>", "?kind=nope", "?kind=agency&kind=x", "?x=1"):
        response = client.get("/ket-qua/2026-03/" + bad)
        assert response.status_code == 200, bad
        assert "<script>" not in response.content.decode()
        assert not getattr(response, "_cache_public", False), bad  # never cached per guess


# --- The methodology, from the data in force ------------------------------------------


def test_the_methodology_page_changes_when_a_criteria_set_changes(client, locality, pages):
    before = body(client.get("/phuong-phap/"))
    in_force = CriteriaSet.objects.filter(effective_from__lte=timezone.localdate()).first()
    assert in_force is not None and in_force.name in before
    assert "89,99" in before  # the engine's rounding rule: 89.9956 is shown 89.99
    changed = new_version(in_force)
    line = Criterion.objects.filter(group__criteria_set=changed).first()
    line.title = "Tiêu chí mới để kiểm thử"
    line.max_points = Decimal("17.5")
    line.save()
    after = body(client.get("/phuong-phap/"))
    assert "Tiêu chí mới để kiểm thử" in after and "17,5" in after
    assert "Tiêu chí mới để kiểm thử" not in before


def test_the_methodology_states_the_minimum_and_the_calendar(client, settings, march, officers):
    settings.PUBLISH_MINIMUM = 12
    settings.RELEASE_DAY = 15
    periods.open_period(2026, 4)
    html = body(client.get("/phuong-phap/"))
    assert "dưới 12" in html and "từ 12 lượt đánh giá" in html
    assert (
        "2026-04" in html and date_format(datetime.date(2026, 5, 15), "SHORT_DATE_FORMAT") in html
    )
    assert "2026-03" not in html.split('id="calendar"')[1]  # released: no longer coming
    assert "766/QĐ-TTg" in html


# --- Cheap to serve -------------------------------------------------------------------


def _queries(client, path) -> int:
    """The queries of a page not in the page cache (the public state's name, Wagtail's
    site root paths, the results pages' addresses, the menu and footer and the rules in
    force stay in the cache between requests, as on a running server)."""
    cache.clear()
    client.get(path + "?warm")  # another address: the page itself stays uncached
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200, path
    return len(captured)


def test_queries_do_not_grow_with_units_and_a_cached_page_makes_none(
    client, locality, officers, pages, django_assert_num_queries
):
    post = locality["clerk_position"]
    for index in range(3):
        people(f.unit(f"Đơn vị {index}", "agency", locality["district"]), 1, post, f"A{index}")
    release(open_month(2026, 3), officers)
    code = locality["commune"].code
    paths = ["/", "/ket-qua/", "/ket-qua/2026-03/", f"/ket-qua/don-vi/{code}/", "/phuong-phap/"]
    small = {path: _queries(client, path) for path in paths}
    assert all(count <= 12 for count in small.values()), str(small)
    for index in range(3, 25):
        people(f.unit(f"Đơn vị {index}", "agency", locality["district"]), 1, post, f"A{index}")
    release(open_month(2026, 4), officers)
    paths[2] = "/ket-qua/2026-04/"
    large = {path: _queries(client, path) for path in paths}
    assert list(large.values()) == list(small.values()), (small, large)
    for path in paths:
        client.get(path)
        with django_assert_num_queries(0):
            response = client.get(path)
        assert response.status_code == 200 and response.has_header("ETag")
    assert len(client.get("/ket-qua/").content) < 150_000
    assert len(client.get("/ket-qua/2026-04/").content) < 150_000


def test_the_charts_have_text_summaries_and_tables_and_no_inline_style(client, march):
    html = client.get("/ket-qua/2026-03/").content.decode()
    assert html.count('role="img"') >= 1 and "<title id=" in html and "<desc id=" in html
    assert "<details" in html and "<caption" in html
    assert "style=" not in html and "<style" not in html and "<script" not in html
    unit = client.get("/").content.decode()
    assert "/rate/" in unit and 'href="/ket-qua/"' in unit and 'href="/phuong-phap/"' in unit


# --- The charts' geometry -------------------------------------------------------------


def _figures(shares, classified=40):
    from scoring.publishing.public import PeopleFigures

    levels = {str(level): None if share is None else 1 for level, share in enumerate(shares, 1)}
    data = {
        "classified": classified,
        "levels": levels,
        "shares": {
            key: None if share is None else str(share)
            for key, share in zip(levels, shares, strict=True)
        },
        "satisfaction": None if shares[0] is None else "90.5",
    }
    return PeopleFigures.read(data)


def test_a_hidden_share_is_a_labelled_gap_and_breaks_the_trend_line():
    from home.results import charts

    with translation.override("vi"):
        chart = charts.level_chart("c", "2026-05", _figures([25, 50, None, None]))
        assert [bar.gap for bar in chart.bars] == [False, False, True, True]
        assert chart.bars[0].width == charts.PLOT_W // 4 and chart.bars[2].width == 0
        assert "dưới 10" in chart.summary and "2026-05" in chart.summary
        months = [
            ("2026-03", _figures([20, 50, 20, 10])),
            ("2026-04", _figures([None, 50, None, None])),
            ("2026-05", _figures([30, 50, 10, 10])),
        ]
        trend = charts.trend_chart("t", months)
    satisfaction, excellent = trend.series[0], trend.series[1]
    assert len(satisfaction.segments) == 2 and len(excellent.segments) == 2  # broken at April
    assert trend.ticks[1].gaps and not trend.ticks[0].gaps
    with translation.override("en"):
        assert "fewer than 10" in charts.level_chart("c", "2026-05", months[1][1]).summary
