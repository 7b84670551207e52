"""Contest pages: the person's form, the list "Contests to decide" and the decide page.

Who may do what is asked of :mod:`scoring.contests.contests` (``filing_refusal``,
``decision_refusal``, ``may_read``), so a button shows exactly when the action behind it
would be accepted; anyone who may not read a contest gets a 404. The person's sheet page
("Tháng của tôi") shows :class:`ContestPanel`, handed to it through the
``construct_sheet_panels`` hook.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.log_actions import LogFormatter

from scoring import engine
from scoring.access.policy import is_owner
from scoring.cycle import sheets
from scoring.cycle.admin.month import entries_from, points_form, sheet_rows
from scoring.cycle.models import Evaluation
from scoring.lib.admin import TitledMixin

from . import contests
from .models import Contest

# --- Forms -----------------------------------------------------------------------------


class ContestForm(forms.Form):
    """The person's written grounds."""

    grounds = forms.CharField(
        label=gettext_lazy("Why you disagree with your final score"),
        help_text=gettext_lazy(
            "Name the lines you disagree with and why; whoever hears the contest reads this."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
    )

    def clean_grounds(self):
        grounds = self.cleaned_data["grounds"].strip()
        if not grounds:
            raise ValidationError(
                _("Write the grounds of your contest: what you disagree with, and why.")
            )
        return grounds


def level_text(level: int | None) -> str:
    return engine.level_label(level) if level else ""


# --- The person ------------------------------------------------------------------------


class FileContestView(TitledMixin, TemplateView):
    """The person writes why they contest the final score of one evaluated sheet."""

    page_title = gettext_lazy("Contest this score")
    header_icon = "warning"
    template_name = "scoring/contests/file.html"

    def dispatch(self, request, evaluation_id: int):
        try:
            self.evaluation = Evaluation.objects.select_related(
                "period", "staff", "unit", "evaluator", "council"
            ).get(pk=evaluation_id)
        except Evaluation.DoesNotExist:
            raise Http404 from None
        if not is_owner(request.user, self.evaluation):
            raise Http404
        return super().dispatch(request, evaluation_id)

    def back_url(self) -> str:
        return reverse("scoring_my_month") + f"?period={self.evaluation.period_id}"

    def get(self, request, evaluation_id: int):
        if refusal := contests.filing_refusal(self.evaluation, request.user):
            messages.error(request, refusal)
            return redirect(self.back_url())
        return self.show(ContestForm())

    def post(self, request, evaluation_id: int):
        form = ContestForm(request.POST)
        if form.is_valid():
            try:
                contest = contests.file_contest(
                    self.evaluation.pk, request.user, form.cleaned_data["grounds"]
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
                return redirect(self.back_url())
            messages.success(
                request,
                _("Your contest was sent to %(decider)s.") % {"decider": contest.decider_name},
            )
            return redirect(self.back_url())
        return self.show(form)

    def show(self, form):
        evaluation = self.evaluation
        context = {
            "form": form,
            "evaluation": evaluation,
            "level": level_text(evaluation.level),
            "last_day": contests.last_day(evaluation),
            "decider": contests.decider_for(evaluation),
            "back_url": self.back_url(),
            "page_subtitle": str(evaluation),
        }
        return self.render_to_response(self.get_context_data(**context))


class ContestPanel(Component):
    """On a sheet page: its contest and the decision, or the button to contest it."""

    template_name = "scoring/contests/sheet_panel.html"

    def __init__(self, request, data: sheets.SheetData):
        self.request = request
        self.data = data

    def get_context_data(self, parent_context=None):
        user = self.request.user
        evaluation = self.data.evaluation
        owner = is_owner(user, evaluation)
        contest = contests.latest_contest(evaluation)
        if contest is not None:
            contest.evaluation = evaluation
        can_file = owner and contest is None and contests.filing_refusal(evaluation, user) is None
        return {
            "contest": contest,
            "owner": owner,
            "can_file": can_file,
            "last_day": contests.last_day(evaluation) if can_file else None,
            "may_decide": contest is not None and contests.decision_refusal(contest, user) is None,
            "old_level": level_text(contest.old_level) if contest else "",
            "new_level": level_text(contest.new_level) if contest else "",
            "evaluation": evaluation,
        }


def add_contest_panel(request, data: sheets.SheetData, panels: list) -> None:
    """The ``construct_sheet_panels`` hook: the contest panel on evaluated sheets."""
    if data.evaluation.state == Evaluation.State.APPROVED:
        panels.append(ContestPanel(request, data))


# --- Whoever hears contests --------------------------------------------------------------


class ContestIndexView(TitledMixin, TemplateView):
    """The contests the user hears, open ones first (the office reads every one)."""

    page_title = gettext_lazy("Contests to decide")
    header_icon = "warning"
    template_name = "scoring/contests/index.html"
    limit = 500

    def get(self, request, *args, **kwargs):
        rows = list(contests.contests_for(request.user)[: self.limit])
        if not rows and not contests.has_contests(request.user):
            raise PermissionDenied
        for contest in rows:
            contest.old_level_label = level_text(contest.old_level)
            contest.new_level_label = level_text(contest.new_level)
        waiting = sum(1 for contest in rows if contest.is_open)
        context = {"rows": rows, "waiting": waiting}
        return self.render_to_response(self.get_context_data(**context))


class DecideView(TitledMixin, TemplateView):
    """One contest: the lines with self and final points, the grounds, and the decision."""

    page_title = gettext_lazy("Decide a contest")
    header_icon = "warning"
    template_name = "scoring/contests/decide.html"

    def dispatch(self, request, contest_id: int):
        try:
            self.contest = contests.load_contest(contest_id)
        except Contest.DoesNotExist:
            raise Http404 from None
        if not contests.may_read(request.user, self.contest):
            raise Http404
        self.data = sheets.load(self.contest.evaluation_id)
        return super().dispatch(request, contest_id)

    def initial(self) -> dict:
        initial = {"version": self.data.evaluation.version}
        for criterion_id, score in self.data.scores.items():
            final = score.final_points if score.final_points is not None else score.self_points
            initial[f"points_{criterion_id}"] = final
            initial[f"note_{criterion_id}"] = score.final_comment
        return initial

    def form_class(self):
        return points_form(self.data, "final", _("comment"), {})

    def get(self, request, contest_id: int):
        initial = self.initial()
        return self.show(self.form_class()(initial=initial), reason="")

    def post(self, request, contest_id: int):
        if not contests.hears(request.user, self.contest):
            raise PermissionDenied
        form = self.form_class()(request.POST)
        reason = request.POST.get("reason", "")
        try:
            self.decide(form, reason)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return self.show(form, reason=reason)
        return redirect("scoring_contests")

    def decide(self, form, reason: str) -> None:
        user = self.request.user
        if self.request.POST.get("decision") == "stands":
            contests.uphold(self.contest.pk, user, reason)
            messages.success(self.request, _("Decided: the score stands."))
            return
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        _contest, result = contests.change_score(
            self.contest.pk,
            user,
            entries_from(form, self.data),
            reason,
            form.cleaned_data["version"],
        )
        messages.success(
            self.request,
            _("Decided: the score is now %(total)s points, %(level)s.")
            % {"total": result.total, "level": engine.level_label(result.level)},
        )

    def show(self, form, reason: str):
        data, contest = self.data, self.contest
        self_result, final_result = sheets.score(data, "self"), sheets.score(data, "final")
        if data.evaluation.period.is_closed:
            self_result = sheets.frozen_result(data, "self")
            final_result = sheets.frozen_result(data, "final")
        may_decide = contests.decision_refusal(contest, self.request.user) is None
        context = {
            "contest": contest,
            "evaluation": data.evaluation,
            "rows": sheet_rows(data, self_result, final_result, form if may_decide else None),
            "self_result": self_result,
            "final_result": final_result,
            "final_level": level_text(final_result.level),
            "old_level": level_text(contest.old_level),
            "new_level": level_text(contest.new_level),
            "form": form,
            "reason": reason,
            "may_decide": may_decide,
            "page_subtitle": str(data.evaluation),
        }
        return self.render_to_response(self.get_context_data(**context))


def _form_errors(form: forms.Form) -> list[str]:
    return [
        f"{form.fields[name].label}: {error}" if name in form.fields else str(error)
        for name, errors in form.errors.items()
        for error in errors
    ]


# --- Registration ----------------------------------------------------------------------


def admin_urls() -> list:
    return [
        path("contests/", ContestIndexView.as_view(), name="scoring_contests"),
        path("contests/<int:contest_id>/", DecideView.as_view(), name="scoring_contest"),
        path(
            "contests/file/<int:evaluation_id>/",
            FileContestView.as_view(),
            name="scoring_contest_file",
        ),
    ]


class ContestsMenuItem(MenuItem):
    def is_shown(self, request):
        return contests.has_contests(request.user)


def menu_item() -> MenuItem:
    return ContestsMenuItem(
        gettext_lazy("Contests to decide"),
        reverse("scoring_contests"),
        name="contests-to-decide",
        icon_name="warning",
        order=25,
    )


class ContestFormatter(LogFormatter):
    """A contest's entry on the sheet's history: the totals and levels, the grounds or
    the reason (``message`` has the placeholders)."""

    def format_message(self, log_entry):
        data = log_entry.data or {}
        values = {
            "old_total": data.get("old_total") or "–",
            "new_total": data.get("new_total") or "–",
            "old_level": level_text(data.get("old_level")),
            "new_level": level_text(data.get("new_level")),
            "decider": data.get("decider", ""),
            "text": data.get("reason") or data.get("grounds") or "",
        }
        return str(self.message) % values


LOG_ACTIONS = [
    (
        "scoring.contest_filed",
        gettext_lazy("Contest a score"),
        gettext_lazy("Score %(old_total)s (%(old_level)s) contested, to %(decider)s: %(text)s"),
    ),
    (
        "scoring.contest_upheld",
        gettext_lazy("Decide a contest: the score stands"),
        gettext_lazy(
            "Contest decided: the score stands at %(new_total)s (%(new_level)s): %(text)s"
        ),
    ),
    (
        "scoring.contest_changed",
        gettext_lazy("Decide a contest: the score changes"),
        gettext_lazy(
            "Contest decided: the score changes from %(old_total)s (%(old_level)s) to "
            "%(new_total)s (%(new_level)s): %(text)s"
        ),
    ),
]


def register_log_actions(actions) -> None:
    """The audit log's words for filing and deciding a contest."""
    for action, label, message in LOG_ACTIONS:
        formatter = type("Formatter", (ContestFormatter,), {"label": label, "message": message})
        actions.register_action(action)(formatter)
