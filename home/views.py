"""The citizen rating pages: the form behind a receipt's link or code, and the kiosk.

Everything works without JavaScript and without a session: the CSRF token lives in its
cookie, rate limits in the cache (shared through Redis in production).

Rate limits count per client address, taken from ``REMOTE_ADDR`` and kept only as a
keyed hash. Behind a reverse proxy the deployment must make ``REMOTE_ADDR`` the
citizen's address, or every citizen shares the proxy's limit. gunicorn does not do that
from ``X-Forwarded-For`` (its ``--forwarded-allow-ips`` only trusts the scheme headers):
use the PROXY protocol (``--proxy-protocol --proxy-allow-from <proxy>``) or a
middleware that takes the address from ``X-Forwarded-For`` for requests from the trusted
proxy only. The kiosk is an authenticated device at the counter, so it has no address
limit.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from scoring.models import CitizenRating, QuestionSet, Receipt, ServiceDesk
from scoring.ratings import desks, rating
from scoring.ratings.rating import RatingRefused

from .forms import HONEYPOT, CodeForm, KioskSetupForm, RatingForm

STATUS = {
    "malformed": 404,
    "unknown": 404,
    "expired": 410,
    "future": 409,
    "used": 409,
    "invalid": 400,
    "limited": 429,
}
HEADINGS = {
    "malformed": _("Rating code not found"),
    "unknown": _("Rating code not found"),
    "expired": _("The time to rate has passed"),
    "future": _("Not open for rating yet"),
    "used": _("Already rated"),
    "invalid": _("Please check your answers"),
    "limited": _("Please wait a few minutes"),
}
KIOSK_COOKIE = "rating_kiosk"
KIOSK_SALT = "home.kiosk"
KIOSK_COOKIE_AGE = int(datetime.timedelta(days=3 * 365).total_seconds())


# --- Helpers ------------------------------------------------------------------------------


def _client(request: HttpRequest) -> str:
    return rating.client_hash(request.META.get("REMOTE_ADDR", ""))


def _allowed(request: HttpRequest, kind: str, limit: int) -> bool:
    return rating.allow(kind, _client(request), limit, settings.RATING_LIMIT_WINDOW)


def _refused(request: HttpRequest, refusal: RatingRefused, **context) -> HttpResponse:
    context = {
        "code": refusal.code,
        "heading": HEADINGS[refusal.code],
        "message": refusal.message,
        **context,
    }
    return render(request, "home/rate/refused.html", context, status=STATUS[refusal.code])


def _honeypot(request: HttpRequest) -> HttpResponse:
    """A neutral refusal for a filled honeypot: nothing stored, nothing explained."""
    context = {
        "heading": _("Not recorded"),
        "message": _("We could not record this response."),
    }
    return render(request, "home/rate/refused.html", context, status=400)


def _question_set(receipt: Receipt) -> QuestionSet:
    question_set = QuestionSet.in_force(receipt.issued_on)
    if question_set is None:
        # No questions were in force that day: it cannot be rated, as if expired (a set
        # shipped by a migration applies from 2019, so this means a misconfiguration).
        raise RatingRefused("expired")
    prefetch_related_objects([question_set], "questions")
    return question_set


def _masked(dossier_code: str) -> str:
    """The end of the dossier code, enough to recognise it, never the whole code."""
    return f"…{dossier_code[-4:]}" if len(dossier_code) > 4 else "…"


def _form_page(
    request: HttpRequest, template: str, receipt: Receipt, form: RatingForm, status: int = 200
) -> HttpResponse:
    context = {
        "receipt": receipt,
        "dossier": _masked(receipt.dossier_code),
        "form": form,
        "rows": form.question_rows(),
        "invalid_message": RatingRefused("invalid").message,
    }
    return render(request, template, context, status=status)


def _record(request: HttpRequest, receipt: Receipt, form: RatingForm) -> CitizenRating:
    return rating.record_rating(
        receipt,
        form.question_set,
        form.answers(),
        form.cleaned_data["comment"],
        form.cleaned_data["channel"],
        _client(request),
    )


# --- Rating by link or typed code ---------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, token: str) -> HttpResponse:
    """The form for one receipt; a POST records its one rating, then thanks."""
    posting = request.method == "POST"
    if posting and not _allowed(request, "submit", settings.RATING_SUBMIT_LIMIT):
        return _refused(request, RatingRefused("limited"))
    if posting and request.POST.get(HONEYPOT):
        return _honeypot(request)
    try:
        receipt = rating.receipt_for_token(token)
        question_set = _question_set(receipt)
    except RatingRefused as refusal:
        looked_up = refusal.code in {"unknown", "malformed"}
        if looked_up and not _allowed(request, "lookup", settings.RATING_LOOKUP_LIMIT):
            refusal = RatingRefused("limited")
        return _refused(request, refusal)
    if not posting:
        via = "code" if request.GET.get("via") == "code" else "link"
        form = RatingForm(question_set, initial={"channel": via})
        return _form_page(request, "home/rate/form.html", receipt, form)
    form = RatingForm(question_set, request.POST)
    if not form.is_valid():
        return _form_page(request, "home/rate/form.html", receipt, form, status=400)
    try:
        _record(request, receipt, form)
    except RatingRefused as refusal:
        return _refused(request, refusal)
    return redirect("ratings:thanks")


@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "home/rate/thanks.html")


@never_cache
@require_http_methods(["GET", "POST"])
def enter_code(request: HttpRequest) -> HttpResponse:
    """A box for the short code; a valid code leads to that receipt's form."""
    data = request.POST if request.method == "POST" else None
    if data is None and "code" in request.GET:
        data = request.GET
    form = CodeForm(data)
    if data is None:
        return render(request, "home/rate/enter_code.html", {"form": form})
    if not form.is_valid():
        return render(request, "home/rate/enter_code.html", {"form": form}, status=400)
    if not _allowed(request, "lookup", settings.RATING_LOOKUP_LIMIT):
        return _refused(request, RatingRefused("limited"))
    try:
        receipt = rating.receipt_for_code(form.cleaned_data["code"])
    except RatingRefused as refusal:
        form.add_error("code", refusal.message)
        context = {"form": form, "heading": HEADINGS[refusal.code]}
        return render(request, "home/rate/enter_code.html", context, status=STATUS[refusal.code])
    return redirect(f"{reverse('ratings:rate', args=[receipt.token])}?via=code")


# --- Kiosk ---------------------------------------------------------------------------------


def _kiosk_desk(request: HttpRequest) -> ServiceDesk | None:
    secret = request.get_signed_cookie(KIOSK_COOKIE, default=None, salt=KIOSK_SALT)
    return desks.desk_for_secret(secret, "kiosk_secret_hash") if secret else None


def _to_setup(request: HttpRequest) -> HttpResponse:
    response = redirect("ratings:kiosk_setup")
    if KIOSK_COOKIE in request.COOKIES:
        response.delete_cookie(KIOSK_COOKIE, samesite="Lax")
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def kiosk_setup(request: HttpRequest) -> HttpResponse:
    """Register this tablet for a desk by its kiosk secret, kept in a signed cookie."""
    form = KioskSetupForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        return render(request, "home/rate/kiosk_setup.html", {"form": form})
    if not _allowed(request, "kiosk-setup", settings.RATING_LOOKUP_LIMIT):
        return _refused(request, RatingRefused("limited"))
    desk = None
    if form.is_valid():
        desk = desks.desk_for_secret(form.cleaned_data["secret"], "kiosk_secret_hash")
    if desk is None:
        form.add_error(None, _("This is not the kiosk secret of an active desk."))
        return render(request, "home/rate/kiosk_setup.html", {"form": form}, status=403)
    response = redirect("ratings:kiosk")
    response.set_signed_cookie(
        KIOSK_COOKIE,
        form.cleaned_data["secret"],
        salt=KIOSK_SALT,
        max_age=KIOSK_COOKIE_AGE,
        httponly=True,
        secure=request.is_secure(),
        samesite="Lax",
    )
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def kiosk(request: HttpRequest) -> HttpResponse:
    """The counter tablet: waits for the officer to release a receipt, then asks."""
    desk = _kiosk_desk(request)
    if desk is None:
        return _to_setup(request)
    receipt = desks.kiosk_receipt(desk)
    if request.method == "POST":
        return _kiosk_submit(request, desk, receipt)
    try:
        question_set = _question_set(receipt) if receipt else None
    except RatingRefused:
        question_set = None
    if question_set is None:
        return render(request, "home/rate/kiosk_waiting.html", {"desk": desk})
    form = RatingForm(
        question_set,
        initial={"channel": CitizenRating.Channel.KIOSK},
        channels=[CitizenRating.Channel.KIOSK],
    )
    return _form_page(request, "home/rate/kiosk_form.html", receipt, form)


def _kiosk_submit(request: HttpRequest, desk: ServiceDesk, receipt: Receipt | None) -> HttpResponse:
    if receipt is None:  # rated a moment ago (a second tap) or withdrawn
        return render(request, "home/rate/kiosk_thanks.html", {"already": True}, status=409)
    if request.POST.get("receipt") != str(receipt.pk):  # the officer moved on meanwhile
        return redirect("ratings:kiosk")
    form = RatingForm(_question_set(receipt), request.POST, channels=[CitizenRating.Channel.KIOSK])
    if not form.is_valid():
        return _form_page(request, "home/rate/kiosk_form.html", receipt, form, status=400)
    try:
        _record(request, receipt, form)
    except RatingRefused:  # "used": another tap won the race
        desks.finish_kiosk(desk, receipt)
        return render(request, "home/rate/kiosk_thanks.html", {"already": True}, status=409)
    desks.finish_kiosk(desk, receipt)
    return redirect("ratings:kiosk_thanks")


@require_GET
def kiosk_thanks(request: HttpRequest) -> HttpResponse:
    """Thanks in the citizen's language; the next citizen starts in Vietnamese again."""
    response = render(request, "home/rate/kiosk_thanks.html")
    if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
    return response
