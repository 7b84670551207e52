"""The office's *Sign-in lockouts* page: who is locked out now, and the unlock button."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem

from scoring.lib.admin import TitledMixin

from . import logins
from .policy import may_unlock_logins


class LockoutsView(TitledMixin, TemplateView):
    page_title = gettext_lazy("Sign-in lockouts")
    template_name = "scoring/access/lockouts.html"
    header_icon = "lock"

    def dispatch(self, request, *args, **kwargs):
        if not may_unlock_logins(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            lockouts=logins.lockouts(),
            limit=settings.AXES_FAILURE_LIMIT,
            minutes=int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "").strip()
        address = request.POST.get("address", "").strip()
        if username:
            logins.unlock(username, request.user)
            messages.success(request, _("%(name)s may sign in again.") % {"name": username})
        elif address:
            logins.unlock_address(address, request.user)
            messages.success(
                request, _("Sign-ins from %(address)s are open again.") % {"address": address}
            )
        return redirect("scoring_lockouts")


def admin_urls():
    return [path("lockouts/", LockoutsView.as_view(), name="scoring_lockouts")]


class LockoutsMenuItem(MenuItem):
    def is_shown(self, request):
        return may_unlock_logins(request.user)


def menu_item():
    return LockoutsMenuItem(
        gettext_lazy("Sign-in lockouts"), reverse("scoring_lockouts"), icon_name="lock", order=900
    )
