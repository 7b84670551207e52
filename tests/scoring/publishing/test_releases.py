"""Releasing a locked month with four eyes, at its time, with corrections and history;
the figures frozen in a release are suppressed below the minimum."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from scoring.access import roles
from scoring.cycle import closing, periods
from scoring.models import Evaluation, Period, Release
from scoring.publishing import public, releases
from tests import factories as f

pytestmark = pytest.mark.django_db
State = Evaluation.State


@pytest.fixture
def march(locality):
    period = periods.open_period(2026, 3).period
    Evaluation.objects.filter(period=period).update(
        state=State.APPROVED, final_total=Decimal("80"), level=2
    )
    return period


@pytest.fixture
def officers(db):
    return f.user("noivu1", roles.HOME_AFFAIRS), f.user("noivu2", roles.HOME_AFFAIRS)


def lock(period):
    for unit in closing.month_units(period):
        closing.submit_unit_month(period, unit, None)
    return periods.close_period(period)


def test_only_a_locked_month_can_be_prepared(march, officers):
    with pytest.raises(ValidationError, match="khóa sổ"):
        releases.prepare(march, officers[0])
    assert not Release.objects.exists()


def test_the_preparer_cannot_approve_their_own_release(march, officers):
    march = lock(march)
    release = releases.prepare(march, officers[0], timezone.now())
    assert releases.approval_refusal(release, officers[0]) is not None
    with pytest.raises(ValidationError):
        releases.approve(release, officers[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        Release.objects.filter(pk=release.pk).update(
            approved_by=officers[0], approved_at=timezone.now()
        )
    assert public.released_months() == []


def test_a_release_is_public_only_from_its_time(march, officers):
    march = lock(march)
    at = timezone.now() + datetime.timedelta(hours=2)
    release = releases.prepare(march, officers[0], at)
    assert public.released_months() == []  # prepared, not approved
    releases.approve(release, officers[1])
    assert public.released_months() == []  # approved, not yet its time
    assert public.released_month(2026, 3) is None
    later = at + datetime.timedelta(seconds=1)
    [month] = public.released_months(now=later)
    assert (month.year, month.month, month.number) == (2026, 3, 1)


def test_a_correction_shows_its_note_and_keeps_the_history(march, officers):
    march = lock(march)
    first = releases.prepare(march, officers[0], timezone.now())
    releases.approve(first, officers[1])
    with pytest.raises(ValidationError, match="đính chính"):
        releases.prepare(march, officers[0], timezone.now())
    second = releases.prepare(
        march, officers[1], timezone.now(), correction_note="Sửa số liệu Phòng Nội vụ"
    )
    releases.approve(second, officers[0])
    current = public.released_month(2026, 3)
    assert current.number == 2 and current.correction_note == "Sửa số liệu Phòng Nội vụ"
    assert current.earlier == [1]
    assert public.released_month(2026, 3, number=1).number == 1


def test_small_units_are_suppressed_in_the_frozen_figures(march, officers):
    march = lock(march)
    release = releases.prepare(march, officers[0], timezone.now())
    units = release.figures["units"]
    assert units and all(unit["classified"] is None for unit in units)  # each under 10
    assert all(unit["mean"] is None for unit in units)
    assert "full_name" not in str(release.figures)
    total = release.figures["locality"]
    assert total["classified"] == Evaluation.objects.filter(period=march).count() or (
        total["classified"] is None
    )


def test_the_public_version_changes_when_a_release_is_approved(march, officers):
    march = lock(march)
    before = public.version()
    release = releases.prepare(march, officers[0], timezone.now())
    with transaction.atomic():
        releases.approve(release, officers[1])
    public.changed()
    assert public.version() != before
    assert Period.objects.get(pk=march.pk).is_closed


def test_the_publishing_page_prepares_and_a_second_officer_approves(march, officers):
    from django.test import Client
    from django.urls import reverse

    march = lock(march)
    first, second = Client(), Client()
    first.force_login(officers[0])
    second.force_login(officers[1])
    url = reverse("scoring_releases")
    assert "Chuẩn bị công bố" in first.get(url).content.decode()
    first.post(
        url,
        {
            "action": "prepare",
            "period": march.pk,
            f"p{march.pk}-scheduled_for": "2026-04-20 08:00",
        },
    )
    release = Release.objects.get()
    assert "Phê duyệt</button>" not in first.get(url).content.decode()  # not the preparer
    first.post(url, {"action": "approve", "release": release.pk})
    assert not Release.objects.get().is_approved
    assert "Phê duyệt</button>" in second.get(url).content.decode()
    second.post(url, {"action": "approve", "release": release.pk})
    assert Release.objects.get().approved_by == officers[1]


def test_a_staff_member_cannot_open_the_publishing_page(client, march):
    from django.urls import reverse

    client.force_login(f.user("canbo", roles.STAFF_MEMBER))
    response = client.get(reverse("scoring_releases"))
    assert response.status_code in (302, 403)
