"""The monthly cycle in the Wagtail admin: criteria-set versions, the catalogue, periods."""

import datetime
import json
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry

from scoring.access import roles
from scoring.cycle import periods
from scoring.models import (
    ClassificationBand,
    CriteriaSet,
    Criterion,
    CriterionGroup,
    Evaluation,
    Job,
    Period,
    WorkProduct,
)
from tests import factories as f
from tests.jobs import job_of, page_of

pytestmark = pytest.mark.django_db


# --- Helpers -----------------------------------------------------------------------


@pytest.fixture
def office(client):
    """A logged-in member of the home-affairs office."""
    client.force_login(f.user("noivu", roles.HOME_AFFAIRS))
    return client


@pytest.fixture
def staff_member(client):
    client.force_login(f.user("canbo", roles.STAFF_MEMBER))
    return client


@pytest.fixture
def march(locality):
    """March 2026 opened: ``nd335`` and ``nd335-lanh-dao`` are now in use."""
    return periods.open_period(2026, 3).period


def refused(response) -> bool:
    """Wagtail answers a missing permission with 403 or a redirect to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and "/login/" not in response["Location"]
    )


def translated(message: str) -> str:
    """The text a Vietnamese user sees for ``message`` (English until it is translated)."""
    with translation.override("vi"):
        return translation.gettext(message)


def messages_of(response) -> str:
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


class EditorForm(HTMLParser):
    """The values a browser submits from Wagtail's editor form (templates left out)."""

    def __init__(self, html: str):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self.in_form = False
        self.in_template = 0
        self.select: str | None = None
        self.textarea: str | None = None
        self.feed(html)

    def add(self, name: str, value: str) -> None:
        if "__prefix__" not in name:
            self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and attributes.get("id") == "w-editor-form":
            self.in_form = True
        if not self.in_form or (tag == "template" and self.enter_template()):
            return
        if self.in_template:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text")
            if kind not in ("checkbox", "radio") or "checked" in attributes:
                self.add(name, attributes.get("value") or "")
        elif tag == "select" and name:
            self.select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self.select and "selected" in attributes:
            self.add(self.select, attributes.get("value") or "")
        elif tag == "textarea" and name:
            self.textarea = name
            self.add(name, "")

    def enter_template(self) -> bool:
        self.in_template += 1
        return True

    def handle_endtag(self, tag):
        if tag == "template" and self.in_template:
            self.in_template -= 1
        elif tag == "form" and self.in_form and not self.in_template:
            self.in_form = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea and "__prefix__" not in self.textarea:
            self.data[self.textarea][-1] += data.removeprefix("\n")


def editor_data(client, url: str) -> dict[str, list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    return EditorForm(response.content.decode()).data


def set_value(data, name: str, value) -> None:
    assert name in data, name
    data[name] = [str(value)]


def add_rows(data, prefix: str, rows: list[dict]) -> list[str]:
    """Append forms to the formset ``prefix`` as Wagtail's "Add" button does."""
    start = int(data.get(f"{prefix}-TOTAL_FORMS", ["0"])[0])
    data[f"{prefix}-TOTAL_FORMS"] = [str(start + len(rows))]
    for name in ("INITIAL_FORMS", "MIN_NUM_FORMS"):
        data.setdefault(f"{prefix}-{name}", ["0"])
    data.setdefault(f"{prefix}-MAX_NUM_FORMS", ["1000"])
    prefixes = []
    for index, row in enumerate(rows, start=start):
        form = f"{prefix}-{index}"
        data.update({f"{form}-id": [""], f"{form}-ORDER": [str(index + 1)], f"{form}-DELETE": [""]})
        data.update({f"{form}-{key}": [str(value)] for key, value in row.items()})
        prefixes.append(form)
    return prefixes


def add_group(data, title: str, lines: list[tuple]) -> None:
    (group,) = add_rows(data, "groups", [{"title": title}])
    add_rows(
        data,
        f"{group}-criteria",
        [
            {"code": code, "title": text, "kind": kind, "max_points": points, "cap_level": ""}
            for code, text, kind, points in lines
        ],
    )


def new_set_data(office, bands=((1, 90), (2, 70), (3, 50), (4, 0)), lines=None) -> dict:
    data = editor_data(office, reverse("criteria_sets:add"))
    set_value(data, "code", "thu-nghiem")
    set_value(data, "name", "Bộ tiêu chí thử nghiệm")
    set_value(data, "effective_from", "2026-04-01")
    data["categories"] = ["CC", "VC"]
    add_group(data, "Tiêu chí chung", lines or [("C1", "Phẩm chất", "manual", 30)])
    add_group(data, "Kết quả", [("K1", "Sản phẩm", "task_result", 70)])
    add_rows(data, "bands", [{"level": level, "minimum": minimum} for level, minimum in bands])
    return data


def snapshot(criteria_set: CriteriaSet) -> dict:
    """Every stored value of a set and its rows."""
    return {
        "set": list(CriteriaSet.objects.filter(pk=criteria_set.pk).values()),
        "positions": list(criteria_set.positions.values_list("pk", flat=True)),
        "groups": list(CriterionGroup.objects.filter(criteria_set=criteria_set).values()),
        "criteria": list(Criterion.objects.filter(group__criteria_set=criteria_set).values()),
        "bands": list(ClassificationBand.objects.filter(criteria_set=criteria_set).values()),
    }


# --- Pages and permissions -----------------------------------------------------------

PAGES = [
    "criteria_sets:index",
    "criteria_sets:add",
    "work_products:index",
    "work_products:add",
    "periods:index",
    "periods:add",
]


@pytest.mark.parametrize("name", PAGES)
def test_the_office_opens_every_page_of_the_cycle(office, locality, name):
    assert office.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", PAGES)
def test_a_plain_staff_member_is_refused_every_page_of_the_cycle(staff_member, name):
    assert refused(staff_member.get(reverse(name)))


def test_the_cycle_sits_under_one_menu_group(office):
    body = office.get(reverse("wagtailadmin_home")).content.decode()
    label = translated("Monthly evaluation")
    # The sidebar menu is rendered as JSON, where non-ASCII letters are escaped.
    assert label in body or json.dumps(label)[1:-1] in body


def test_a_plain_staff_member_can_neither_open_advance_nor_close_a_month(staff_member, march):
    assert refused(staff_member.post(reverse("periods:add"), {"month": "2026-04"}))
    advance = reverse("periods:advance", args=[march.pk])
    assert refused(staff_member.post(advance, {"state": "self_scoring"}))
    assert refused(staff_member.post(reverse("periods:close", args=[march.pk])))
    assert list(Period.objects.values_list("month", "state")) == [(3, "open")]


# --- Criteria sets ---------------------------------------------------------------------


def test_the_criteria_set_list_shows_which_versions_are_in_use(office, march):
    response = office.get(reverse("criteria_sets:index"), {"in_use": "true"})
    rows = {criteria_set.code for criteria_set in response.context["object_list"]}
    assert rows == {"nd335", "nd335-lanh-dao"}


def test_the_criteria_set_list_runs_a_fixed_number_of_queries(
    office, march, django_assert_max_num_queries
):
    url = reverse("criteria_sets:index")
    office.get(url)
    with django_assert_max_num_queries(40) as small:
        office.get(url)
    from scoring.criteria.versions import new_version

    for _ in range(5):
        new_version(CriteriaSet.objects.get(code="nd335", version=1))
    with django_assert_max_num_queries(len(small.captured_queries)):
        office.get(url)


def test_a_criteria_set_is_created_with_its_groups_lines_and_bands(office, locality):
    response = office.post(reverse("criteria_sets:add"), new_set_data(office))
    assert response.status_code == 302, response.content.decode()[:3000]
    created = CriteriaSet.objects.get(code="thu-nghiem")
    assert created.version == 1 and created.categories == ["CC", "VC"]
    assert [g.title for g in created.groups.all()] == ["Tiêu chí chung", "Kết quả"]
    assert [c.code for g in created.groups.all() for c in g.criteria.all()] == ["C1", "K1"]
    assert created.max_points == Decimal("100")
    assert [(b.level, b.minimum) for b in created.bands.all()] == [
        (1, 90),
        (2, 70),
        (3, 50),
        (4, 0),
    ]


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        (
            ((1, 90), (2, 70), (3, 50)),
            "The bands must give each of the four levels exactly once.",
        ),
        (
            ((1, 90), (2, 70), (2, 60), (4, 0)),
            "The bands must give each of the four levels exactly once.",
        ),
        (
            ((1, 90), (2, 90), (3, 50), (4, 0)),
            "Minimums must go down strictly from level 1 to level 4, e.g. 90, 70, 50, 0.",
        ),
        (
            ((1, 50), (2, 70), (3, 90), (4, 0)),
            "Minimums must go down strictly from level 1 to level 4, e.g. 90, 70, 50, 0.",
        ),
    ],
    ids=["a level missing", "a level twice", "equal minimums", "minimums going up"],
)
def test_bad_bands_are_refused_and_nothing_is_saved(office, locality, bands, message):
    before = CriteriaSet.objects.count(), ClassificationBand.objects.count()
    response = office.post(reverse("criteria_sets:add"), new_set_data(office, bands=bands))
    assert response.status_code == 200
    assert translated(message) in response.content.decode()
    assert (CriteriaSet.objects.count(), ClassificationBand.objects.count()) == before


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([("C1", "Phẩm chất", "manual", 0)], "The maximum must be more than 0 points."),
        (
            [("K1", "Phẩm chất", "manual", 10), ("C2", "Đạo đức", "manual", 20)],
            "Code “K1” is used twice in this set.",
        ),
    ],
    ids=["zero maximum", "code used twice"],
)
def test_bad_lines_are_refused_and_nothing_is_saved(office, locality, lines, message):
    before = CriteriaSet.objects.count(), Criterion.objects.count()
    response = office.post(reverse("criteria_sets:add"), new_set_data(office, lines=lines))
    assert response.status_code == 200
    expected = translated(message.replace("K1", "%(code)s")) % {"code": "K1"}
    assert expected in response.content.decode()
    assert (CriteriaSet.objects.count(), Criterion.objects.count()) == before


def test_a_new_set_cannot_take_the_code_of_another(office, locality):
    data = new_set_data(office)
    set_value(data, "code", "nd335")
    response = office.post(reverse("criteria_sets:add"), data)
    assert response.status_code == 200
    assert CriteriaSet.objects.filter(code="nd335").count() == 1


def test_an_unused_set_is_edited_in_place(office, locality):
    criteria_set = CriteriaSet.objects.get(code="nd335")
    url = reverse("criteria_sets:edit", args=[criteria_set.pk])
    data = editor_data(office, url)
    set_value(data, "name", "Nghị định 335 (đã sửa)")
    set_value(data, "groups-0-criteria-0-max_points", "9.00")
    response = office.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    criteria_set.refresh_from_db()
    assert criteria_set.name == "Nghị định 335 (đã sửa)" and criteria_set.version == 1
    assert Criterion.objects.get(group__criteria_set=criteria_set, code="C1").max_points == 9
    assert CriteriaSet.objects.filter(code="nd335").count() == 1


def test_editing_a_set_in_use_saves_a_new_version_and_leaves_the_old_one_alone(
    office, march, locality
):
    old = CriteriaSet.objects.get(code="nd335")
    old.positions.set([locality["clerk_position"]])
    old.save()
    before = snapshot(old)
    url = reverse("criteria_sets:edit", args=[old.pk])
    data = editor_data(office, url)
    assert "groups-2-criteria-1-title" in data  # every group's lines are in the form
    assert data["positions"] == [str(locality["clerk_position"].pk)]
    set_value(data, "name", "Nghị định 335 – sửa đổi")
    set_value(data, "effective_from", "2026-04-01")
    set_value(data, "groups-0-criteria-0-max_points", "9.00")
    set_value(data, "groups-1-criteria-0-max_points", "69.00")
    set_value(data, "groups-2-criteria-1-DELETE", "1")  # drop a line
    add_rows(data, "groups-0-criteria", [{"code": "C5", "title": "Mới", "kind": "bonus"}])
    data["groups-0-criteria-4-max_points"] = ["2"]
    data["groups-0-criteria-4-cap_level"] = [""]
    add_group(data, "Điểm thưởng", [("B1", "Sáng kiến", "bonus", 5)])
    response = office.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    new = CriteriaSet.objects.get(code="nd335", version=2)
    assert response["Location"] == reverse("criteria_sets:edit", args=[new.pk])
    assert "v2" in messages_of(response)
    assert snapshot(old) == before
    assert new.name == "Nghị định 335 – sửa đổi"
    assert new.effective_from == datetime.date(2026, 4, 1)
    lines = {c.code: c for g in new.groups.all() for c in g.criteria.all()}
    assert sorted(lines) == ["B1", "C1", "C2", "C3", "C4", "C5", "K1", "T1"]
    assert new.groups.count() == 4 and list(new.positions.all()) == [locality["clerk_position"]]
    assert lines["C1"].max_points == 9 and lines["K1"].max_points == 69
    assert not {c.pk for c in lines.values()} & {row["id"] for row in before["criteria"]}
    assert [(b.level, b.minimum) for b in new.bands.all()] == [
        (b["level"], b["minimum"]) for b in before["bands"]
    ]
    old_page = office.get(url).content.decode()
    assert reverse("criteria_sets:edit", args=[new.pk]) in old_page  # points to the newest
    assert set(Evaluation.objects.values_list("criteria_set__code", "criteria_set__version")) == {
        ("nd335", 1),
        ("nd335-lanh-dao", 1),
    }


def test_saving_a_set_in_use_unchanged_makes_no_new_version(office, march):
    old = CriteriaSet.objects.get(code="nd335")
    url = reverse("criteria_sets:edit", args=[old.pk])
    response = office.post(url, editor_data(office, url))
    assert response.status_code == 302
    assert CriteriaSet.objects.filter(code="nd335").count() == 1


def test_a_set_in_use_with_bad_bands_is_refused_and_no_version_is_made(office, march):
    old = CriteriaSet.objects.get(code="nd335")
    url = reverse("criteria_sets:edit", args=[old.pk])
    data = editor_data(office, url)
    set_value(data, "bands-1-minimum", "95")
    response = office.post(url, data)
    assert response.status_code == 200
    assert CriteriaSet.objects.filter(code="nd335").count() == 1


def test_a_set_in_use_cannot_be_deleted(office, march):
    criteria_set = CriteriaSet.objects.get(code="nd335")
    url = reverse("criteria_sets:delete", args=[criteria_set.pk])
    assert office.get(url).status_code == 302
    response = office.post(url)
    assert response.status_code == 302
    assert "nd335" in messages_of(response) or "335" in messages_of(response)
    assert CriteriaSet.objects.filter(pk=criteria_set.pk).exists()


def test_an_unused_set_can_be_deleted(office, locality):
    criteria_set = CriteriaSet.objects.get(code="dia-phuong-2019")
    response = office.post(reverse("criteria_sets:delete", args=[criteria_set.pk]))
    assert response.status_code == 302
    assert not CriteriaSet.objects.filter(pk=criteria_set.pk).exists()


# --- Work products ---------------------------------------------------------------------


def test_the_catalogue_is_searched_and_exported(office, locality):
    response = office.get(reverse("work_products:index"), {"q": "Quyết định"})
    assert [p.code for p in response.context["object_list"]] == ["quyet-dinh"]
    export = office.get(reverse("work_products:index"), {"export": "csv"})
    assert "Văn bản quy phạm pháp luật" in b"".join(export.streaming_content).decode()


def test_a_work_product_used_in_a_plan_is_not_deleted(office, march):
    product = WorkProduct.objects.get(code="bao-cao")
    sheet = Evaluation.objects.first()
    sheet.work_items.create(product=product, deadline=datetime.date(2026, 3, 20))
    response = office.post(reverse("work_products:delete", args=[product.pk]))
    assert response.status_code == 302
    assert WorkProduct.objects.filter(pk=product.pk).exists()


# --- Periods ---------------------------------------------------------------------------


def test_the_open_form_is_prefilled_with_the_default_deadlines(office, march):
    response = office.get(reverse("periods:add"))
    form = response.context["form"]
    assert form.initial["month"] == "2026-04"
    assert form.initial["plan_deadline"] == periods.default_deadlines(2026, 4)["plan_deadline"]


def test_opening_a_month_in_the_admin_makes_the_sheets_and_reports(office, locality, jobs_run):
    defaults = periods.default_deadlines(2026, 3)
    with jobs_run():
        response = office.post(
            reverse("periods:add"),
            {
                "month": "2026-03",
                "prefilled_for": "2026-03",
                "plan_deadline": defaults["plan_deadline"].isoformat(),
                "self_deadline": "2026-04-02",
                "evaluation_deadline": defaults["evaluation_deadline"].isoformat(),
            },
        )
    period = Period.objects.get(year=2026, month=3)
    assert job_of(response).state == "succeeded"
    assert period.evaluations.count() == 12
    assert period.self_deadline == datetime.date(2026, 4, 2)
    body = page_of(office, response)
    assert "12" in body
    assert reverse("periods:edit", args=[period.pk]) in body  # the way back to the month
    entry = ModelLogEntry.objects.get(object_id=str(period.pk), action="scoring.open_period")
    assert entry.user.username == "noivu"


def test_untouched_deadlines_follow_the_month_chosen(office, locality, jobs_run):
    prefilled = periods.default_deadlines(2026, 3)
    with jobs_run():
        office.post(
            reverse("periods:add"),
            {
                "month": "2026-05",
                "prefilled_for": "2026-03",
                **{name: value.isoformat() for name, value in prefilled.items()},
            },
        )
    period = Period.objects.get(year=2026, month=5)
    expected = periods.default_deadlines(2026, 5)
    assert period.plan_deadline == expected["plan_deadline"]
    assert period.evaluation_deadline == expected["evaluation_deadline"]


def test_people_without_an_evaluator_are_linked_to_the_route_report(office, locality, jobs_run):
    locality["commune_chair"].assignments.update(end_date=datetime.date(2026, 2, 28))
    with jobs_run():
        response = office.post(reverse("periods:add"), {"month": "2026-03"})
    assert reverse("scoring_unresolved_routes") + "?month=2026-03" in page_of(office, response)


def test_opening_a_month_twice_in_the_admin_creates_nothing_new(office, march, jobs_run):
    with jobs_run():
        response = office.post(reverse("periods:add"), {"month": "2026-03"})
    assert job_of(response).outcome["created"] == 0
    assert Evaluation.objects.count() == 12 and Period.objects.count() == 1


def test_the_open_form_submitted_twice_opens_the_month_once(office, locality, jobs_run):
    form = office.get(reverse("periods:add")).context["form"]
    data = {"month": "2026-03", "job_key": form.initial["job_key"]}
    with jobs_run() as callbacks:
        first = office.post(reverse("periods:add"), data)
        second = office.post(reverse("periods:add"), data)
    assert job_of(first) == job_of(second)
    assert len(callbacks) == 1
    assert ModelLogEntry.objects.filter(action="scoring.open_period").count() == 1


def test_a_closed_month_refused_by_the_service_ends_the_job_refused(office, march, jobs_run):
    from scoring.cycle import jobs
    from scoring.jobs import runner

    periods.close_period(march, exception="kiểm thử")
    with jobs_run():
        job = runner.start(jobs.OPEN, None, {"year": 2026, "month": 3})
    job.refresh_from_db()
    assert job.state == "refused"
    assert job.error == translated("The month is closed: no sheet can be added.")


@pytest.mark.parametrize(
    "data",
    [
        {"month": "2026-13"},
        {"month": "2026-04", "plan_deadline": "2026-05-20", "self_deadline": "2026-05-03"},
    ],
    ids=["no such month", "deadlines out of order"],
)
def test_a_bad_opening_is_refused(office, locality, data):
    response = office.post(reverse("periods:add"), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Period.objects.exists()


def test_a_closed_month_cannot_be_opened_again(office, march):
    periods.close_period(march, exception="kiểm thử")
    response = office.post(reverse("periods:add"), {"month": "2026-03"})
    assert response.status_code == 200 and response.context["form"].errors


def test_the_deadlines_of_an_open_month_are_edited(office, march):
    url = reverse("periods:edit", args=[march.pk])
    data = editor_data(office, url)
    set_value(data, "evaluation_deadline", "2026-04-10")
    response = office.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    march.refresh_from_db()
    assert march.evaluation_deadline == datetime.date(2026, 4, 10)


def test_deadlines_out_of_order_are_refused(office, march):
    url = reverse("periods:edit", args=[march.pk])
    data = editor_data(office, url)
    set_value(data, "plan_deadline", "2026-04-30")
    assert office.post(url, data).status_code == 200
    march.refresh_from_db()
    assert march.plan_deadline == periods.default_deadlines(2026, 3)["plan_deadline"]


def test_a_month_moves_forward_by_post_after_a_confirmation(office, march, jobs_run):
    url = reverse("periods:advance", args=[march.pk])
    confirmation = office.get(url)
    assert confirmation.status_code == 200
    assert 'value="self_scoring"' in confirmation.content.decode()
    march.refresh_from_db()
    assert march.state == Period.State.OPEN  # showing the page changes nothing

    key = confirmation.context["job_key"]
    assert f'value="{key}"' in confirmation.content.decode()
    with jobs_run():
        response = office.post(url, {"state": "self_scoring", "job_key": key})
    assert job_of(response).state == "succeeded"
    assert translated("self-scoring") in page_of(office, response)
    march.refresh_from_db()
    assert march.state == Period.State.SELF_SCORING
    with jobs_run():  # a second click changes nothing
        again = office.post(url, {"state": "self_scoring", "job_key": key})
    assert again["Location"] == response["Location"]
    office.post(url, {"state": "self_scoring"})
    march.refresh_from_db()
    assert march.state == Period.State.SELF_SCORING


def test_a_month_never_moves_back(office, march, jobs_run):
    periods.advance_period(march, Period.State.EVALUATION)
    with jobs_run():
        response = office.post(
            reverse("periods:advance", args=[march.pk]), {"state": "self_scoring"}
        )
    assert job_of(response).state == "refused"
    march.refresh_from_db()
    assert march.state == Period.State.EVALUATION


def test_closing_freezes_the_month_and_closing_twice_is_harmless(office, march, jobs_run):
    url = reverse("periods:close", args=[march.pk])
    assert office.get(url).status_code == 200
    refused_page = office.post(url)  # no unit has submitted, and no exception was written
    assert refused_page.status_code == 200 and not Job.objects.exists()
    assert "Phòng Nội vụ" in refused_page.content.decode()  # named among the units
    with jobs_run():
        response = office.post(url, {"exception": "Các đơn vị chưa nộp báo cáo đúng hạn"})
    assert job_of(response).outcome["sheets"] == 12
    body = page_of(office, response)
    assert reverse("periods:inspect", args=[march.pk]) in body  # the way back
    march.refresh_from_db()
    assert march.is_closed and march.closed_at is not None
    assert not Evaluation.objects.filter(period=march, level__isnull=True).exists()

    again = office.post(url)
    assert again.status_code == 302
    assert ModelLogEntry.objects.filter(action="scoring.close_period").count() == 1


def test_a_closed_month_is_shown_read_only(office, march):
    periods.close_period(march, exception="kiểm thử")
    edit = reverse("periods:edit", args=[march.pk])
    response = office.get(edit)
    assert response.status_code == 302
    assert response["Location"] == reverse("periods:inspect", args=[march.pk])
    office.post(edit, {"plan_deadline": "2026-03-01"})
    march.refresh_from_db()
    assert march.plan_deadline == periods.default_deadlines(2026, 3)["plan_deadline"]
    inspect = office.get(reverse("periods:inspect", args=[march.pk]))
    assert inspect.status_code == 200
    assert reverse("periods:close", args=[march.pk]) not in inspect.content.decode()


def test_the_history_of_a_month_lists_its_actions(office, march, jobs_run):
    periods.advance_period(march, Period.State.SELF_SCORING, user=None)
    with jobs_run():
        office.post(reverse("periods:close", args=[march.pk]), {"exception": "kiểm thử"})
    response = office.get(reverse("periods:history", args=[march.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    for label in ("Open a month", "Move a month forward", "Close a month"):
        assert translated(label) in body


def test_the_period_list_runs_a_fixed_number_of_queries(
    office, march, locality, django_assert_max_num_queries
):
    url = reverse("periods:index")
    office.get(url)
    with django_assert_max_num_queries(40) as small:
        office.get(url)
    for month in (4, 5, 6):
        periods.open_period(2026, month)
    for index in range(10):
        f.staff(f"Công chức {index}", locality["commune"], locality["clerk_position"])
    periods.open_period(2026, 7)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = office.get(url)
    counts = [(str(p), p.sheet_count) for p in response.context["object_list"]]
    assert counts == [
        ("07/2026", 22),
        ("06/2026", 12),
        ("05/2026", 12),
        ("04/2026", 12),
        ("03/2026", 12),
    ]
