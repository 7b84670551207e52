"""The desk dashboard, the monthly ratings report and the comment moderation queue."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Length, Substr
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.log_actions import log

from scoring.admin.month import TitledMixin
from scoring.admin.organisation import current_month, parse_month
from scoring.models import Assignment, CitizenRating, Receipt, ServiceDesk, Staff, Unit
from scoring.rating_stats import GROUPINGS, month_querysets
from scoring.routing import month_bounds

from .rating_figures import (
    LEVEL_WORDS,
    Scope,
    Tally,
    can_moderate,
    day_bounds,
    default_scale,
    level_word,
    percent,
    scope_of,
    tally,
    words_in_use,
)

Moderation = CitizenRating.Moderation


# --- The desk dashboard ----------------------------------------------------------------


def desk_figures(desk: ServiceDesk, today: datetime.date, before=None) -> dict:
    """Today's counts and the month's figures of one desk (four queries)."""
    receipts, ratings = month_querysets(today.year, today.month, before)
    start, end = day_bounds(today)
    month = tally(receipts.filter(desk=desk), ratings.filter(receipt__desk=desk))[None]
    return {
        "today_receipts": Receipt.objects.filter(desk=desk, issued_on=today).count(),
        "today_ratings": CitizenRating.objects.filter(
            receipt__desk=desk, created_at__gte=start, created_at__lt=end
        ).count(),
        "month": month,
    }


def officer_figures(person: Staff, today: datetime.date, before=None) -> Tally:
    """The officer's own month at every desk, as their sheet counts it (two queries)."""
    receipts, ratings = month_querysets(today.year, today.month, before)
    return tally(receipts.filter(officer=person), ratings.filter(receipt__officer=person))[None]


def approved_comments(desk: ServiceDesk, today: datetime.date, limit: int = 5) -> list[str]:
    """The month's approved comments of a desk: the text alone, no date, level or dossier."""
    first, last = month_bounds(today.year, today.month)
    return list(
        CitizenRating.objects.filter(
            receipt__desk=desk,
            receipt__issued_on__range=(first, last),
            moderation=Moderation.APPROVED,
        )
        .exclude(comment="")
        .order_by("-pk")
        .values_list("comment", flat=True)[:limit]
    )


class DeskDashboardView(TitledMixin, TemplateView):
    """Today and this month at one desk, in aggregate; the office may pick any desk."""

    page_title = gettext_lazy("Desk dashboard")
    header_icon = "desktop"
    template_name = "scoring/ratings/dashboard.html"

    def get(self, request, *args, **kwargs):
        scope = scope_of(request)
        if not scope:
            raise PermissionDenied
        desks = list(ServiceDesk.objects.filter(scope.q()).select_related("unit"))
        desk = self.choose(desks, request.GET.get("desk"))
        today = timezone.localdate()
        context = {"desks": desks, "desk": desk, "today": today, "delayed": not scope.everything}
        if desk is not None:
            context.update(self.figures(desk, scope, today))
        return self.render_to_response(self.get_context_data(**context))

    def choose(self, desks: list[ServiceDesk], wanted: str | None) -> ServiceDesk | None:
        if not wanted:
            return next((d for d in desks if d.active), desks[0] if desks else None)
        for desk in desks:
            if str(desk.pk) == wanted:
                return desk
        raise Http404  # another desk's figures: as if it did not exist

    def figures(self, desk: ServiceDesk, scope: Scope, today: datetime.date) -> dict:
        figures = desk_figures(desk, today, scope.ratings_before)
        month: Tally = figures["month"]
        person, own = scope.staff, None
        if person is not None and desk.officers.filter(pk=person.pk).exists():
            own = officer_figures(person, today, scope.ratings_before)
        scales = month.scales | (own.scales if own else set()) or {default_scale(today)}
        keys = words_in_use(scales)
        return {
            **figures,
            "month_ratio": percent(month.ratio),
            "month_response": percent(month.response_rate),
            "shares": month.shares(keys),
            "own": own,
            "own_ratio": percent(own.ratio) if own else None,
            "own_response": percent(own.response_rate) if own else None,
            "own_shares": own.shares(keys) if own else [],
            "comments": approved_comments(desk, today),
        }


# --- The monthly report ----------------------------------------------------------------

GROUPING_CHOICES = [
    ("officer", gettext_lazy("officer")),
    ("desk", gettext_lazy("desk")),
    ("unit", gettext_lazy("unit")),
]


class RatingsReportFilterSet(WagtailFilterSet):
    """The month and the grouping; the report reads both to compute its figures."""

    month = django_filters.CharFilter(
        label=gettext_lazy("month"),
        method="keep",
        widget=forms.TextInput(attrs={"type": "month"}),
        help_text=gettext_lazy("Year and month, e.g. 2026-01."),
    )
    by = django_filters.ChoiceFilter(
        label=gettext_lazy("group by"),
        choices=GROUPING_CHOICES,
        empty_label=None,
        method="keep",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = ServiceDesk
        fields: list[str] = []

    def keep(self, queryset, name, value):
        return queryset


def parent_name(unit_path_field: str = "path") -> Subquery:
    """The name of the unit's parent in the tree (treebeard paths, fixed step length)."""
    step = Unit.steplen
    parent_path = Substr(OuterRef(unit_path_field), 1, Length(OuterRef(unit_path_field)) - step)
    return Subquery(Unit.objects.filter(path=parent_path).values("name")[:1])


def grouped_entities(by: str, scope: Scope, receipts: QuerySet) -> QuerySet:
    """The officers, desks or units of the rows: those with receipts, and current desks'."""
    desks = ServiceDesk.objects.filter(scope.q(), active=True)
    if by == "officer":
        at_desks = ServiceDesk.officers.through.objects.filter(servicedesk__in=desks)
        open_post = Assignment.objects.filter(staff=OuterRef("pk"), end_date__isnull=True)
        return (
            Staff.objects.filter(
                Q(pk__in=receipts.values("officer_id")) | Q(pk__in=at_desks.values("staff_id"))
            )
            .annotate(
                row_name=F("full_name"), row_unit=Subquery(open_post.values("unit__name")[:1])
            )
            .order_by("full_name", "code")
        )
    if by == "desk":
        return (
            ServiceDesk.objects.filter(Q(pk__in=receipts.values("desk_id")) | Q(pk__in=desks))
            .annotate(row_name=F("name"), row_unit=F("unit__name"))
            .order_by("unit__path", "name")
        )
    return (
        Unit.objects.filter(
            Q(pk__in=receipts.values("desk__unit_id")) | Q(pk__in=desks.values("unit_id"))
        )
        .annotate(row_name=F("name"), row_unit=parent_name())
        .order_by("path")
    )


def share_heading(key: str) -> str:
    return _("%(level)s (%%)") % {"level": LEVEL_WORDS[key]}


class NumberColumn(Column):
    """A figure, "–" when there is nothing to divide by."""

    cell_template_name = "scoring/ratings/number_cell.html"

    def __init__(self, name, **kwargs):
        super().__init__(name, classname="ratings-number", **kwargs)


FIGURE_HEADINGS = {
    "code": gettext_lazy("Code"),
    "row_name": gettext_lazy("Name"),
    "row_unit": gettext_lazy("Unit"),
    "row_receipts": gettext_lazy("Receipts issued"),
    "row_ratings": gettext_lazy("Ratings"),
    "row_response_rate": gettext_lazy("Response rate (%)"),
    "row_ratio": gettext_lazy("Satisfaction ratio (%)"),
}


class RatingsReportView(ReportView):
    """Each officer's, desk's or unit's month: receipts, ratings, ratio and level shares."""

    page_title = gettext_lazy("Citizen ratings by month")
    header_icon = "table"
    template_name = "scoring/ratings/report.html"
    results_template_name = "scoring/ratings/report_results.html"
    table_classname = "listing ratings-report"
    index_url_name = "scoring_ratings_report"
    index_results_url_name = "scoring_ratings_report_results"
    paginate_by = 100
    filterset_class = RatingsReportFilterSet
    permission_policy = None

    def dispatch(self, request, *args, **kwargs):
        self.scope = scope_of(request)
        if not self.scope:
            raise PermissionDenied
        self.month = parse_month(request.GET.get("month")) or current_month()
        by = request.GET.get("by")
        self.by = by if by in GROUPINGS else "officer"
        return super().dispatch(request, *args, **kwargs)

    def get_filterset_kwargs(self):
        data = self.request.GET.copy()
        data["month"] = "{:04d}-{:02d}".format(*self.month)
        data["by"] = self.by
        return {"data": data, "request": self.request}

    def get_page_subtitle(self):
        year, month = self.month
        return _("Month %(month)02d/%(year)d, by %(grouping)s") % {
            "month": month,
            "year": year,
            "grouping": dict(GROUPING_CHOICES)[self.by],
        }

    @cached_property
    def no_results_message(self):
        return _("None of the desks you may follow had receipts in this month.")

    def get_filename(self):
        year, month = self.month
        return f"danh-gia-nguoi-dan-{year:04d}-{month:02d}-{self.by}"

    @cached_property
    def month_data(self) -> tuple[QuerySet, dict]:
        """The month's receipts the user may see, and their figures per row."""
        receipts, ratings = month_querysets(*self.month, self.scope.ratings_before)
        receipts = receipts.filter(self.scope.q("desk__"))
        ratings = ratings.filter(self.scope.q("receipt__desk__"))
        return receipts, tally(receipts, ratings, GROUPINGS[self.by])

    def get_queryset(self):
        receipts, _figures = self.month_data
        return grouped_entities(self.by, self.scope, receipts)

    @cached_property
    def level_keys(self) -> list[str]:
        scales = set().union(*(entry.scales for entry in self.month_data[1].values()))
        return words_in_use(scales or {default_scale(month_bounds(*self.month)[0])})

    @cached_property
    def columns(self):
        unit_label = _("Part of") if self.by == "unit" else _("Unit")
        return [
            Column("row_name", label=FIGURE_HEADINGS["row_name"], classname="ratings-name"),
            Column("row_unit", label=unit_label, classname="ratings-name"),
            *(
                NumberColumn(name, label=FIGURE_HEADINGS[name])
                for name in ("row_receipts", "row_ratings", "row_response_rate", "row_ratio")
            ),
            *(NumberColumn(f"share_{key}", label=share_heading(key)) for key in self.level_keys),
        ]

    @cached_property
    def list_export(self):
        return [*FIGURE_HEADINGS, *(f"share_{key}" for key in self.level_keys)]

    @cached_property
    def export_headings(self):
        headings = {name: str(label) for name, label in FIGURE_HEADINGS.items()}
        if self.by == "unit":
            headings["row_unit"] = _("Part of")
        for key in self.level_keys:
            headings[f"share_{key}"] = share_heading(key)
        return headings

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        for row in rows:
            entry: Tally = self.month_data[1].get(row.pk, Tally())
            row.row_receipts, row.row_ratings = entry.receipts, entry.ratings
            row.row_response_rate = percent(entry.response_rate)
            row.row_ratio = percent(entry.ratio)
            for key in self.level_keys:
                setattr(row, f"share_{key}", percent(entry.word_share(key)))
        return rows


# --- Moderation ----------------------------------------------------------------------

DECISIONS = {"approve": Moderation.APPROVED, "hide": Moderation.HIDDEN}
QUEUE_STATES = [Moderation.PENDING, Moderation.APPROVED, Moderation.HIDDEN]


class ModerationMixin:
    """The office only: ``scoring.change_citizenrating``."""

    def dispatch(self, request, *args, **kwargs):
        if not can_moderate(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ModerationQueueView(ModerationMixin, TitledMixin, TemplateView):
    """Comments waiting for a decision, newest first: desk, unit, month, level; no dossier."""

    page_title = gettext_lazy("Comment moderation")
    header_icon = "comment"
    template_name = "scoring/ratings/moderation.html"
    paginate_by = 50

    def get(self, request, *args, **kwargs):
        state = request.GET.get("state")
        state = state if state in QUEUE_STATES else Moderation.PENDING
        queryset = (
            CitizenRating.objects.filter(moderation=state)
            .exclude(comment="")
            .select_related("question_set", "receipt__desk__unit")
            .only(
                "pk",
                "comment",
                "overall",
                "moderation",
                "created_at",
                "question_set__scale",
                "receipt__desk__name",
                "receipt__desk__unit__name",
            )
            .order_by("-created_at", "-pk")
        )
        page = Paginator(queryset, self.paginate_by).get_page(request.GET.get("p"))
        for rating in page.object_list:
            rating.level_word = level_word(rating.question_set.scale, rating.overall)
            rating.month = timezone.localtime(rating.created_at).strftime("%m/%Y")
        context = {
            "page": page,
            "state": state,
            "states": [(value, Moderation(value).label) for value in QUEUE_STATES],
            "pending_count": CitizenRating.objects.filter(moderation=Moderation.PENDING).count(),
        }
        return self.render_to_response(self.get_context_data(**context))


def moderate(rating_id: int, decision: str, user) -> tuple[CitizenRating, bool]:
    """Approve or hide one comment, writing the change to the audit log.

    Only the ``moderation`` field is saved; the answers and the comment are never
    touched. Returns the rating and whether anything changed.
    """
    new = DECISIONS[decision]
    with transaction.atomic():
        rating = get_object_or_404(
            CitizenRating.objects.select_for_update().exclude(moderation=Moderation.NONE),
            pk=rating_id,
        )
        old = rating.moderation
        if old == new:
            return rating, False
        rating.moderation = new
        rating.save(update_fields=["moderation"])
        log(
            instance=rating,
            action="scoring.moderate",
            user=user,
            title=f"{CitizenRating._meta.verbose_name} #{rating.pk}",
            data={"old": old, "new": new},
        )
    return rating, True


class ModerateView(ModerationMixin, View):
    """POST only: approve or hide one comment, then back to the queue."""

    http_method_names = ["post"]

    def post(self, request, rating_id: int):
        decision = request.POST.get("decision")
        if decision not in DECISIONS:
            raise Http404
        rating, changed = moderate(rating_id, decision, request.user)
        if changed:
            messages.success(
                request,
                _("The comment is now “%(state)s”.") % {"state": rating.get_moderation_display()},
            )
        back = reverse("scoring_ratings_moderation")
        state = request.POST.get("state")
        return redirect(f"{back}?state={state}" if state in QUEUE_STATES else back)
