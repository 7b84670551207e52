"""The organisation in the Wagtail admin: listings, the unit tree, routes, roles, history."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from scoring.access import roles
from scoring.models import Staff, Unit
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client):
    """A logged-in member of the home-affairs office."""
    client.force_login(f.user("noivu", roles.HOME_AFFAIRS))
    return client


def refused(response) -> bool:
    """Wagtail answers a missing permission with 403 or a redirect to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and "/login/" not in response["Location"]
    )


@pytest.mark.parametrize("group", list(roles.ROLE_PERMISSIONS))
def test_every_role_reaches_the_admin_in_vietnamese(client, group):
    client.force_login(f.user("person", group))
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert 'lang="vi"' in response.content.decode()


def test_the_staff_list_shows_each_person_evaluator_and_the_rule(office, locality):
    response = office.get(reverse("staff:index"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Giàng Thị Công" in body
    assert "cong-chuc-xa" in body and "Xã Quyết Tiến" in body  # the current post
    assert "Quy tắc: 2. Commune PC vice-chairs and civil servants" in body
    assert "Ban Thường vụ Huyện ủy Quản Bạ" in body  # the council scoring the secretary


def test_the_staff_list_runs_a_fixed_number_of_queries(
    office, locality, django_assert_max_num_queries
):
    url = reverse("staff:index")
    office.get(url)  # warm caches (content types, site)
    with django_assert_max_num_queries(40) as small:
        office.get(url)
    for index in range(30):
        f.staff(f"Công chức {index}", locality["commune"], locality["clerk_position"])
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = office.get(url)
    assert "Công chức 29" in response.content.decode()


def test_the_unit_list_reads_as_a_tree_in_path_order(office, locality):
    response = office.get(reverse("units:index"))
    body = response.content.decode()
    assert body.index("Huyện Quản Bạ") < body.index("Xã Quyết Tiến")
    assert body.index("Xã Quyết Tiến") < body.index("Đảng ủy xã Quyết Tiến")


def test_a_unit_created_in_the_admin_joins_the_tree_under_its_parent(office, locality):
    district = locality["district"]
    response = office.post(
        reverse("units:add"),
        {
            "parent": district.pk,
            "code": "XA-MOI",
            "name": "Xã Nghĩa Thuận",
            "kind": f.kind("commune").pk,
            "valid_from": "2024-01-01",
            "valid_to": "",
            "successor": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Unit.objects.get(code="XA-MOI")
    assert created.get_parent() == district
    assert ModelLogEntry.objects.filter(object_id=str(created.pk), action="wagtail.create").exists()


def test_editing_a_person_is_written_to_the_audit_log_and_shows_in_history(office, locality):
    person = locality["commune_clerk"]
    post = person.assignments.get()
    response = office.post(
        reverse("staff:edit", args=[person.pk]),
        {
            "code": person.code,
            "full_name": "Giàng Thị Công Mới",
            "category": Staff.Category.CIVIL_SERVANT,
            "start_date": "2000-01-01",
            "end_date": "",
            "user": "",
            "assignments-TOTAL_FORMS": "1",
            "assignments-INITIAL_FORMS": "1",
            "assignments-MIN_NUM_FORMS": "0",
            "assignments-MAX_NUM_FORMS": "1000",
            "assignments-0-id": post.pk,
            "assignments-0-unit": post.unit_id,
            "assignments-0-position": post.position_id,
            "assignments-0-start_date": "2000-01-01",
            "assignments-0-end_date": "",
            "assignments-0-ORDER": "1",
            "assignments-0-DELETE": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = ModelLogEntry.objects.get(object_id=str(person.pk), action="wagtail.edit")
    assert entry.user.username == "noivu"
    history = office.get(reverse("staff:history", args=[person.pk]))
    assert history.status_code == 200


def test_the_unresolved_route_report_lists_a_vacant_post(office, locality):
    chair_post = locality["commune_chair"].assignments.get()
    chair_post.end_date = datetime.date(2024, 2, 29)
    chair_post.save()
    response = office.get(reverse("scoring_unresolved_routes"), {"month": "2024-03"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Giàng Thị Công" in body and "Sùng Seo Phó" in body
    assert "Phạm Văn Chuyên" not in body  # the agency specialist resolves


def test_the_unresolved_route_report_exports_a_spreadsheet(office, locality):
    locality["commune_chair"].assignments.update(end_date=datetime.date(2024, 2, 29))
    response = office.get(
        reverse("scoring_unresolved_routes"), {"month": "2024-03", "export": "csv"}
    )
    assert response.status_code == 200
    assert "Giàng Thị Công" in b"".join(response.streaming_content).decode()


def test_the_route_report_runs_a_fixed_number_of_queries(
    office, locality, django_assert_max_num_queries
):
    url = reverse("scoring_unresolved_routes")
    locality["commune_chair"].assignments.update(end_date=datetime.date(2024, 2, 29))
    office.get(url, {"month": "2024-03"})
    with django_assert_max_num_queries(40) as small:
        office.get(url, {"month": "2024-03"})
    for index in range(30):
        f.staff(f"Công chức {index}", locality["commune"], locality["clerk_position"])
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = office.get(url, {"month": "2024-03"})
    assert "Công chức 29" in response.content.decode()


@pytest.mark.parametrize(
    "group", [roles.STAFF_MEMBER, roles.EVALUATOR, roles.UNIT_HEAD, roles.DESK_OFFICER]
)
def test_only_the_home_affairs_office_manages_the_organisation(client, locality, group):
    client.force_login(f.user("person", group))
    assert refused(client.get(reverse("scoring_unresolved_routes")))
    assert refused(client.get(reverse("units:add")))
    assert refused(client.get(reverse("evaluation_rules:index")))
    assert refused(client.get(reverse("evaluator_overrides:add")))


def test_a_logged_out_visitor_is_sent_to_the_login_page(client):
    response = client.get(reverse("staff:index"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_override_without_a_reason_is_refused_and_nothing_is_saved(office, locality):
    response = office.post(
        reverse("evaluator_overrides:add"),
        {
            "staff": locality["commune_clerk"].pk,
            "evaluator": locality["commune_vice"].pk,
            "council": "",
            "reason": "",
            "valid_from": timezone.localdate().isoformat(),
            "valid_to": "",
        },
    )
    assert response.status_code == 200
    assert "Trường này là bắt buộc" in response.content.decode()
    assert not locality["commune_clerk"].evaluator_overrides.exists()
