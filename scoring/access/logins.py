"""Logins: lockout after repeated failures, the office's unlock, and the audit log.

django-axes counts failed logins in the database, so every app server sees the same
count: ``LOGIN_FAILURE_LIMIT`` failures in a row lock the account (whatever the address)
and, separately, the client address (an IPv4 address or an IPv6 /64, whatever the
account), for ``LOGIN_LOCKOUT_MINUTES``. A successful login resets the account's count.
The home-affairs office unlocks an account early (:func:`unlock`).

Every login, failed login, lockout, unlock and change of a login's roles is written to
Wagtail's audit log on the login concerned, so the office reads them in the site history.
"""

from __future__ import annotations

import ipaddress
import logging
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from scoring.lib.addresses import client_network

logger = logging.getLogger(__name__)

LOGIN = "portal.login"
LOGIN_FAILED = "portal.login_failed"
LOCKED_OUT = "portal.locked_out"
UNLOCKED = "portal.unlocked"
ROLES_CHANGED = "portal.roles_changed"

LOG_ACTIONS = {
    LOGIN: (_("Signed in"), _("Signed in")),
    LOGIN_FAILED: (_("Failed sign-in"), _("A sign-in failed: wrong password")),
    LOCKED_OUT: (_("Locked out"), _("Locked out after repeated failed sign-ins")),
    UNLOCKED: (_("Unlocked"), _("Unlocked by the home-affairs office")),
    ROLES_CHANGED: (_("Roles changed"), _("The login's roles were changed")),
}


def register_log_actions(actions) -> None:
    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action, label, message)


def client_address(request) -> str:
    """The address django-axes counts: IPv4 as is, IPv6 as the first address of its /64
    (a valid address, as axes stores it in an address column)."""
    network = client_network(request.META.get("REMOTE_ADDR", ""))
    if "/" in network:
        return str(ipaddress.ip_network(network).network_address)
    return network or "0.0.0.0"


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out sign-in gets (429), in the visitor's language."""
    return render(
        request,
        "scoring/access/locked_out.html",
        {
            "limit": settings.AXES_FAILURE_LIMIT,
            "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
        status=429,
    )


def _user(username: str | None) -> Any | None:
    if not username:
        return None
    User = get_user_model()
    return User.objects.filter(**{User.USERNAME_FIELD: username}).first()


def _address(request) -> str:
    return client_address(request) if request is not None else ""


ACTIVE_KEY = "_active"


def mark_active(session) -> None:
    """Note a session's latest activity; its idle timeout runs afresh when it is saved."""
    session[ACTIVE_KEY] = int(time.time())


def logged_in(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        mark_active(request.session)
    log(instance=user, action=LOGIN, user=user, data={"address": _address(request)})


def login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = (credentials or {}).get("username")
    if (user := _user(username)) is not None:
        log(instance=user, action=LOGIN_FAILED, data={"address": _address(request)})
    else:
        logger.info("Failed sign-in for an unknown login from %s", _address(request))


def locked_out(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    if (user := _user(username)) is not None:
        log(instance=user, action=LOCKED_OUT, data={"address": ip_address or ""})
    logger.warning("Sign-ins locked for %r from %s", username, ip_address)


def roles_changed(sender, instance, action, pk_set, **kwargs) -> None:
    """``m2m_changed`` of a login's groups: the roles given or taken away."""
    if action not in ("post_add", "post_remove", "post_clear") or not isinstance(
        instance, get_user_model()
    ):
        return
    groups = sorted(instance.groups.values_list("name", flat=True))
    log(instance=instance, action=ROLES_CHANGED, data={"roles": groups})


# --- Lockouts -------------------------------------------------------------------------


@dataclass(frozen=True)
class Lockout:
    """One locked account or client address, as the office's page lists it."""

    username: str  # empty for a locked address
    address: str  # empty for a locked account
    failures: int
    last_failure: datetime
    until: datetime | None


def lockouts(now: datetime | None = None) -> list[Lockout]:
    """The accounts and the addresses locked now, as django-axes counts them: the failures
    of each within the cool-off add up to the limit (two queries)."""
    now = now or timezone.now()
    cool_off = settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.all()
    if cool_off:
        attempts = attempts.filter(attempt_time__gte=now - cool_off)
    found = []
    for field in ("username", "ip_address"):
        rows = (
            attempts.exclude(**{f"{field}__isnull": True})
            .exclude(**{field: ""})
            .values(field)
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
            .order_by("-last")
        )
        for row in rows:
            found.append(
                Lockout(
                    row[field] if field == "username" else "",
                    row[field] if field == "ip_address" else "",
                    row["failures"],
                    row["last"],
                    row["last"] + cool_off if cool_off else None,
                )
            )
    return found


def unlock(username: str, by) -> int:
    """Lift the lockout of ``username`` (every address's failures for it); logged."""
    removed = reset(username=username)
    if (user := _user(username)) is not None:
        log(instance=user, action=UNLOCKED, user=by)
    return removed


def unlock_address(address: str, by) -> int:
    """Lift the lockout of a client address (every account's failures from it)."""
    removed = reset(ip=address)
    logger.info("Sign-ins from %s unlocked by %s", address, by)
    return removed
