"""The one place each access decision is made.

A decision takes the user (and, where it concerns one object, that object) and answers
yes or no; the views, menus and commands ask here and never test a permission or a
relation themselves. Objects of the features above (a sheet, a desk) are read through
their fields only, so this module knows the organisation and nothing else.
"""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from scoring.lib.months import current_month
from scoring.organisation.models import Council, Staff, Unit
from scoring.organisation.routing import resolve_routes
from scoring.organisation.staff import headed_unit_paths, led_by

# The permissions behind the office's decisions (granted to the home-affairs group by
# migration, and to superusers implicitly).
READ_EVERY_SHEET = "scoring.view_evaluation"
READ_EVERY_DESK = "scoring.view_citizenrating"
MODERATE_COMMENTS = "scoring.change_citizenrating"
MANAGE_DESKS = "scoring.change_servicedesk"


def staff_of(user: Any) -> Staff | None:
    """The staff record behind a login, if any (anonymous users have none)."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.staff
    except Staff.DoesNotExist:
        return None


# --- The office ------------------------------------------------------------------------


def reads_every_sheet(user: Any) -> bool:
    """The home-affairs office reads every evaluation sheet and every queue."""
    return user.has_perm(READ_EVERY_SHEET)


def reads_every_desk(user: Any) -> bool:
    """The home-affairs office sees the rating figures of every desk, up to the minute."""
    return user.has_perm(READ_EVERY_DESK)


def may_moderate(user: Any) -> bool:
    """Who approves or hides citizens' comments."""
    return user.has_perm(MODERATE_COMMENTS)


def manages_desks(user: Any) -> bool:
    """The home-affairs office (anyone who may change desks) works with every desk."""
    return bool(user.is_authenticated and user.has_perm(MANAGE_DESKS))


# --- Quarters and years --------------------------------------------------------------


def result_units(user: Any) -> QuerySet[Unit]:
    """The units whose quarter and year reports ``user`` reads: every unit for the office,
    the units a unit head heads now and those below them, none for anyone else."""
    if reads_every_sheet(user):
        return Unit.objects.all()
    paths = headed_unit_paths(staff_of(user))
    if not paths:
        return Unit.objects.none()
    below = Q()
    for path in paths:
        below |= Q(path__startswith=path)
    return Unit.objects.filter(below)


# --- One sheet -------------------------------------------------------------------------


def is_owner(user: Any, evaluation: Any) -> bool:
    """The sheet is the user's own."""
    return evaluation.staff.user_id == user.pk


def is_evaluator(user: Any, evaluation: Any) -> bool:
    """The sheet's evaluator, or any member of its council (who records its decision)."""
    if evaluation.evaluator_id and evaluation.evaluator.user_id == user.pk:
        return True
    if evaluation.council_id:
        return evaluation.council.members.filter(user=user).exists()
    return False


def may_read_sheet(user: Any, evaluation: Any) -> bool:
    """Its owner, its evaluator (or council), the office, and the head of the sheet's
    unit or of a unit above it (who submits and answers for the unit's report, and
    follows its flags); anyone else learns nothing."""
    return (
        is_owner(user, evaluation)
        or is_evaluator(user, evaluation)
        or reads_every_sheet(user)
        or heads_unit_of(user, evaluation.unit)
    )


def heads_unit_of(user: Any, unit: Any) -> bool:
    """Whether ``user`` heads ``unit`` or a unit above it now."""
    paths = headed_unit_paths(staff_of(user))
    return any(unit.path.startswith(path) for path in paths)


def queue_filter(user: Any) -> Q:
    """Sheets routed to ``user``: as their evaluator or through a council they sit on."""
    councils = Council.objects.filter(members__user=user).values("pk")
    return Q(evaluator__user=user) | Q(council__in=councils)


# --- Oversight: the quota and the objectivity checks -------------------------------------

OVERSEE_EVERY_UNIT = "scoring.view_quotadecision"
DECIDE_ANY_QUOTA = "scoring.add_quotadecision"


def oversees_every_unit(user: Any) -> bool:
    """The home-affairs office reads every unit's quota and objectivity flags."""
    return bool(user.is_authenticated and user.has_perm(OVERSEE_EVERY_UNIT))


def overseen_unit_paths(user: Any) -> tuple[str, ...] | None:
    """The tree paths of the units whose quota and flags ``user`` reads: ``None`` for
    every unit (the office), else the units they head now and those below them."""
    if oversees_every_unit(user):
        return None
    return headed_unit_paths(staff_of(user))


def may_oversee(user: Any) -> bool:
    """Whether ``user`` reads some unit's quota and flags (the menu asks)."""
    return overseen_unit_paths(user) != ()


def may_oversee_unit(user: Any, unit: Any) -> bool:
    """The office, or the head of ``unit`` or of a unit above it."""
    paths = overseen_unit_paths(user)
    return paths is None or any(unit.path.startswith(path) for path in paths)


def may_decide_quota(user: Any, unit: Any) -> bool:
    """The head of ``unit`` itself decides who keeps level 1 when its quota is broken
    (and whoever holds ``scoring.add_quotadecision``, which no role has by default)."""
    if not user.is_authenticated:
        return False
    return unit.path in headed_unit_paths(staff_of(user)) or user.has_perm(DECIDE_ANY_QUOTA)


# --- Consolidation: submitting a unit's month, locking and reopening -------------------

REOPEN_UNIT_MONTH = "scoring.change_unitmonth"
LOCK_MONTH = "scoring.change_period"
REOPEN_MONTH = "scoring.add_periodreopening"


def may_submit_unit_month(user: Any, unit: Any) -> bool:
    """The head of ``unit`` itself submits its month report to the office."""
    if not user.is_authenticated:
        return False
    return unit.path in headed_unit_paths(staff_of(user))


def may_reopen_unit_month(user: Any) -> bool:
    """The home-affairs office reopens a unit's submitted month, with a reason."""
    return bool(user.is_authenticated and user.has_perm(REOPEN_UNIT_MONTH))


def may_lock_month(user: Any) -> bool:
    """The home-affairs office locks the month once the units have submitted."""
    return bool(user.is_authenticated and user.has_perm(LOCK_MONTH))


def may_reopen_month(user: Any) -> bool:
    """The home-affairs office alone reopens a locked month, with a reason."""
    return bool(user.is_authenticated and user.has_perm(REOPEN_MONTH))


# --- Publishing -------------------------------------------------------------------------

PREPARE_RELEASE = "scoring.add_release"
APPROVE_RELEASE = "scoring.change_release"


def may_prepare_release(user: Any) -> bool:
    """The home-affairs office prepares a locked month's release."""
    return bool(user.is_authenticated and user.has_perm(PREPARE_RELEASE))


def may_approve_release(user: Any) -> bool:
    """The home-affairs office approves a release (another officer than its preparer)."""
    return bool(user.is_authenticated and user.has_perm(APPROVE_RELEASE))


# --- Logins ---------------------------------------------------------------------------

UNLOCK_LOGINS = "axes.delete_accessattempt"


def may_unlock_logins(user: Any) -> bool:
    """The home-affairs office lists the locked sign-ins and unlocks them."""
    return bool(user.is_authenticated and user.has_perm(UNLOCK_LOGINS))


# --- Personal data --------------------------------------------------------------------

MANAGE_STAFF = "scoring.change_staff"


def may_export_person(user: Any) -> bool:
    """The home-affairs office alone exports everything stored about one person (it
    reads every sheet and keeps the staff records); no one else, not even the person,
    who asks the office (a subject-access request)."""
    return bool(
        user.is_authenticated and user.has_perm(READ_EVERY_SHEET) and user.has_perm(MANAGE_STAFF)
    )


def may_reset_two_factor(user: Any) -> bool:
    """Whoever unlocks sign-ins (the home-affairs office) also resets a person's
    two-factor sign-in when their phone is lost."""
    return may_unlock_logins(user)


# --- Scope: the rows each role lists, exports and reads the history of ------------------

VIEW_EVERY_PERSON = "scoring.change_staff"


def sees_every_person(user: Any) -> bool:
    """The home-affairs office (who keeps the staff records) lists every person."""
    return bool(user.is_authenticated and user.has_perm(VIEW_EVERY_PERSON))


def evaluatee_ids(user: Any) -> set[int]:
    """The people ``user`` evaluates: this month's routes that end at them (as evaluator
    or council member), and every sheet routed to them (a fixed number of queries)."""
    if not hasattr(user, "_evaluatee_ids"):  # once a request, as Wagtail keeps its own
        user._evaluatee_ids = _evaluatee_ids(staff_of(user))
    return user._evaluatee_ids


def _evaluatee_ids(person: Staff | None) -> set[int]:
    if person is None:
        return set()
    councils = set(Council.objects.filter(members=person).values_list("pk", flat=True))
    routes = resolve_routes(*current_month()).values()
    now = {r.staff_id for r in routes if r.evaluator_id == person.pk or r.council_id in councils}
    sheets = Staff.objects.filter(
        Q(evaluations__evaluator=person) | Q(evaluations__council__in=councils)
    ).values_list("pk", flat=True)
    return now | set(sheets)


def visible_staff(user: Any, queryset: QuerySet[Staff] | None = None) -> QuerySet[Staff]:
    """The people ``user`` lists, exports and inspects in the admin: everyone for the
    office; else themselves, the people they evaluate and those they lead (in a unit
    they head or below it)."""
    queryset = Staff.objects.all() if queryset is None else queryset
    if sees_every_person(user):
        return queryset
    person = staff_of(user)
    if person is None:
        return queryset.none()
    led = led_by(person).values("pk")
    return queryset.filter(Q(pk=person.pk) | Q(pk__in=evaluatee_ids(user)) | Q(pk__in=led))


def visible_units(user: Any, queryset: QuerySet[Unit] | None = None) -> QuerySet[Unit]:
    """The units ``user`` lists: every unit for the office (who keeps the tree), else
    those they head and those below them (:func:`result_units`)."""
    queryset = Unit.objects.all() if queryset is None else queryset
    if user.is_authenticated and user.has_perm("scoring.change_unit"):
        return queryset
    return queryset.filter(pk__in=result_units(user).values("pk"))


# --- Scope: log entries -------------------------------------------------------------------

# Events only the office reads, whoever they concern: sign-ins, lockouts and a desk's
# machine secrets (the dossier system's API token, the kiosk's key).
OFFICE_ONLY_PREFIXES = ("portal.",)
OFFICE_ONLY_ACTIONS: set[str] = set()


def reads_every_log(user: Any) -> bool:
    """Superusers and the home-affairs office read the whole site history."""
    return bool(user.is_authenticated and (user.is_superuser or reads_every_sheet(user)))


def register_office_only_action(action: str) -> None:
    """A feature names a log action only the office reads (a desk's secret rotated)."""
    OFFICE_ONLY_ACTIONS.add(action)


def visible_log_entries(user: Any, entries: QuerySet, scopes: dict[Any, QuerySet]) -> QuerySet:
    """The log entries of ``entries`` that ``user`` reads.

    ``scopes`` maps a model to the queryset of its rows ``user`` sees (the features' own
    decisions: :func:`visible_staff`, the desks' ``receipts_for``...): an entry about a
    row of such a model shows only if that row is in it. The office reads everything;
    nobody else reads sign-in events but their own, nor the office-only actions.
    """
    if reads_every_log(user):
        return entries
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType

    office_only = Q(action__in=OFFICE_ONLY_ACTIONS)
    for prefix in OFFICE_ONLY_PREFIXES:
        office_only |= Q(action__startswith=prefix)
    user_type = ContentType.objects.get_for_model(get_user_model())
    others_logins = Q(content_type=user_type) & ~Q(object_id=str(user.pk))
    entries = entries.exclude(others_logins).exclude(office_only & ~Q(content_type=user_type))
    for model, visible in scopes.items():
        content_type = ContentType.objects.get_for_model(model)
        ids = visible.annotate(pk_text=Cast("pk", CharField())).values("pk_text")
        entries = entries.exclude(Q(content_type=content_type) & ~Q(object_id__in=ids))
    return entries
