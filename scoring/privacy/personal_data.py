"""Everything the portal stores about one staff member (a subject-access export).

The home-affairs office answers a person's request to see their data (Decree 13/2023/
ND-CP on personal data protection, Art. 14) with one file: the person's record, posts,
absences, evaluator overrides, monthly sheets with their work plans and criterion lines,
contests, discipline records, the receipts they issued and ratings those received (as
counts: the citizens' answers are the citizens' data), their login's account fields
(never the password hash), its sign-in records, and the audit-log entries about any of
these or written by their login. Nothing about another person is gathered, except where
it is part of the person's own records (an evaluator's comment on their sheet, the name
of who decided their contest).

One query per kind, whatever the history's length. The package sits above every
feature it reads (DESIGN.md: features import downward).
"""

from __future__ import annotations

import json
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import CharField, Count, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, PageLogEntry

from scoring.contests.models import Contest
from scoring.cycle.models import Absence, CriterionScore, Evaluation, WorkItem
from scoring.organisation.models import Assignment, EvaluatorOverride, Staff
from scoring.ratings.models import Receipt
from scoring.rollup.models import Discipline

EXPORTED = "portal.personal_data_exported"
FORMAT_VERSION = 1

USER_FIELDS = (
    "id",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_active",
    "is_staff",
    "is_superuser",
    "date_joined",
    "last_login",
)
SIGN_IN_FIELDS = ("attempt_time", "ip_address", "user_agent", "path_info")
LOG_FIELDS = ("timestamp", "action", "label", "content_type__model", "object_id", "user_id", "data")


def rows(queryset, *fields: str) -> list[dict[str, Any]]:
    return list(queryset.values(*fields))


# The plain kinds: (queryset of the person's rows, the fields exported).
RECORD_FIELDS = {
    "staff": ("id", "code", "full_name", "category", "start_date", "end_date", "user_id"),
    "assignments": (
        "id", "unit__code", "unit__name", "position__name", "start_date", "end_date",
    ),
    "absences": ("id", "reason__name", "start_date", "end_date", "note", "recorded_at"),
    "evaluator_overrides": tuple(f.attname for f in EvaluatorOverride._meta.concrete_fields),
    "work_items": (
        "id", "evaluation_id", "product__name", "description", "quantity", "deadline",
        "done", "delays", "major_errors", "objective_cause", "objective_cause_note",
    ),
    "criterion_scores": (
        "evaluation_id", "criterion__code", "criterion__title", "self_points",
        "self_reason", "final_points", "final_comment",
    ),
    "disciplines": ("id", "kind", "decided_on", "decision_number", "note", "recorded_at"),
}  # fmt: skip


def _records(staff: Staff) -> dict[str, Any]:
    """The person's rows of each plain kind, oldest first."""
    querysets = {
        "staff": Staff.objects.filter(pk=staff.pk),
        "assignments": Assignment.objects.filter(staff=staff).order_by("start_date"),
        "absences": Absence.objects.filter(staff=staff).order_by("start_date"),
        "evaluator_overrides": EvaluatorOverride.objects.filter(staff=staff).order_by("pk"),
        "work_items": WorkItem.objects.filter(evaluation__staff=staff).order_by(
            "evaluation_id", "id"
        ),
        "criterion_scores": CriterionScore.objects.filter(evaluation__staff=staff).order_by(
            "evaluation_id", "criterion__code"
        ),
        "disciplines": Discipline.objects.filter(staff=staff).order_by("decided_on"),
    }
    return {kind: rows(queryset, *RECORD_FIELDS[kind]) for kind, queryset in querysets.items()}


def person_data(staff: Staff) -> dict[str, Any]:
    """Every kind of record about ``staff``, by kind, as plain JSON-ready rows."""
    evaluations = Evaluation.objects.filter(staff=staff)
    user = staff.user
    return {
        "format_version": FORMAT_VERSION,
        "staff_code": staff.code,
        **_records(staff),
        "evaluations": _evaluations(evaluations),
        "contests": _contests(staff),
        "receipts_issued": _receipts(staff),
        "user_account": _account(user),
        "sign_ins": _sign_ins(user),
        "two_factor": _two_factor(user),
        "audit_log": _audit_log(staff, user, evaluations),
    }


def _evaluations(evaluations) -> list[dict[str, Any]]:
    return rows(
        evaluations.order_by("period__year", "period__month"),
        "id", "period__year", "period__month", "unit__name", "position__name",
        "evaluator__full_name", "council__name", "state", "plan_approved_at", "self_total",
        "final_total", "level", "explanation", "return_comment", "submitted_at",
        "decided_at",
    )  # fmt: skip


def _contests(staff: Staff) -> list[dict[str, Any]]:
    mine = Q(evaluation__staff=staff)
    if staff.user_id:
        mine |= Q(filed_by_id=staff.user_id)
    return rows(
        Contest.objects.filter(mine).order_by("filed_at"),
        "id", "evaluation_id", "filed_at", "grounds", "state", "decided_at", "reason",
        "old_total", "old_level", "new_total", "new_level",
    )  # fmt: skip


def _receipts(staff: Staff) -> list[dict[str, Any]]:
    """Per month: the receipts the person issued at a desk and how many were rated."""
    return rows(
        Receipt.objects.filter(officer=staff)
        .values("issued_on__year", "issued_on__month")
        .annotate(receipts=Count("id"), rated=Count("rating"))
        .order_by("issued_on__year", "issued_on__month"),
        "issued_on__year", "issued_on__month", "receipts", "rated",
    )  # fmt: skip


def _account(user) -> list[dict[str, Any]]:
    if user is None:
        return []
    account = rows(get_user_model().objects.filter(pk=user.pk), *USER_FIELDS)
    roles = list(user.groups.order_by("name").values_list("name", flat=True))
    return [{**row, "roles": roles} for row in account]


def _sign_ins(user) -> dict[str, list[dict[str, Any]]]:
    if user is None:
        return {"logins": [], "failures": [], "counted_failures": []}
    name = user.get_username()
    return {
        "logins": rows(AccessLog.objects.filter(username=name), *SIGN_IN_FIELDS, "logout_time"),
        "failures": rows(
            AccessFailureLog.objects.filter(username=name), *SIGN_IN_FIELDS, "locked_out"
        ),
        "counted_failures": rows(
            AccessAttempt.objects.filter(username=name), *SIGN_IN_FIELDS, "failures_since_start"
        ),
    }


def _two_factor(user) -> dict[str, list[dict[str, Any]]]:
    """The person's authenticators and recovery-code sets: when made and last used, never
    their keys or codes."""
    if user is None:
        return {"authenticators": [], "recovery_codes": []}
    fields = ("name", "confirmed", "created_at", "last_used_at")
    return {
        "authenticators": rows(TOTPDevice.objects.filter(user=user).order_by("pk"), *fields),
        "recovery_codes": rows(
            StaticDevice.objects.filter(user=user)
            .annotate(unused=Count("token_set"))
            .order_by("pk"),
            *fields,
            "unused",
        ),
    }


def _audit_log(staff: Staff, user, evaluations) -> dict[str, list[dict[str, Any]]]:
    """The entries about the person's records, and those their login wrote."""
    about = Q(content_type=_type(Staff), object_id=str(staff.pk))
    for records in (
        evaluations,
        Assignment.objects.filter(staff=staff),
        Contest.objects.filter(evaluation__staff=staff),
        Absence.objects.filter(staff=staff),
        Discipline.objects.filter(staff=staff),
    ):
        about |= Q(content_type=_type(records.model), object_id__in=_text_ids(records))
    if user is not None:
        about |= Q(content_type=_type(get_user_model()), object_id=str(user.pk))
        about |= Q(user_id=user.pk)
    entries = ModelLogEntry.objects.filter(about).order_by("timestamp", "id")
    pages = PageLogEntry.objects.none()
    if user is not None:
        pages = PageLogEntry.objects.filter(user_id=user.pk).order_by("timestamp", "id")
    return {
        "entries": rows(entries, *LOG_FIELDS),
        "page_entries": rows(pages, "timestamp", "action", "label", "page_id", "data"),
    }


def _text_ids(ids):
    # ModelLogEntry.object_id is text: compare as text, in the database.

    return ids.annotate(text=Cast("pk", CharField())).values_list("text", flat=True)


def _type(model) -> ContentType:
    return ContentType.objects.get_for_model(model)


def export_person(staff: Staff, by=None) -> bytes:
    """The person's data as a UTF-8 JSON file; the export is written to the audit log."""
    data = {"exported_at": timezone.now(), **person_data(staff)}
    log(instance=staff, action=EXPORTED, user=by, data={"staff_code": staff.code})
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def register_log_actions(actions) -> None:
    actions.register_action(
        EXPORTED, _("Personal data exported"), _("Everything stored about the person exported")
    )
