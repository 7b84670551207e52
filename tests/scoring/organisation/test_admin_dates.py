"""A date typed into the organisation's admin forms must lie between 1900 and 2100."""

import pytest
from django.urls import reverse
from wagtail.users.models import UserProfile

from scoring.access import roles
from scoring.models import Unit
from tests import factories as f

pytestmark = pytest.mark.django_db

VIETNAMESE = "01/01/1850 không phải là ngày hợp lệ: năm phải trong khoảng từ 1900 đến 2100."
ENGLISH = "01/01/1850 is not a plausible date: the year must be between 1900 and 2100."


@pytest.fixture
def office(client):
    """A logged-in member of the home-affairs office."""
    client.force_login(f.user("noivu", roles.HOME_AFFAIRS))
    return client


def new_unit(locality, **dates) -> dict:
    return {
        "parent": locality["district"].pk,
        "code": "XA-MOI",
        "name": "Xã Nghĩa Thuận",
        "kind": f.kind("commune").pk,
        "valid_from": "2024-01-01",
        "valid_to": "",
        "successor": "",
        **dates,
    }


def staff_form(person, **post) -> dict:
    """The staff edit form as the admin posts it, with their one post changed by ``post``."""
    assignment = person.assignments.get()
    return {
        "code": person.code,
        "full_name": person.full_name,
        "category": person.category,
        "start_date": person.start_date.isoformat(),
        "end_date": "",
        "user": "",
        "assignments-TOTAL_FORMS": "1",
        "assignments-INITIAL_FORMS": "1",
        "assignments-MIN_NUM_FORMS": "0",
        "assignments-MAX_NUM_FORMS": "1000",
        "assignments-0-id": assignment.pk,
        "assignments-0-unit": assignment.unit_id,
        "assignments-0-position": assignment.position_id,
        "assignments-0-start_date": assignment.start_date.isoformat(),
        "assignments-0-end_date": "",
        "assignments-0-ORDER": "1",
        "assignments-0-DELETE": "",
        **{f"assignments-0-{name}": value for name, value in post.items()},
    }


def test_a_unit_valid_from_1850_is_refused_in_vietnamese_and_nothing_is_saved(office, locality):
    response = office.post(reverse("units:add"), new_unit(locality, valid_from="1850-01-01"))

    assert response.status_code == 200
    assert response.context["form"].errors == {"valid_from": [VIETNAMESE]}
    assert VIETNAMESE in response.content.decode()
    assert not Unit.objects.filter(code="XA-MOI").exists()


def test_an_english_user_reads_the_refusal_in_english(client, locality):
    account = f.user("noivu", roles.HOME_AFFAIRS)
    profile = UserProfile.get_for_user(account)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(account)

    response = client.post(reverse("units:add"), new_unit(locality, valid_from="1850-01-01"))

    assert response.status_code == 200
    assert ENGLISH in response.content.decode()
    assert not Unit.objects.filter(code="XA-MOI").exists()


def test_a_unit_valid_from_1900_to_2100_is_saved(office, locality):
    dates = {"valid_from": "1900-01-01", "valid_to": "2100-12-31"}
    response = office.post(reverse("units:add"), new_unit(locality, **dates))

    assert response.status_code == 302, response.content.decode()[:2000]
    created = Unit.objects.get(code="XA-MOI")
    assert (created.valid_from.year, created.valid_to.year) == (1900, 2100)


def test_a_post_ending_in_2150_is_refused_and_the_person_is_unchanged(office, locality):
    person = locality["commune_clerk"]
    response = office.post(
        reverse("staff:edit", args=[person.pk]), staff_form(person, end_date="2150-01-01")
    )

    assert response.status_code == 200
    assert "01/01/2150 không phải là ngày hợp lệ" in response.content.decode()
    assert person.assignments.get().end_date is None


def test_a_unit_edited_to_close_in_2150_is_refused(office, locality):
    unit = locality["commune"]
    data = new_unit(locality, code=unit.code, name=unit.name, kind=unit.kind_id)
    data.pop("parent")
    data["valid_from"] = unit.valid_from.isoformat()
    data["valid_to"] = "2150-12-31"

    response = office.post(reverse("units:edit", args=[unit.pk]), data)

    assert response.status_code == 200
    assert "31/12/2150 không phải là ngày hợp lệ" in response.content.decode()
    assert Unit.objects.get(pk=unit.pk).valid_to is None
