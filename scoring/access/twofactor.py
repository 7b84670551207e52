"""Two-factor sign-in for the admin: a TOTP authenticator app plus recovery codes.

Who must use it is decided once, in :func:`must_use_two_factor`: superusers and the
roles in :data:`REQUIRED_GROUPS`, while ``TWO_FACTOR_REQUIRED`` is on. Everyone else
may enrol from their account page; once enrolled, they give a code at every sign-in too.

At sign-in the next step is written in the session (:func:`remember_step`): enrol (a
required person with no authenticator), verify (anyone with one), or nothing. Until the
person has enrolled or given a code, :class:`TwoFactorMiddleware` sends every admin page
to that step. A person without two-factor costs one session read a request; one with it
one query more (django-otp's middleware reads the session's device, so a device removed
by the office's reset ends the verified session at its next page). django-otp keeps the devices
(``TOTPDevice``, and a ``StaticDevice`` whose tokens are the single-use recovery codes),
checks the codes and doubles the wait after each wrong one (``OTP_TOTP_THROTTLE_FACTOR``).

Enrolment, a wrong code, the use of a recovery code, new codes and the removal of the
devices (by the person, or the office's reset for a lost phone) go to the audit log on the
login concerned, as the sign-ins of :mod:`scoring.access.logins` do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import log

from . import roles

# The roles that must sign in with a second factor (superusers always must).
REQUIRED_GROUPS = (roles.HOME_AFFAIRS, roles.UNIT_HEAD)
RECOVERY_CODE_COUNT = 10
TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery"

STEP_KEY = "_two_factor_step"
ENROL = "enrol"
VERIFY = "verify"

ENROLLED = "portal.two_factor_enrolled"
VERIFY_FAILED = "portal.two_factor_failed"
RECOVERY_USED = "portal.two_factor_recovery_used"
CODES_RENEWED = "portal.two_factor_codes_renewed"
REMOVED = "portal.two_factor_removed"
RESET = "portal.two_factor_reset"

LOG_ACTIONS = {
    ENROLLED: (_("Two-factor enrolled"), _("Set up two-factor sign-in")),
    VERIFY_FAILED: (_("Wrong two-factor code"), _("A wrong two-factor code was given")),
    RECOVERY_USED: (_("Recovery code used"), _("Signed in with a recovery code")),
    CODES_RENEWED: (_("Recovery codes renewed"), _("New recovery codes were made")),
    REMOVED: (_("Two-factor removed"), _("Turned two-factor sign-in off")),
    RESET: (_("Two-factor reset"), _("Two-factor sign-in reset by the home-affairs office")),
}


def register_log_actions(actions) -> None:
    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action, label, message)


# --- Who and what -------------------------------------------------------------------------


def must_use_two_factor(user: Any) -> bool:
    """Superusers and the roles of :data:`REQUIRED_GROUPS` must sign in with a second
    factor, while ``TWO_FACTOR_REQUIRED`` is on; nobody else must."""
    if not settings.TWO_FACTOR_REQUIRED or not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or user.groups.filter(name__in=REQUIRED_GROUPS).exists()


def authenticator(user: Any) -> TOTPDevice | None:
    """The person's confirmed authenticator app, if they have enrolled."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def is_enrolled(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def next_step(user: Any) -> str:
    """What a person who has just signed in must do: verify, enrol, or nothing ("")."""
    if is_enrolled(user):
        return VERIFY
    return ENROL if must_use_two_factor(user) else ""


def remember_step(sender, request, user, **kwargs) -> None:
    """``user_logged_in``: note the step in the new session."""
    if request is not None and hasattr(request, "session"):
        request.session[STEP_KEY] = next_step(user)


def person_of(request) -> Any:
    """The login itself: Wagtail's audit log files an entry by the instance's model, and
    ``request.user`` is a lazy wrapper (twice: Django's and django-otp's)."""
    user = request.user
    while isinstance(user, SimpleLazyObject):
        user.pk  # noqa: B018 (evaluates the wrapper)
        user = user._wrapped
    return user


def _done(request, device) -> None:
    """The session is verified by ``device``; the step stays, so every admin page checks
    the device still exists (one query): the office's reset ends a verified session too."""
    otp_login(request, device)
    request.session[STEP_KEY] = VERIFY


# --- Enrolment and recovery codes ----------------------------------------------------------


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed authenticator the enrol page shows, the same key until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def otpauth_uri(device: TOTPDevice) -> str:
    return device.config_url


def secret_text(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into an app by hand."""
    secret = re.search(r"secret=([A-Z2-7]+)", device.config_url).group(1)
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def confirm(request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm ``device`` with one code from the app: the person is enrolled, verified for
    this session, and gets their recovery codes (returned, shown once). None if wrong."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not device.verify_is_allowed()[0] or not device.verify_token(code):
            log(instance=person_of(request), action=VERIFY_FAILED, user=person_of(request))
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
        codes = _new_codes(request.user)
    log(instance=person_of(request), action=ENROLLED, user=person_of(request))
    _done(request, device)
    return codes


def _new_codes(user: Any) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _n in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def renew_codes(user: Any) -> list[str]:
    """Replace the person's recovery codes with fresh ones (the old stop working)."""
    with transaction.atomic():
        codes = _new_codes(user)
    log(instance=user, action=CODES_RENEWED, user=user)
    return codes


# --- Verifying at sign-in ----------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What a code given at the verify page did."""

    accepted: bool
    recovery: bool = False  # a recovery code was used up
    wait_until: datetime | None = None  # too many wrong codes: not checked before this


def _normalised(code: str) -> str:
    return re.sub(r"[\s-]", "", code).lower()


def verify(request, code: str) -> Outcome:
    """Check a code from the app (six digits) or a recovery code; on success the session
    is verified. Wrong codes are logged and make the next try wait longer."""
    code = _normalised(code)
    recovery = not (code.isdigit() and len(code) == 6)
    model = StaticDevice if recovery else TOTPDevice
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=request.user, confirmed=True)
        device = device.first()
        if device is None:
            accepted, wait_until = False, None
        else:
            allowed, details = device.verify_is_allowed()
            wait_until = None if allowed else (details or {}).get("locked_until")
            accepted = allowed and device.verify_token(code)
    if not accepted:
        log(instance=person_of(request), action=VERIFY_FAILED, user=person_of(request))
        return Outcome(False, wait_until=wait_until)
    if recovery:
        left = recovery_codes_left(request.user)
        person = person_of(request)
        log(instance=person, action=RECOVERY_USED, user=person, data={"left": left})
    _done(request, device)
    return Outcome(True, recovery=recovery)


# --- Removing -----------------------------------------------------------------------------


def may_turn_off(user: Any) -> bool:
    """A person may turn two-factor off only when it is not required of them."""
    return not must_use_two_factor(user)


def _remove_devices(user: Any) -> int:
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    return removed + StaticDevice.objects.filter(user=user).delete()[0]


def turn_off(request) -> bool:
    """The person's own removal of their devices; refused (False) when required."""
    if not may_turn_off(request.user):
        return False
    _remove_devices(request.user)
    request.session[STEP_KEY] = ""
    log(instance=person_of(request), action=REMOVED, user=person_of(request))
    return True


def reset(user: Any, by: Any) -> int:
    """The office's reset for a lost phone: the person's devices are removed, and at their
    next sign-in they enrol afresh (if required) or sign in with the password alone."""
    if removed := _remove_devices(user):
        log(instance=user, action=RESET, user=by)
    return removed


# --- Enforcement -------------------------------------------------------------------------

# The admin pages a person between password and code may open (URL names).
OPEN_URL_NAMES = (
    "scoring_two_factor_enrol",
    "scoring_two_factor_verify",
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
)
STEP_URL_NAMES = {ENROL: "scoring_two_factor_enrol", VERIFY: "scoring_two_factor_verify"}


class TwoFactorMiddleware:
    """Send a signed-in person who still owes a second factor to the enrol or verify
    page from every admin page but the open ones."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.open_paths: frozenset[str] | None = None
        self.admin_prefix = ""

    def __call__(self, request):
        if (step := self.step_owed(request)) and request.path_info not in self.open_paths:
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse(STEP_URL_NAMES[step])}?{query}")
        return self.get_response(request)

    def in_admin(self, path: str) -> bool:
        if self.open_paths is None:  # the URLs are known once the first request comes
            self.open_paths = frozenset(reverse(name) for name in OPEN_URL_NAMES)
            self.admin_prefix = reverse("wagtailadmin_home")
        return path.startswith(self.admin_prefix)

    def step_owed(self, request) -> str:
        session = getattr(request, "session", None)
        if session is None or not self.in_admin(request.path_info):
            return ""
        step = session.get(STEP_KEY)
        if step == "" or not request.user.is_authenticated:
            return ""
        if step is None:  # a session from before two-factor sign-in existed
            step = session[STEP_KEY] = next_step(request.user)
        if not step or request.user.is_verified():
            return ""
        return step
