"""Two-factor sign-in: required for the office, unit heads and superusers, optional for
the other roles; enrolment with a real TOTP code, recovery codes that work once, the
office's reset, throttled wrong codes, and all of it in the audit log."""

import re
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry

from scoring.access import roles, twofactor
from tests import factories as f

pytestmark = pytest.mark.django_db
PASSWORD = "một-mật-khẩu-dài-đủ"
ENROL = reverse("scoring_two_factor_enrol")
VERIFY = reverse("scoring_two_factor_verify")
SETTINGS_PAGE = reverse("scoring_two_factor_settings")


@pytest.fixture(autouse=True)
def _required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def sign_in(client: Client, username: str):
    return client.post(
        reverse("wagtailadmin_login"), {"username": username, "password": PASSWORD}, follow=True
    )


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    """The code the person's app shows now (``offset`` steps away)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0 - offset * device.step):06d}"


def next_code(device: TOTPDevice) -> str:
    """The code of the step after the last one the device accepted: what the app shows
    next, whichever side of a 30-second boundary the test runs on."""
    device.refresh_from_db()
    clock = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    clock.time = device.t0 + (device.last_t + 1) * device.step
    return f"{clock.token():0{device.digits}d}"


def actions(user) -> list[str]:
    return list(
        ModelLogEntry.objects.filter(object_id=str(user.pk))
        .order_by("timestamp", "pk")
        .values_list("action", flat=True)
    )


def enrolled(user) -> tuple[TOTPDevice, list[str]]:
    """An authenticator and recovery codes for ``user``, made through the service."""
    device = twofactor.pending_device(user)
    client = Client()
    client.force_login(user)
    page = client.post(ENROL, {"code": code_for(device)})
    assert page.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", page.content.decode())
    device.refresh_from_db()
    return device, codes


@pytest.fixture
def officer(db):
    return f.user("noivu1", roles.HOME_AFFAIRS, password=PASSWORD)


@pytest.fixture
def head(db):
    return f.user("thutruong1", roles.UNIT_HEAD, password=PASSWORD)


@pytest.fixture
def admin(db):
    return f.user("quantri", superuser=True, password=PASSWORD)


@pytest.fixture
def clerk(db):
    return f.user("canbo1", roles.STAFF_MEMBER, password=PASSWORD)


# --- Who must ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["officer", "head", "admin"])
def test_the_office_unit_heads_and_superusers_must_enrol_after_signing_in(request, name):
    user = request.getfixturevalue(name)
    assert twofactor.must_use_two_factor(user)
    client = Client()
    page = sign_in(client, user.username)
    assert page.redirect_chain[-1][0].startswith(ENROL)
    assert "Thiết lập đăng nhập hai lớp" in page.content.decode()
    for other in (reverse("wagtailadmin_home"), reverse("scoring_lockouts"), "/admin/users/"):
        answer = client.get(other)
        assert answer.status_code == 302
        assert answer.url.startswith(ENROL)


@pytest.mark.parametrize("group", [roles.EVALUATOR, roles.STAFF_MEMBER, roles.DESK_OFFICER])
def test_the_other_roles_sign_in_with_the_password_alone(group):
    user = f.user("nguoi1", group, password=PASSWORD)
    assert not twofactor.must_use_two_factor(user)
    client = Client()
    page = sign_in(client, "nguoi1")
    assert page.redirect_chain[-1][0] == reverse("wagtailadmin_home")
    assert page.status_code == 200


def test_the_switch_off_requires_it_of_nobody(settings, officer):
    settings.TWO_FACTOR_REQUIRED = False
    assert not twofactor.must_use_two_factor(officer)
    client = Client()
    assert sign_in(client, "noivu1").redirect_chain[-1][0] == reverse("wagtailadmin_home")


def test_a_session_from_before_two_factor_is_sent_to_enrol(officer, client):
    client.force_login(officer)
    session = client.session
    del session[twofactor.STEP_KEY]
    session.save()
    answer = client.get(reverse("wagtailadmin_home"))
    assert answer.status_code == 302 and answer.url.startswith(ENROL)


# --- Enrolment ----------------------------------------------------------------------------


def test_enrolment_shows_a_qr_code_and_the_key_and_takes_one_real_code(settings, officer, client):
    sign_in(client, "noivu1")
    page = client.get(ENROL)
    text = page.content.decode()
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    assert "<svg" in text and 'style="' not in text.split("<svg", 1)[1].split("</svg>")[0]
    assert twofactor.secret_text(device) in text
    uri = unquote(twofactor.otpauth_uri(device))
    assert f"issuer={settings.WAGTAIL_SITE_NAME}" in uri and uri.endswith(
        settings.WAGTAIL_SITE_NAME
    )
    answer = client.post(ENROL, {"code": code_for(device), "next": "/admin/lockouts/"})
    assert answer.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", answer.content.decode())
    assert len(codes) == twofactor.RECOVERY_CODE_COUNT == len(set(codes))
    assert "chỉ hiện một lần" in answer.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("scoring_lockouts")).status_code == 200  # verified now
    assert twofactor.ENROLLED in actions(officer)


@pytest.mark.parametrize(
    "language, message",
    [("vi", "Mã này không đúng"), ("en", "This code is not right")],
)
def test_a_wrong_enrolment_code_is_refused_in_the_persons_language(
    officer, client, language, message
):
    client.cookies["django_language"] = language
    sign_in(client, "noivu1")
    device = twofactor.pending_device(officer)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    answer = client.post(ENROL, {"code": wrong})
    assert answer.status_code == 400
    assert message in answer.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticToken.objects.filter(device__user=officer).exists()
    assert client.get(reverse("wagtailadmin_home")).url.startswith(ENROL)  # still owed
    assert actions(officer).count(twofactor.VERIFY_FAILED) == 1


def test_an_optional_role_enrols_from_the_account_page_and_then_verifies(clerk, client):
    client.force_login(clerk)
    account = client.get(reverse("wagtailadmin_account"))
    assert SETTINGS_PAGE in account.content.decode()
    assert "Đăng nhập hai lớp đang tắt" in client.get(SETTINGS_PAGE).content.decode()
    device, codes = enrolled(clerk)
    assert len(codes) == 10
    fresh = Client()
    page = sign_in(fresh, "canbo1")
    assert page.redirect_chain[-1][0].startswith(VERIFY)


# --- Verification -------------------------------------------------------------------------


def test_an_enrolled_person_gives_a_code_before_any_admin_page(officer):
    device, _codes = enrolled(officer)
    client = Client()
    page = sign_in(client, "noivu1")
    assert page.redirect_chain[-1][0].startswith(VERIFY)
    assert "Nhập mã đăng nhập" in page.content.decode()
    assert client.get(reverse("scoring_lockouts")).url.startswith(VERIFY)
    # The enrolment used this step's code (never accepted twice): the app's next one.
    answer = client.post(VERIFY, {"code": next_code(device), "next": "/admin/lockouts/"})
    assert answer.status_code == 302 and answer.url == "/admin/lockouts/"
    assert client.get(reverse("scoring_lockouts")).status_code == 200


def test_a_wrong_code_is_refused_and_then_throttled(officer, client):
    device, _codes = enrolled(officer)
    sign_in(client, "noivu1")
    wrong = f"{(int(next_code(device)) + 1) % 1_000_000:06d}"
    first = client.post(VERIFY, {"code": wrong})
    assert first.status_code == 400 and "Mã này không đúng" in first.content.decode()
    second = client.post(VERIFY, {"code": next_code(device)})  # right, but too soon
    assert second.status_code == 400 and "Nhập sai quá nhiều lần" in second.content.decode()
    assert client.get(reverse("wagtailadmin_home")).url.startswith(VERIFY)
    assert actions(officer).count(twofactor.VERIFY_FAILED) == 2


def test_a_wrong_code_message_in_english(officer, client):
    enrolled(officer)
    client.cookies["django_language"] = "en"
    sign_in(client, "noivu1")
    answer = client.post(VERIFY, {"code": "000000x"})
    assert "This code is not right" in answer.content.decode()
    assert client.post(VERIFY, {"code": ""}).content.decode().count("Enter the code.") == 1


def test_a_recovery_code_signs_in_once_only(officer):
    _device, codes = enrolled(officer)
    client = Client()
    sign_in(client, "noivu1")
    answer = client.post(VERIFY, {"code": codes[0].upper()}, follow=True)
    assert answer.redirect_chain[-1][0] == reverse("wagtailadmin_home")
    assert "còn 9" in answer.content.decode()
    assert twofactor.RECOVERY_USED in actions(officer)
    again = Client()
    sign_in(again, "noivu1")
    refused = again.post(VERIFY, {"code": codes[0]})
    assert refused.status_code == 400
    assert again.get(reverse("wagtailadmin_home")).url.startswith(VERIFY)
    assert twofactor.recovery_codes_left(officer) == 9


def test_new_recovery_codes_replace_the_old(officer, client):
    device, codes = enrolled(officer)
    client.force_login(officer)
    client.post(VERIFY, {"code": codes[1]})
    page = client.post(SETTINGS_PAGE, {"action": "codes"})
    fresh = re.findall(r"<li><code>([a-z2-7]+)</code></li>", page.content.decode())
    assert len(fresh) == 10 and not set(fresh) & set(codes)
    assert set(
        StaticToken.objects.filter(device__user=officer).values_list("token", flat=True)
    ) == set(fresh)
    assert twofactor.CODES_RENEWED in actions(officer)


def test_the_verify_page_reads_a_fixed_number_of_queries(officer, django_assert_max_num_queries):
    enrolled(officer)
    client = Client()
    sign_in(client, "noivu1")
    with django_assert_max_num_queries(7):
        assert client.get(VERIFY).status_code == 200


# --- Turning off and the office's reset ---------------------------------------------------


def test_a_required_role_cannot_turn_it_off(officer):
    _device, codes = enrolled(officer)
    client = Client()
    client.force_login(officer)
    client.post(VERIFY, {"code": codes[0]})
    answer = client.post(SETTINGS_PAGE, {"action": "off"}, follow=True)
    assert "luôn bật" in answer.content.decode()
    assert twofactor.is_enrolled(officer)
    assert twofactor.REMOVED not in actions(officer)


def test_an_optional_role_turns_it_off(clerk):
    _device, codes = enrolled(clerk)
    client = Client()
    client.force_login(clerk)
    client.post(VERIFY, {"code": codes[0]})
    client.post(SETTINGS_PAGE, {"action": "off"})
    assert not twofactor.is_enrolled(clerk)
    assert twofactor.REMOVED in actions(clerk)
    assert sign_in(Client(), "canbo1").redirect_chain[-1][0] == reverse("wagtailadmin_home")


def test_the_office_resets_a_lost_phone_and_the_person_enrols_again(officer, head):
    enrolled(head)
    _device, codes = enrolled(officer)
    office = Client()
    office.force_login(officer)
    office.post(VERIFY, {"code": codes[0]})
    assert "Đặt lại đăng nhập hai lớp" in office.get(reverse("scoring_lockouts")).content.decode()
    answer = office.post(reverse("scoring_two_factor_reset"), {"username": "thutruong1"})
    assert answer.status_code == 302
    assert not twofactor.is_enrolled(head)
    assert not StaticToken.objects.filter(device__user=head).exists()
    [entry] = ModelLogEntry.objects.filter(object_id=str(head.pk), action=twofactor.RESET)
    assert entry.user_id == officer.pk
    assert sign_in(Client(), "thutruong1").redirect_chain[-1][0].startswith(ENROL)


def test_an_unknown_account_is_not_reset(officer, client):
    client.force_login(officer)
    session = client.session
    session[twofactor.STEP_KEY] = ""
    session.save()
    answer = client.post(reverse("scoring_two_factor_reset"), {"username": "khongco"}, follow=True)
    assert "Không có tài khoản" in answer.content.decode()


def test_only_the_office_resets(clerk, head):
    enrolled(head)
    client = Client()
    client.force_login(clerk)
    answer = client.post(reverse("scoring_two_factor_reset"), {"username": "thutruong1"})
    assert answer.status_code in (302, 403)
    assert twofactor.is_enrolled(head)
    assert twofactor.RESET not in actions(head)


def test_the_pages_read_in_english_for_an_english_reader(officer):
    client = Client()
    client.cookies["django_language"] = "en"
    enrol = sign_in(client, "noivu1").content.decode()
    assert "Set up two-factor sign-in" in enrol and "Enter this key in the app" in enrol
    enrolled(officer)
    again = Client()
    again.cookies["django_language"] = "en"
    assert "Enter your sign-in code" in sign_in(again, "noivu1").content.decode()


def test_the_reset_ends_the_persons_verified_session(officer, head):
    device, _codes = enrolled(head)
    person = Client()
    sign_in(person, "thutruong1")
    person.post(VERIFY, {"code": next_code(device)})
    assert person.get(reverse("wagtailadmin_home")).status_code == 200
    twofactor.reset(head, officer)
    answer = person.get(reverse("wagtailadmin_home"), follow=True)
    assert answer.redirect_chain[-1][0].startswith(ENROL)


def test_a_verified_page_reads_one_query_more_than_without_two_factor(settings, officer):
    page = reverse("wagtailadmin_account")
    settings.TWO_FACTOR_REQUIRED = False
    plain = Client()
    plain.force_login(officer)
    plain.get(page)
    with CaptureQueriesContext(connection) as without:
        plain.get(page)
    settings.TWO_FACTOR_REQUIRED = True
    _device, codes = enrolled(officer)
    verified = Client()
    verified.force_login(officer)
    verified.post(VERIFY, {"code": codes[0]})
    verified.get(page)
    with CaptureQueriesContext(connection) as with_device:
        verified.get(page)
    assert len(with_device) == len(without) + 1  # the session's device
