"""The receipt API: a desk's dossier system creates the receipt of each new dossier.

``POST /api/v1/receipts/`` with ``Authorization: Bearer <desk API token>`` and a JSON
object; the token names the desk (only its hash is stored, see
:func:`scoring.ratings.desks.new_desk_secret`). Sending a dossier code the desk already has
returns that receipt again (200) instead of a second one, so a dossier system may
safely retry. The README's "The receipt API" section documents it for integrators.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.db import IntegrityError
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from scoring.lib.months import validate_plausible_date
from scoring.organisation.models import Staff

from .desks import desk_for_secret
from .models import Receipt, ServiceDesk
from .receipts import check_issued_on, check_serves_at, format_short_code, issue_receipt
from .slips import rating_url

API_TOKEN_FIELD = "api_token_hash"
NON_FIELD = "non_field_errors"


class TextField(forms.CharField):
    """A JSON value read as text: a number is taken as written, a list or object refused."""

    def to_python(self, value: Any) -> str:
        if isinstance(value, (list, dict, bool)):
            raise forms.ValidationError(_("Enter text."), code="invalid")
        if isinstance(value, (int, float)):
            value = str(value)
        return super().to_python(value)


class JsonDateField(forms.DateField):
    """A plausible "YYYY-MM-DD" string; any other JSON value (number, list…) is refused."""

    default_validators = [validate_plausible_date]

    def to_python(self, value: Any):
        if value is not None and not isinstance(value, str):
            raise forms.ValidationError(_("Enter a date as YYYY-MM-DD."), code="invalid")
        return super().to_python(value)


class ReceiptForm(forms.Form):
    """The JSON body of a receipt request, checked against the token's desk."""

    dossier_code = TextField(max_length=60)
    procedure = TextField(max_length=300)
    officer_code = TextField(max_length=40)
    issued_on = JsonDateField(required=False, input_formats=["%Y-%m-%d"])

    def __init__(self, data: dict[str, Any], desk: ServiceDesk) -> None:
        super().__init__(data)
        self.desk = desk

    def clean_officer_code(self) -> Staff:
        code = self.cleaned_data["officer_code"]
        officer = Staff.objects.filter(code=code).first()
        if officer is None:
            raise forms.ValidationError(
                _("Unknown staff code “%(code)s”.") % {"code": code}, code="unknown"
            )
        check_serves_at(self.desk, officer)
        return officer

    def clean_issued_on(self):
        day = self.cleaned_data["issued_on"]
        check_issued_on(day or timezone.localdate())
        return day or timezone.localdate()


def json_response(data: dict[str, Any], status: int) -> JsonResponse:
    """JSON in UTF-8 with Vietnamese letters as they are, not as \\u escapes."""
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def error_response(errors: dict[str, list[str]], status: int, **headers: str) -> JsonResponse:
    response = json_response({"errors": errors}, status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def bearer_token(request: HttpRequest) -> str:
    scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def receipt_json(receipt: Receipt) -> dict[str, str]:
    return {
        "dossier_code": receipt.dossier_code,
        "rating_url": rating_url(receipt),
        "short_code": format_short_code(receipt.short_code),
        "expires_at": timezone.localtime(receipt.expires_at).isoformat(),
    }


def read_body(request: HttpRequest) -> dict[str, Any] | None:
    """The request's JSON object; None if the body is not one."""
    try:
        data = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError, RecursionError):  # deep nesting: not a receipt
        return None
    return data if isinstance(data, dict) else None


@csrf_exempt  # authenticated by the bearer token alone: no cookie, no session
@never_cache
def receipts(request: HttpRequest) -> JsonResponse:
    """Create (201) or return again (200) the receipt of one dossier at the token's desk."""
    if request.method != "POST":
        return error_response({NON_FIELD: [gettext("Only POST is allowed.")]}, 405, Allow="POST")
    desk = desk_for_secret(bearer_token(request), API_TOKEN_FIELD)
    if desk is None:
        return error_response(
            {NON_FIELD: [gettext("A valid desk API token is required.")]},
            401,
            WWW_Authenticate='Bearer realm="receipts"',
        )
    data = read_body(request)
    if data is None:
        return error_response({NON_FIELD: [gettext("The body must be a JSON object.")]}, 400)
    form = ReceiptForm(data, desk)
    if not form.is_valid():
        errors = {
            NON_FIELD if field == "__all__" else field: [str(message) for message in messages]
            for field, messages in form.errors.items()
        }
        return error_response(errors, 400)
    return issue(desk, form.cleaned_data)


def issue(desk: ServiceDesk, data: dict[str, Any]) -> JsonResponse:
    """The dossier's receipt at ``desk``: the one it has (200) or a new one (201)."""
    existing = Receipt.objects.filter(desk=desk, dossier_code=data["dossier_code"])
    if receipt := existing.first():
        return json_response(receipt_json(receipt), 200)
    officer = data["officer_code"]  # cleaned into the staff member
    try:
        receipt = issue_receipt(
            desk, officer, data["dossier_code"], data["procedure"], data["issued_on"]
        )
    except IntegrityError:
        # The same dossier sent twice at once: the other request made the receipt.
        if receipt := existing.first():
            return json_response(receipt_json(receipt), 200)
        raise
    return json_response(receipt_json(receipt), 201)
