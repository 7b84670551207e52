"""The office's *Publishing* page: each locked month, its releases, and the calendar.

One officer prepares a locked month's release (its time, and for a month already out,
what the correction corrects); another approves it; it is public from its time. The
page shows each button exactly when :mod:`scoring.publishing.releases` would accept it.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import AdminDateTimeInput

from scoring.access.policy import may_approve_release, may_prepare_release
from scoring.calendar.models import Period
from scoring.lib.admin import TitledMixin

from . import releases
from .models import Release


class PrepareForm(forms.Form):
    scheduled_for = forms.DateTimeField(label=_("Public from"), widget=AdminDateTimeInput())
    correction_note = forms.CharField(
        label=_("What this correction corrects"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReleasesView(TitledMixin, TemplateView):
    page_title = gettext_lazy("Publishing")
    template_name = "scoring/publishing/releases.html"
    header_icon = "globe"

    def dispatch(self, request, *args, **kwargs):
        if not (may_prepare_release(request.user) or may_approve_release(request.user)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, now = self.request.user, timezone.now()
        periods = list(Period.objects.order_by("-year", "-month")[:24])
        by_period: dict[int, list[Release]] = {}
        for release in Release.objects.filter(period__in=periods).select_related(
            "period", "prepared_by", "approved_by"
        ):
            by_period.setdefault(release.period_id, []).append(release)
        rows = []
        for period in periods:
            found = sorted(by_period.get(period.pk, []), key=lambda r: r.number)
            rows.append(
                {
                    "period": period,
                    "releases": [
                        {
                            "release": release,
                            "public": release.is_approved and release.scheduled_for <= now,
                            "why_not": (why_not := releases.approval_refusal(release, user)),
                            "may_approve": why_not is None,
                        }
                        for release in found
                    ],
                    "may_prepare": releases.prepare_refusal(period, user) is None,
                    "released": any(r.is_approved for r in found),
                    "planned": releases.default_schedule(period, now),
                    "form": PrepareForm(
                        initial={"scheduled_for": releases.default_schedule(period, now)},
                        prefix=f"p{period.pk}",
                    ),
                }
            )
        context["rows"] = rows
        context["calendar"] = [
            row
            for row in rows
            if not row["released"] or any(not r["public"] for r in row["releases"])
        ][:6]
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        try:
            if action == "prepare":
                period = get_object_or_404(Period, pk=request.POST.get("period"))
                form = PrepareForm(request.POST, prefix=f"p{period.pk}")
                if not form.is_valid():
                    raise ValidationError([e for errs in form.errors.values() for e in errs])
                releases.prepare(
                    period,
                    request.user,
                    form.cleaned_data["scheduled_for"],
                    form.cleaned_data["correction_note"],
                )
                messages.success(
                    request, _("The release is prepared: another officer approves it.")
                )
            elif action in ("approve", "withdraw"):
                release = get_object_or_404(Release, pk=request.POST.get("release"))
                if action == "approve":
                    releases.approve(release, request.user)
                    messages.success(request, _("The release is approved."))
                else:
                    releases.withdraw(release, request.user)
                    messages.success(request, _("The release is withdrawn."))
            else:
                raise PermissionDenied
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect("scoring_releases")


class ReleasesMenuItem(MenuItem):
    def is_shown(self, request):
        return may_prepare_release(request.user) or may_approve_release(request.user)


def menu_item() -> MenuItem:
    return ReleasesMenuItem(
        gettext_lazy("Publishing"), reverse("scoring_releases"), icon_name="globe", order=170
    )


def admin_urls() -> list:
    return [path("publishing/", ReleasesView.as_view(), name="scoring_releases")]


def register_log_actions(actions) -> None:
    for action, label in (
        ("scoring.release_prepared", gettext_lazy("Prepare a release")),
        ("scoring.release_approved", gettext_lazy("Approve a release")),
        ("scoring.release_withdrawn", gettext_lazy("Withdraw a release")),
    ):
        actions.register_action(action, label, label)
