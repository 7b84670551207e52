"""Citizen ratings in the admin: the desk dashboard, the monthly report, moderation, questions.

Time is frozen on 10 March 2026 in Hà Nội's time zone, so "today" and "this month" are
fixed. The data: a commune desk (the clerk and the vice-chair serve there) and an agency
desk (the specialist), with receipts and ratings in February and March.
"""

import csv
import datetime
import io
import zoneinfo
from decimal import Decimal as D

import openpyxl
import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation
from wagtail.admin.menu import admin_menu, reports_menu
from wagtail.admin.views.generic import CreateView, DeleteView, EditView
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry

from scoring.access import roles
from scoring.models import CitizenRating, Question, QuestionSet, ServiceDesk
from scoring.ratings import rating as rating_service
from scoring.ratings import receipts as receipt_service
from scoring.ratings.tally import level_word, percent
from tests import factories as f

pytestmark = pytest.mark.django_db

HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=HANOI)
TODAY = NOW.date()
VERY, GOOD, BAD = "3", "2", "1"

DASHBOARD = reverse("scoring_ratings_dashboard")
REPORT = reverse("scoring_ratings_report")
QUEUE = reverse("scoring_ratings_moderation")


def translated(message: str) -> str:
    """The text a Vietnamese user sees for ``message`` (English until it is translated)."""
    with translation.override("vi"):
        return translation.gettext(message)


def refused(response) -> bool:
    """Wagtail answers a missing permission with 403 or a redirect to the dashboard."""
    return response.status_code in (403, 404) or (
        response.status_code == 302 and "/login/" not in response["Location"]
    )


# --- Data ------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


_dossiers = iter(range(1, 100_000))


def issue(desk, officer, day, count=1):
    return [
        receipt_service.issue_receipt(desk, officer, f"HS{next(_dossiers):06d}", "Chứng thực", day)
        for _ in range(count)
    ]


def rate(receipt, level, when=None, comment=""):
    """Record a rating on the default 3-level set, given at ``when`` (the receipt's day)."""
    answers = {"overall": level, "time": "3", "attitude": "3", "guidance": "3", "visits": "3"}
    question_set = QuestionSet.in_force(receipt.issued_on)
    rating = rating_service.record_rating(receipt, question_set, answers, comment, "link", "client")
    when = when or datetime.datetime.combine(receipt.issued_on, datetime.time(9), HANOI)
    CitizenRating.objects.filter(pk=rating.pk).update(created_at=when)
    return rating


def login(person, *groups, username=None):
    """A client logged in as ``person`` (a Staff record) in ``groups``."""
    account = f.user(username or person.code.lower(), *groups)
    person.user = account
    person.save(update_fields=["user"])
    client = Client()
    client.force_login(account)
    return client


@pytest.fixture
def desks(locality):
    commune_desk = ServiceDesk.objects.create(
        unit=locality["commune"], code="mot-cua-qt", name="Bộ phận một cửa xã Quyết Tiến"
    )
    commune_desk.officers.set([locality["commune_clerk"], locality["commune_vice"]])
    commune_desk.save()
    agency = locality["agency_specialist"].assignments.get().unit
    agency_desk = ServiceDesk.objects.create(unit=agency, code="mot-cua-nv", name="Một cửa Nội vụ")
    agency_desk.officers.set([locality["agency_specialist"]])
    agency_desk.save()
    return {"commune": commune_desk, "agency": agency_desk}


@pytest.fixture
def march(desks, locality):
    """March at the commune desk, and a little around it.

    Clerk: 6 receipts on 9 March (rated that day: 3 very satisfied, 1 satisfied, 1 not),
    4 on 2 March (1 rated very satisfied, its comment approved) and 3 today (2 rated
    today: very satisfied, not satisfied). Vice-chair: 2 receipts on 5 March, 1 rated not
    satisfied with a comment waiting. Elsewhere: a February rating with a hidden comment,
    and the agency desk's 2 receipts today, 1 rated very satisfied today.

    The office sees 15 receipts, 9 ratings, 6 satisfied at the commune desk; everyone
    else sees the 7 ratings received before today (5 satisfied).
    """
    desk, clerk, vice = desks["commune"], locality["commune_clerk"], locality["commune_vice"]
    yesterday = issue(desk, clerk, datetime.date(2026, 3, 9), 6)
    for receipt, level in zip(yesterday, [VERY, VERY, VERY, GOOD, BAD], strict=False):
        rate(receipt, level)
    earlier = issue(desk, clerk, datetime.date(2026, 3, 2), 4)
    rate(earlier[0], VERY, comment="Cán bộ hướng dẫn tận tình")
    CitizenRating.objects.filter(receipt=earlier[0]).update(moderation="approved")
    today = issue(desk, clerk, TODAY, 3)
    rate(today[0], VERY, NOW - datetime.timedelta(hours=1))
    rate(today[1], BAD, NOW - datetime.timedelta(minutes=5))
    (vice_receipt, _unrated) = issue(desk, vice, datetime.date(2026, 3, 5), 2)
    rate(vice_receipt, BAD, comment="<script>alert(1)</script> Phải đi lại nhiều lần")
    (february,) = issue(desk, clerk, datetime.date(2026, 2, 20))
    rate(february, BAD, comment="Ý kiến bị ẩn")
    CitizenRating.objects.filter(receipt=february).update(moderation="hidden")
    agency_receipts = issue(desks["agency"], locality["agency_specialist"], TODAY, 2)
    rate(agency_receipts[0], VERY, NOW - datetime.timedelta(hours=2))
    return yesterday + earlier + today


def grow(desks, locality, receipts=30):
    """More of everything: receipts, ratings, comments, and a new desk with a new officer."""
    desk, clerk = desks["commune"], locality["commune_clerk"]
    for index, receipt in enumerate(issue(desk, clerk, TODAY, receipts)):
        if index % 2:
            rate(receipt, GOOD, comment=f"Ý kiến {index}")
    newcomer = f.staff("Người mới", locality["commune"], locality["clerk_position"])
    extra = ServiceDesk.objects.create(unit=locality["commune"], code="mot-cua-2", name="Quầy 2")
    extra.officers.set([newcomer])
    extra.save()
    for receipt in issue(extra, newcomer, TODAY, 5):
        rate(receipt, VERY)


@pytest.fixture
def clerk(locality):
    return login(locality["commune_clerk"], roles.DESK_OFFICER)


@pytest.fixture
def specialist(locality):
    return login(locality["agency_specialist"], roles.DESK_OFFICER)


@pytest.fixture
def commune_head(locality):
    return login(locality["commune_chair"], roles.UNIT_HEAD)


@pytest.fixture
def office(client):
    client.force_login(f.user("noivu", roles.HOME_AFFAIRS))
    return client


@pytest.fixture
def staff_member(client):
    client.force_login(f.user("canbo", roles.STAFF_MEMBER))
    return client


def query_count(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


# --- Pure helpers ----------------------------------------------------------------------


def test_level_words_follow_the_scale():
    assert level_word(3, 3) == translated("Very satisfied")
    assert level_word(3, 1) == translated("Not satisfied")
    assert level_word(5, 3) == translated("Neutral")
    assert level_word(5, 1) == translated("Very dissatisfied")
    assert level_word(3, 4) == ""


def test_percentages_have_one_decimal_rounded_half_up():
    assert percent(D(5) / 7) == D("71.4")
    assert percent(D("0.0625")) == D("6.3")
    assert percent(None) is None


# --- The desk dashboard --------------------------------------------------------------


def test_the_dashboard_shows_a_desk_officer_today_and_the_month_of_their_desk(
    settings, clerk, march
):
    settings.PUBLISH_MINIMUM = 5  # these figures count 6 and 7 ratings
    response = clerk.get(DASHBOARD)
    assert response.status_code == 200
    context = response.context
    assert context["desk"].code == "mot-cua-qt"
    assert (context["today_receipts"], context["today_ratings"]) == (3, 2)
    month = context["month"]
    assert (month.receipts, month.ratings, month.satisfied) == (15, 7, 5)
    assert context["month_response"] == D("46.7")
    assert context["month_ratio"] == D("71.4")
    shares = {share["key"]: (share["count"], share["percent"]) for share in context["shares"]}
    assert shares == {
        "very_satisfied": (4, D("57.1")),
        "satisfied": (1, D("14.3")),
        "not_satisfied": (2, D("28.6")),
    }
    body = response.content.decode()
    assert "71,4" in body and translated("Very satisfied") in body


def test_the_dashboard_gives_the_officer_their_own_month(settings, clerk, march):
    settings.PUBLISH_MINIMUM = 5  # these figures count 6 and 7 ratings
    context = clerk.get(DASHBOARD).context
    own = context["own"]
    assert (own.receipts, own.ratings, own.satisfied) == (13, 6, 5)
    assert (context["own_response"], context["own_ratio"]) == (D("46.2"), D("83.3"))


def test_todays_ratings_reach_an_officers_figures_only_tomorrow(
    clerk, office, march, monkeypatch, locality
):
    """Reloading after each citizen must not tell the officer which level they gave."""
    before = clerk.get(DASHBOARD).context
    (receipt,) = issue(ServiceDesk.objects.get(code="mot-cua-qt"), march[0].officer, TODAY)
    rate(receipt, BAD, NOW)
    after = clerk.get(DASHBOARD).context
    assert after["today_ratings"] == before["today_ratings"] + 1
    assert after["shares"] == before["shares"] and after["own_ratio"] == before["own_ratio"]
    live = office.get(DASHBOARD).context["month"]
    assert (live.ratings, live.satisfied) == (10, 6)  # the office sees today's as well
    tomorrow = NOW + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    clerk.force_login(locality["commune_clerk"].user)  # a day idle: the session has expired
    answer = clerk.get(DASHBOARD)
    assert answer.status_code == 200, (answer.status_code, answer.get("Location"))
    assert answer.context["month"].ratings == 10


def test_the_dashboard_shows_no_single_rating_time_dossier_or_unapproved_comment(clerk, march):
    body = clerk.get(DASHBOARD).content.decode()
    assert "Cán bộ hướng dẫn tận tình" in body  # approved: the text alone
    assert "Phải đi lại nhiều lần" not in body  # pending
    assert "Ý kiến bị ẩn" not in body  # hidden
    for receipt in march:
        assert receipt.dossier_code not in body and receipt.short_code not in body
    assert "09:00" not in body and "02/03/2026" not in body and "09/03/2026" not in body


def test_the_office_may_open_any_desk(office, desks, march):
    response = office.get(DASHBOARD, {"desk": desks["agency"].pk})
    assert response.status_code == 200
    assert response.context["desk"] == desks["agency"]
    assert response.context["month"].ratings == 1  # received today: the office sees it
    assert response.context["own"] is None
    assert {desk.code for desk in response.context["desks"]} == {"mot-cua-qt", "mot-cua-nv"}


def test_an_officer_of_another_desk_is_refused(specialist, desks, march):
    assert specialist.get(DASHBOARD).context["desk"] == desks["agency"]
    assert specialist.get(DASHBOARD, {"desk": desks["commune"].pk}).status_code == 404


def test_people_without_a_desk_or_a_unit_are_refused_the_dashboard(staff_member, march):
    assert refused(staff_member.get(DASHBOARD))


def test_a_unit_head_follows_the_desks_of_their_unit(commune_head, desks, march):
    response = commune_head.get(DASHBOARD)
    assert [desk.code for desk in response.context["desks"]] == ["mot-cua-qt"]
    assert commune_head.get(DASHBOARD, {"desk": desks["agency"].pk}).status_code == 404


def test_the_dashboard_runs_a_fixed_number_of_queries(clerk, desks, locality, march):
    before = query_count(clerk, DASHBOARD)
    grow(desks, locality)
    assert query_count(clerk, DASHBOARD) == before


# --- The monthly report ----------------------------------------------------------------


def rows_of(response) -> dict[str, tuple]:
    """Name → (receipts, ratings, response rate, ratio, shares…) of each row."""
    keys = [c.name for c in response.context["table"].columns.values()][2:]
    return {
        row.row_name: tuple(getattr(row, key) for key in keys)
        for row in response.context["object_list"]
    }


def test_the_report_groups_by_officer(office, locality, march):
    rows = rows_of(office.get(REPORT, {"month": "2026-03", "by": "officer"}))
    assert rows["Giàng Thị Công"] == (13, 8, D("61.5"), D("75.0"), D("62.5"), D("12.5"), D("25.0"))
    assert rows["Sùng Seo Phó"] == (2, 1, D("50.0"), D("0.0"), D("0.0"), D("0.0"), D("100.0"))
    assert rows["Phạm Văn Chuyên"][:4] == (2, 1, D("50.0"), D("100.0"))
    assert set(rows) == {"Giàng Thị Công", "Sùng Seo Phó", "Phạm Văn Chuyên"}


def test_the_report_groups_by_desk_and_by_unit(office, march):
    by_desk = rows_of(office.get(REPORT, {"month": "2026-03", "by": "desk"}))
    assert by_desk["Bộ phận một cửa xã Quyết Tiến"][:4] == (15, 9, D("60.0"), D("66.7"))
    assert by_desk["Một cửa Nội vụ"][:4] == (2, 1, D("50.0"), D("100.0"))
    by_unit = office.get(REPORT, {"month": "2026-03", "by": "unit"})
    rows = rows_of(by_unit)
    assert rows["Xã Quyết Tiến"][:4] == (15, 9, D("60.0"), D("66.7"))
    assert rows["Phòng Nội vụ"][:2] == (2, 1)
    parents = {row.row_name: row.row_unit for row in by_unit.context["object_list"]}
    assert parents == {"Xã Quyết Tiến": "Huyện Quản Bạ", "Phòng Nội vụ": "UBND huyện Quản Bạ"}


def test_the_month_filter_picks_the_month(office, march):
    rows = rows_of(office.get(REPORT, {"month": "2026-02", "by": "desk"}))
    assert rows["Bộ phận một cửa xã Quyết Tiến"][:4] == (1, 1, D("100.0"), D("0.0"))
    assert rows["Một cửa Nội vụ"][:2] == (0, 0)  # a current desk without receipts still shows
    assert rows["Một cửa Nội vụ"][2] is None


def test_the_report_defaults_to_this_month_by_officer(office, march):
    response = office.get(REPORT, {"month": "not-a-month"})
    assert response.status_code == 200
    assert rows_of(response)["Giàng Thị Công"][:2] == (13, 8)


def test_the_csv_export_has_the_vietnamese_headings_and_the_figures(office, march):
    response = office.get(REPORT, {"month": "2026-03", "by": "desk", "export": "csv"})
    assert response.status_code == 200
    assert "danh-gia-nguoi-dan-2026-03-desk.csv" in response["Content-Disposition"]
    table = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    headings = table[0]
    assert "Đơn vị" in headings  # translated already
    for message in ("Receipts issued", "Ratings", "Satisfaction ratio (%)", "Response rate (%)"):
        assert translated(message) in headings
    assert translated("Very satisfied") + " (%)" in headings
    rows = {row[1]: row for row in table[1:]}
    commune = rows["Bộ phận một cửa xã Quyết Tiến"]
    assert commune[0] == "mot-cua-qt" and commune[3:7] == ["15", "9", "60.0", "66.7"]


def test_the_xlsx_export_has_one_row_per_desk(office, march):
    response = office.get(REPORT, {"month": "2026-03", "by": "desk", "export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.values)
    assert len(values) == 3 and translated("Satisfaction ratio (%)") in values[0]


def test_a_unit_head_sees_only_the_rows_of_their_unit(settings, commune_head, march):
    settings.PUBLISH_MINIMUM = 5  # these figures count 6 and 7 ratings
    by_desk = rows_of(commune_head.get(REPORT, {"month": "2026-03", "by": "desk"}))
    assert set(by_desk) == {"Bộ phận một cửa xã Quyết Tiến"}
    assert by_desk["Bộ phận một cửa xã Quyết Tiến"][:2] == (15, 7)  # up to yesterday
    by_officer = rows_of(commune_head.get(REPORT, {"month": "2026-03", "by": "officer"}))
    assert set(by_officer) == {"Giàng Thị Công", "Sùng Seo Phó"}
    by_unit = rows_of(commune_head.get(REPORT, {"month": "2026-03", "by": "unit"}))
    assert set(by_unit) == {"Xã Quyết Tiến"}


def test_a_unit_head_of_a_parent_unit_sees_its_sub_units(locality, march):
    district_chair = login(locality["district_chair"], roles.UNIT_HEAD)  # heads UBND huyện
    rows = rows_of(district_chair.get(REPORT, {"month": "2026-03", "by": "unit"}))
    assert set(rows) == {"Phòng Nội vụ"}  # the agency is under the district committee


def test_a_desk_officer_sees_only_their_own_desks_rows(specialist, march):
    by_desk = rows_of(specialist.get(REPORT, {"month": "2026-03", "by": "desk"}))
    assert by_desk == {"Một cửa Nội vụ": (2, 0, D("0.0"), None, None, None, None)}
    by_officer = rows_of(specialist.get(REPORT, {"month": "2026-03", "by": "officer"}))
    assert set(by_officer) == {"Phạm Văn Chuyên"}
    export = specialist.get(REPORT, {"month": "2026-03", "by": "desk", "export": "csv"})
    assert "Quyết Tiến" not in b"".join(export.streaming_content).decode()


def test_others_are_refused_the_report(staff_member, march):
    assert refused(staff_member.get(REPORT))
    assert refused(staff_member.get(REPORT, {"export": "csv"}))


@pytest.mark.parametrize("by", ["officer", "desk", "unit"])
def test_the_report_runs_a_fixed_number_of_queries(office, desks, locality, march, by):
    params = {"month": "2026-03", "by": by}
    before = query_count(office, REPORT, params)
    export_before = query_count(office, REPORT, {**params, "export": "csv"})
    grow(desks, locality)
    assert query_count(office, REPORT, params) == before
    assert query_count(office, REPORT, {**params, "export": "csv"}) == export_before


# --- Moderation ------------------------------------------------------------------------


def pending_rating() -> CitizenRating:
    return CitizenRating.objects.get(moderation="pending")


def test_the_queue_lists_pending_comments_with_desk_unit_month_and_level(office, march):
    response = office.get(QUEUE)
    assert response.status_code == 200
    body = response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Phải đi lại nhiều lần" in body
    assert "<script>alert" not in body
    assert "Bộ phận một cửa xã Quyết Tiến" in body and "Xã Quyết Tiến" in body
    assert "03/2026" in body and translated("Not satisfied") in body
    rating = pending_rating()
    assert rating.receipt.dossier_code not in body and "09:00" not in body
    assert "Cán bộ hướng dẫn tận tình" not in body  # approved: not in the pending list


def test_the_queue_lists_the_newest_first(office, march):
    (receipt,) = issue(ServiceDesk.objects.get(code="mot-cua-qt"), march[0].officer, TODAY)
    rate(receipt, GOOD, NOW, comment="Mới nhất")
    listed = [rating.comment for rating in office.get(QUEUE).context["page"].object_list]
    assert listed[0] == "Mới nhất" and len(listed) == 2


def test_the_queue_runs_a_fixed_number_of_queries(office, desks, locality, march):
    before = query_count(office, QUEUE)
    grow(desks, locality)
    assert query_count(office, QUEUE) == before


@pytest.mark.parametrize(("decision", "state"), [("approve", "approved"), ("hide", "hidden")])
def test_moderating_changes_only_the_moderation_and_writes_the_log(office, march, decision, state):
    rating = pending_rating()
    before = CitizenRating.objects.filter(pk=rating.pk).values().get()
    response = office.post(
        reverse("scoring_ratings_moderate", args=[rating.pk]), {"decision": decision}
    )
    assert response.status_code == 302 and response["Location"].startswith(QUEUE)
    after = CitizenRating.objects.filter(pk=rating.pk).values().get()
    assert after == {**before, "moderation": state}
    entry = ModelLogEntry.objects.get(action="scoring.moderate", object_id=str(rating.pk))
    assert entry.data == {"old": "pending", "new": state}
    assert entry.user.username == "noivu"
    assert rating.receipt.dossier_code not in entry.label
    assert log_registry.action_exists("scoring.moderate")


def test_an_approved_comment_can_be_hidden_later(office, march):
    rating = CitizenRating.objects.get(moderation="approved")
    url = reverse("scoring_ratings_moderate", args=[rating.pk])
    office.post(url, {"decision": "hide", "state": "approved"})
    rating.refresh_from_db()
    assert rating.moderation == "hidden"
    assert office.get(QUEUE, {"state": "hidden"}).context["page"].paginator.count == 2


def test_a_rating_without_a_comment_cannot_be_moderated(office, march):
    silent = CitizenRating.objects.filter(moderation="none").first()
    url = reverse("scoring_ratings_moderate", args=[silent.pk])
    assert office.post(url, {"decision": "approve"}).status_code == 404
    assert office.post(url, {"decision": "delete"}).status_code == 404
    assert not ModelLogEntry.objects.filter(action="scoring.moderate").exists()


def test_moderation_is_post_only_and_checks_csrf(march):
    rating = pending_rating()
    url = reverse("scoring_ratings_moderate", args=[rating.pk])
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(f.user("noivu", roles.HOME_AFFAIRS))
    assert strict.get(url, {"decision": "approve"}).status_code == 405
    assert strict.post(url, {"decision": "approve"}).status_code == 403
    rating.refresh_from_db()
    assert rating.moderation == "pending"


def test_only_the_office_moderates(clerk, commune_head, march):
    rating = pending_rating()
    url = reverse("scoring_ratings_moderate", args=[rating.pk])
    for client in (clerk, commune_head):
        assert refused(client.get(QUEUE))
        assert refused(client.post(url, {"decision": "approve"}))
    rating.refresh_from_db()
    assert rating.moderation == "pending"


def admin_views(patterns=None, prefix=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            yield from admin_views(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            callback = pattern.callback
            view_class = getattr(callback, "view_class", None)
            model = getattr(callback, "view_initkwargs", {}).get("model")
            yield (
                prefix + str(pattern.pattern),
                view_class,
                model or getattr(view_class, "model", None),
            )


def test_no_admin_view_creates_edits_or_deletes_a_rating():
    models = set()
    for route, view_class, model in admin_views():
        if view_class and issubclass(view_class, CreateView | EditView | DeleteView):
            models.add(model)
            assert model is not CitizenRating, route
    assert QuestionSet in models  # the walk does reach the admin's editing views
    for name in ("citizen_ratings:edit", "citizen_ratings:delete", "citizenrating:edit"):
        with pytest.raises(NoReverseMatch):
            reverse(name, args=[1])


# --- Question sets -----------------------------------------------------------------------


def question_set_form(questions, name="Bộ câu hỏi 2026", scale="3") -> dict:
    data = {
        "name": name,
        "scale": scale,
        "effective_from": "2026-04-01",
        "questions-TOTAL_FORMS": str(len(questions)),
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "1",
        "questions-MAX_NUM_FORMS": "1000",
    }
    for index, (code, overall) in enumerate(questions):
        prefix = f"questions-{index}-"
        data |= {
            f"{prefix}code": code,
            f"{prefix}text_vi": f"Câu hỏi {code}",
            f"{prefix}text_en": f"Question {code}",
            f"{prefix}ORDER": str(index + 1),
            f"{prefix}id": "",
        }
        if overall:
            data[f"{prefix}is_overall"] = "on"
    return data


@pytest.mark.parametrize(
    "questions",
    [[("overall", True), ("attitude", True)], [("overall", False), ("attitude", False)]],
    ids=["two overall", "none overall"],
)
def test_a_question_set_needs_exactly_one_overall_question(office, questions):
    before = (QuestionSet.objects.count(), Question.objects.count())
    response = office.post(reverse("question_sets:add"), question_set_form(questions))
    assert response.status_code == 200
    message = translated(
        "Exactly one question must be marked “overall satisfaction”: the satisfaction "
        "ratio counts its answers (%(count)d marked)."
    )
    assert message.split(":")[0] in response.content.decode()
    assert (QuestionSet.objects.count(), Question.objects.count()) == before


def test_a_question_set_with_one_overall_question_is_saved(office):
    data = question_set_form([("overall", True), ("attitude", False)], scale="5")
    response = office.post(reverse("question_sets:add"), data)
    assert response.status_code == 302
    saved = QuestionSet.objects.get(name="Bộ câu hỏi 2026")
    assert saved.scale == 5
    assert list(saved.questions.values_list("code", "is_overall")) == [
        ("overall", True),
        ("attitude", False),
    ]


def test_question_codes_are_distinct_within_a_set(office):
    data = question_set_form([("overall", True), ("overall", False)])
    response = office.post(reverse("question_sets:add"), data)
    assert response.status_code == 200
    assert not QuestionSet.objects.filter(name="Bộ câu hỏi 2026").exists()


def test_the_scale_of_a_set_citizens_answered_stays(office, march):
    used = QuestionSet.in_force(TODAY)
    questions = list(used.questions.all())
    data = question_set_form([(q.code, q.is_overall) for q in questions], name=used.name)
    data |= {"scale": "5", "effective_from": used.effective_from.isoformat()}
    data["questions-INITIAL_FORMS"] = str(len(questions))
    for index, question in enumerate(questions):
        data[f"questions-{index}-id"] = str(question.pk)
    url = reverse("question_sets:edit", args=[used.pk])
    response = office.post(url, data)
    assert response.status_code == 200
    assert translated("Citizens have answered this set: make a new set to change the scale.") in (
        response.content.decode()
    )
    used.refresh_from_db()
    assert used.scale == 3
    assert office.post(url, {**data, "scale": "3", "name": "Đổi tên"}).status_code == 302
    used.refresh_from_db()
    assert used.name == "Đổi tên"


def test_a_question_set_citizens_answered_cannot_be_deleted(office, march):
    used = QuestionSet.in_force(TODAY)
    response = office.post(reverse("question_sets:delete", args=[used.pk]))
    assert response.status_code == 302
    assert QuestionSet.objects.filter(pk=used.pk).exists()


def test_desk_officers_cannot_change_question_sets(clerk):
    assert refused(clerk.get(reverse("question_sets:index")))
    assert refused(clerk.post(reverse("question_sets:add"), question_set_form([("o", True)])))


# --- Menus ---------------------------------------------------------------------------------


def submenu(request, name="citizen-ratings") -> list[str]:
    group = next((i for i in admin_menu.menu_items_for_request(request) if i.name == name), None)
    return [item.name for item in group.menu.menu_items_for_request(request)] if group else []


def test_the_menus_show_each_role_what_it_may_open(locality, desks):
    request = RequestFactory().get("/admin/")
    request.user = f.user("noivu", roles.HOME_AFFAIRS)
    assert submenu(request) == ["ratings-dashboard", "ratings-moderation", "question-sets"]
    reports = [item.name for item in reports_menu.menu_items_for_request(request)]
    assert "citizen-ratings-report" in reports

    request = RequestFactory().get("/admin/")
    login(locality["commune_clerk"], roles.DESK_OFFICER)
    request.user = locality["commune_clerk"].user
    assert submenu(request) == ["ratings-dashboard"]

    request = RequestFactory().get("/admin/")
    request.user = f.user("canbo", roles.STAFF_MEMBER)
    assert submenu(request) == []
    assert "citizen-ratings-report" not in [
        item.name for item in reports_menu.menu_items_for_request(request)
    ]


def test_an_officer_never_sees_the_figures_of_fewer_than_ten_ratings(settings, clerk, march):
    """Seven ratings this month: shown to the office, withheld from the officer."""
    settings.PUBLISH_MINIMUM = 10
    context = clerk.get(DASHBOARD).context
    assert context["month_hidden"] and context["month_ratio"] is None
    assert context["shares"] == [] and context["own_ratio"] is None
    body = clerk.get(DASHBOARD).content.decode()
    assert "ít hơn 10" in body
    rows = rows_of(clerk.get(REPORT, {"month": "2026-03", "by": "officer"}))
    assert all("ít hơn 10" in str(row[1]) for row in rows.values() if row[1] not in (0, "0"))


def test_ten_ratings_are_shown_to_the_officer(settings, clerk, march):
    settings.PUBLISH_MINIMUM = 7  # exactly the month's seven ratings
    context = clerk.get(DASHBOARD).context
    assert not context["month_hidden"] and context["month_ratio"] == D("71.4")


def test_the_office_sees_every_figure_whatever_the_count(settings, office, march):
    settings.PUBLISH_MINIMUM = 10
    context = office.get(DASHBOARD).context
    assert not context["month_hidden"]
