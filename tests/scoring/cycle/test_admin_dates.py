"""A month's deadlines and absences typed in the admin or a command lie between 1900 and 2100."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.users.models import UserProfile

from scoring.access import roles
from scoring.cycle import periods
from scoring.models import Absence, AbsenceReason, Period
from tests import factories as f

pytestmark = pytest.mark.django_db

IN_2150 = "không phải là ngày hợp lệ: năm phải trong khoảng từ 1900 đến 2100."


@pytest.fixture
def office(client):
    client.force_login(f.user("noivu", roles.HOME_AFFAIRS))
    return client


@pytest.fixture
def march(locality):
    return periods.open_period(2026, 3).period


def deadlines(period: Period, **changes: str) -> dict[str, str]:
    values = {
        "plan_deadline": period.plan_deadline.isoformat(),
        "self_deadline": period.self_deadline.isoformat(),
        "evaluation_deadline": period.evaluation_deadline.isoformat(),
    }
    return {**values, **changes}


def test_a_deadline_moved_to_2150_is_refused_and_the_month_keeps_its_own(office, march):
    response = office.post(
        reverse("periods:edit", args=[march.pk]), deadlines(march, evaluation_deadline="2150-04-07")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["evaluation_deadline"] == [f"07/04/2150 {IN_2150}"]
    march.refresh_from_db()
    assert march.evaluation_deadline == periods.default_deadlines(2026, 3)["evaluation_deadline"]


def test_an_english_user_reads_the_deadline_refusal_in_english(client, march):
    account = f.user("noivu", roles.HOME_AFFAIRS)
    profile = UserProfile.get_for_user(account)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(account)

    response = client.post(
        reverse("periods:edit", args=[march.pk]), deadlines(march, evaluation_deadline="2150-04-07")
    )

    assert response.status_code == 200
    assert (
        "07/04/2150 is not a plausible date: the year must be between 1900 and 2100."
        in response.content.decode()
    )


def test_a_deadline_on_the_last_day_of_2100_is_kept(office, march):
    response = office.post(
        reverse("periods:edit", args=[march.pk]), deadlines(march, evaluation_deadline="2100-12-31")
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    march.refresh_from_db()
    assert march.evaluation_deadline == datetime.date(2100, 12, 31)


def test_opening_a_month_with_a_deadline_typed_in_2150_is_refused(office, locality):
    response = office.post(
        reverse("periods:add"),
        {"month": "2026-03", "prefilled_for": "2026-03", "evaluation_deadline": "2150-04-07"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["evaluation_deadline"] == [f"07/04/2150 {IN_2150}"]
    assert not Period.objects.exists()


def test_opening_a_month_of_2150_is_refused_and_nothing_is_opened(office, locality):
    response = office.post(reverse("periods:add"), {"month": "2150-03"})

    assert response.status_code == 200
    assert response.context["form"].errors["month"] == [f"05/03/2150 {IN_2150}"]
    assert f"05/03/2150 {IN_2150}" in response.content.decode()
    assert not Period.objects.exists()


def test_the_open_command_refuses_a_month_of_2150(locality):
    with pytest.raises(CommandError, match="05/03/2150"):
        call_command("open_period", "2150-03", stdout=io.StringIO())

    assert not Period.objects.exists()


def test_the_open_command_refuses_a_deadline_typed_in_1850(locality):
    with pytest.raises(CommandError, match="01/01/1850"):
        call_command(
            "open_period", "2026-03", "--plan-deadline", "1850-01-01", stdout=io.StringIO()
        )

    assert not Period.objects.exists()


def test_an_absence_to_2150_is_refused_in_the_admin_and_not_recorded(office, locality):
    response = office.post(
        reverse("absences:add"),
        {
            "staff": locality["commune_clerk"].pk,
            "reason": AbsenceReason.objects.first().pk,
            "start_date": "2026-03-01",
            "end_date": "2150-06-30",
            "note": "",
        },
    )

    assert response.status_code == 200
    assert f"30/06/2150 {IN_2150}" in response.content.decode()
    assert not Absence.objects.exists()
