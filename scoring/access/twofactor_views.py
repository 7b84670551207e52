"""The two-factor pages: enrol, verify, the person's own settings, the office's reset."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from scoring.lib.admin import TitledMixin
from scoring.lib.qr import qr_svg

from . import twofactor
from .policy import may_reset_two_factor

PLAIN = "scoring/access/twofactor_%s.html"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
        error_messages={"required": gettext_lazy("Enter the code.")},
    )


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("wagtailadmin_home")


def _codes_page(request, codes: list[str]):
    return render(request, PLAIN % "codes", {"codes": codes, "next": _next(request)})


class EnrolView(View):
    """The QR code and key of a new authenticator, and one code to confirm it."""

    def dispatch(self, request, *args, **kwargs):
        if twofactor.is_enrolled(request.user):
            return redirect("scoring_two_factor_settings")
        self.device = twofactor.pending_device(request.user)
        return super().dispatch(request, *args, **kwargs)

    def page(self, form, status=200):
        context = {
            "form": form,
            "qr": qr_svg(twofactor.otpauth_uri(self.device)),
            "secret": twofactor.secret_text(self.device),
            "required": twofactor.must_use_two_factor(self.request.user),
            "next": _next(self.request),
        }
        return render(self.request, PLAIN % "enrol", context, status=status)

    def get(self, request):
        return self.page(CodeForm())

    def post(self, request):
        form = CodeForm(request.POST)
        if form.is_valid():
            codes = twofactor.confirm(request, self.device, form.cleaned_data["code"])
            if codes is not None:
                return _codes_page(request, codes)
            form.add_error("code", _("This code is not right. Enter the code the app shows now."))
        return self.page(form, status=400)


class VerifyView(View):
    """The code from the app, or a recovery code, after the password."""

    def dispatch(self, request, *args, **kwargs):
        step = twofactor.next_step(request.user)
        if step != twofactor.VERIFY:  # no device (reset by the office): enrol or go on
            request.session[twofactor.STEP_KEY] = step
            return redirect(reverse("scoring_two_factor_enrol") if step else _next(request))
        return super().dispatch(request, *args, **kwargs)

    def page(self, form, status=200):
        return render(
            self.request,
            PLAIN % "verify",
            {"form": form, "next": _next(self.request)},
            status=status,
        )

    def get(self, request):
        return self.page(CodeForm())

    def post(self, request):
        form = CodeForm(request.POST)
        if not form.is_valid():
            return self.page(form, status=400)
        outcome = twofactor.verify(request, form.cleaned_data["code"])
        if outcome.accepted:
            if outcome.recovery:
                left = twofactor.recovery_codes_left(request.user)
                messages.warning(
                    request, _("You used a recovery code; %(left)s are left.") % {"left": left}
                )
            return redirect(_next(request))
        if outcome.wait_until:
            when = date_format(localtime(outcome.wait_until), "H:i:s")
            form.add_error(
                "code", _("Too many wrong codes. Try again after %(time)s.") % {"time": when}
            )
        else:
            form.add_error(
                "code",
                _("This code is not right. Enter the code the app shows now, or a recovery code."),
            )
        return self.page(form, status=400)


class SettingsView(TitledMixin, TemplateView):
    """The person's own two-factor page, from their account: enrol, new codes, turn off."""

    page_title = gettext_lazy("Two-factor authentication")
    template_name = PLAIN % "settings"
    header_icon = "key"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            enrolled=twofactor.is_enrolled(user),
            required=twofactor.must_use_two_factor(user),
            codes_left=twofactor.recovery_codes_left(user),
            **kwargs,
        )

    def post(self, request):
        if not twofactor.is_enrolled(request.user):
            return redirect("scoring_two_factor_enrol")
        if request.POST.get("action") == "codes":
            return _codes_page(request, twofactor.renew_codes(twofactor.person_of(request)))
        if request.POST.get("action") == "off":
            if twofactor.turn_off(request):
                messages.success(request, _("Two-factor sign-in is off."))
            else:
                messages.error(
                    request,
                    _("Your role must sign in with two-factor authentication: it stays on."),
                )
        return redirect("scoring_two_factor_settings")


class ResetView(View):
    """The office removes a person's authenticator and codes (a lost phone)."""

    def post(self, request):
        if not may_reset_two_factor(request.user):
            raise PermissionDenied
        username = request.POST.get("username", "").strip()
        User = get_user_model()
        person = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
        if person is None or not username:
            messages.error(request, _("There is no account “%(name)s”.") % {"name": username})
        elif not twofactor.reset(person, request.user):
            messages.warning(
                request, _("%(name)s has no two-factor sign-in to reset.") % {"name": username}
            )
        else:
            messages.success(
                request,
                _("Two-factor sign-in of %(name)s was reset: they set it up at the next sign-in.")
                % {"name": username},
            )
        return redirect("scoring_lockouts")


def admin_urls():
    return [
        path("two-factor/enrol/", EnrolView.as_view(), name="scoring_two_factor_enrol"),
        path("two-factor/verify/", VerifyView.as_view(), name="scoring_two_factor_verify"),
        path("two-factor/", SettingsView.as_view(), name="scoring_two_factor_settings"),
        path("two-factor/reset/", ResetView.as_view(), name="scoring_two_factor_reset"),
    ]


def account_menu_item(request):
    return {
        "url": reverse("scoring_two_factor_settings"),
        "label": _("Two-factor authentication"),
        "help_text": _("A code from an app on your phone at each sign-in, and recovery codes."),
    }
