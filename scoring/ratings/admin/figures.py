"""The desk dashboard, the monthly ratings report and the comment moderation queue."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView

from scoring.access.policy import may_moderate
from scoring.lib.admin import SafeExportMixin, TitledMixin
from scoring.lib.months import current_month, month_or_none
from scoring.ratings.models import CitizenRating, ServiceDesk
from scoring.ratings.rating import DECISIONS, moderate
from scoring.ratings.receipts import serves_at
from scoring.ratings.scope import Scope, scope_of
from scoring.ratings.tally import (
    GROUPINGS,
    LEVEL_WORDS,
    Figures,
    MonthReport,
    approved_comments,
    default_scale,
    desk_figures,
    level_word,
    month_report,
    officer_figures,
    percent,
    words_in_use,
)

Moderation = CitizenRating.Moderation


# --- The desk dashboard ----------------------------------------------------------------


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
        month: Figures = figures["month"]
        person, own = scope.staff, None
        if person is not None and serves_at(desk, person):
            own = officer_figures(person, today, scope.ratings_before)
        scales = month.scales | (own.scales if own else set()) or {default_scale(today)}
        keys = words_in_use(scales)
        month_hidden = scope.hides(month)
        own_hidden = own is not None and scope.hides(own)
        return {
            **figures,
            "minimum": scope.minimum,
            "month_hidden": month_hidden,
            "month_ratio": None if month_hidden else percent(month.ratio),
            "month_response": None if month_hidden else percent(month.response_rate),
            "shares": [] if month_hidden else month.shares(keys),
            "own": own,
            "own_hidden": own_hidden,
            "own_ratio": percent(own.ratio) if own and not own_hidden else None,
            "own_response": percent(own.response_rate) if own and not own_hidden else None,
            "own_shares": own.shares(keys) if own and not own_hidden else [],
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


class RatingsReportView(SafeExportMixin, ReportView):
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
        self.month = month_or_none(request.GET.get("month")) or current_month()
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
    def report(self) -> MonthReport:
        return month_report(*self.month, self.by, self.scope)

    def get_queryset(self):
        return self.report.rows

    def filter_queryset(self, queryset):
        return queryset  # the filters only choose the month and grouping the report reads

    @property
    def level_keys(self) -> list[str]:
        return self.report.level_keys

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


# --- Moderation ----------------------------------------------------------------------

QUEUE_STATES = [Moderation.PENDING, Moderation.APPROVED, Moderation.HIDDEN]


class ModerationMixin:
    """The office only: ``scoring.change_citizenrating``."""

    def dispatch(self, request, *args, **kwargs):
        if not may_moderate(request.user):
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
