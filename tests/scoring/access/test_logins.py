"""Sign-ins resist guessing: lockout per account and per address (IPv6 by /64), the
office's unlock, Vietnamese password rules, short sessions, and all of it in the audit log."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry

from scoring.access import logins, roles
from tests import factories as f

pytestmark = pytest.mark.django_db
PASSWORD = "một-mật-khẩu-dài-đủ"


def sign_in(client: Client, username: str, password: str):
    return client.post(reverse("wagtailadmin_login"), {"username": username, "password": password})


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def officer(db):
    return f.user("noivu1", roles.HOME_AFFAIRS, password=PASSWORD)


@pytest.fixture
def clerk(db):
    return f.user("canbo1", roles.STAFF_MEMBER, password=PASSWORD)


def actions(user) -> list[str]:
    return list(
        ModelLogEntry.objects.filter(object_id=str(user.pk))
        .order_by("timestamp", "pk")
        .values_list("action", flat=True)
    )


def test_an_account_is_locked_after_the_limit_from_any_address(settings, clerk):
    settings.AXES_FAILURE_LIMIT = 3
    answers = [sign_in(Client(REMOTE_ADDR=f"203.0.113.{n}"), "canbo1", "sai") for n in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 429]  # locked at the 3rd
    client = Client(REMOTE_ADDR="198.51.100.7")
    answer = sign_in(client, "canbo1", PASSWORD)
    assert answer.status_code == 429
    assert "tạm dừng" in answer.content.decode()
    assert not signed_in(client)
    assert actions(clerk).count(logins.LOGIN_FAILED) == 4  # the refused 4th counts too
    assert logins.LOCKED_OUT in actions(clerk)


def test_an_address_is_locked_after_the_limit_whatever_the_account(settings, clerk, officer):
    settings.AXES_FAILURE_LIMIT = 3
    for name in ("a", "b", "c"):
        sign_in(Client(REMOTE_ADDR="203.0.113.5"), name, "sai")
    assert sign_in(Client(REMOTE_ADDR="203.0.113.5"), "canbo1", PASSWORD).status_code == 429
    elsewhere = Client(REMOTE_ADDR="203.0.113.6")
    assert sign_in(elsewhere, "canbo1", PASSWORD).status_code == 302
    assert signed_in(elsewhere)


def test_the_addresses_of_one_ipv6_64_count_as_one(settings, clerk):
    settings.AXES_FAILURE_LIMIT = 3
    for number, address in enumerate(("::1", "::2:3", ":ffff:1:2:3")):
        sign_in(Client(REMOTE_ADDR=f"2001:db8:7:8{address}"), f"x{number}", "sai")
    assert sign_in(Client(REMOTE_ADDR="2001:db8:7:8::99"), "canbo1", PASSWORD).status_code == 429
    assert sign_in(Client(REMOTE_ADDR="2001:db8:7:9::1"), "canbo1", PASSWORD).status_code == 302


def test_the_office_sees_the_lockout_and_unlocks_it(settings, clerk, officer, client):
    settings.AXES_FAILURE_LIMIT = 2
    for number in range(2):
        sign_in(Client(REMOTE_ADDR=f"203.0.113.{number}"), "canbo1", "sai")
    [lockout] = [x for x in logins.lockouts() if x.username]
    assert (lockout.username, lockout.failures) == ("canbo1", 2)

    client.force_login(officer)
    page = client.get(reverse("scoring_lockouts"))
    assert page.status_code == 200
    assert "canbo1" in page.content.decode()
    assert client.post(reverse("scoring_lockouts"), {"username": "canbo1"}).status_code == 302
    assert not [x for x in logins.lockouts() if x.username]
    assert sign_in(Client(REMOTE_ADDR="198.51.100.1"), "canbo1", PASSWORD).status_code == 302
    assert logins.UNLOCKED in actions(clerk)
    assert actions(clerk)[-1] == logins.LOGIN


def test_only_the_office_opens_the_lockouts_page(client, clerk):
    client.force_login(clerk)
    assert client.get(reverse("scoring_lockouts")).status_code in (302, 403)
    assert client.post(reverse("scoring_lockouts"), {"username": "x"}).status_code in (302, 403)


def test_a_change_of_roles_is_in_the_audit_log(clerk):
    from django.contrib.auth.models import Group

    clerk.groups.add(Group.objects.get(name=roles.EVALUATOR))
    entry = ModelLogEntry.objects.filter(action=logins.ROLES_CHANGED).latest("pk")
    assert entry.object_id == str(clerk.pk)
    assert roles.EVALUATOR in entry.data["roles"]


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("demo12345", "Mật khẩu này quá ngắn"),
        ("password1234", "Mật khẩu này quá phổ biến"),
        ("canbo1-2026", "Mật khẩu quá giống"),
    ],
)
def test_weak_passwords_are_refused_in_vietnamese(clerk, password, message):
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        validate_password(password, clerk)
    assert message in " ".join(refused.value.messages)


def test_a_long_unusual_password_is_accepted(clerk):
    validate_password("con-đường-làng-mùa-lúa-chín", clerk)


def test_a_session_ends_with_the_browser_and_after_idle_time(clerk):
    client = Client()
    answer = sign_in(client, "canbo1", PASSWORD)
    cookie = answer.cookies["sessionid"]
    assert not cookie["max-age"] and not cookie["expires"]  # gone when the browser closes
    assert client.session.get_expiry_age() <= 30 * 60


def test_activity_runs_the_idle_timeout_afresh_at_most_once_a_minute(clerk):
    client = Client()
    sign_in(client, "canbo1", PASSWORD)
    session = client.session
    session[logins.ACTIVE_KEY] -= 120  # the last activity two minutes ago
    session.save()
    before = client.session[logins.ACTIVE_KEY]
    client.get(reverse("wagtailadmin_home"))
    first = client.session[logins.ACTIVE_KEY]
    assert first > before
    client.get(reverse("wagtailadmin_home"))
    assert client.session[logins.ACTIVE_KEY] == first  # not written again within the minute
