"""Wagtail admin for citizen ratings: desk dashboard, monthly report, moderation, questions.

Officers see aggregates only: counts, rates and shares, never one rating, its time, its
receipt or a comment that the office has not approved. Who sees which figures is a
:class:`Scope`: the office (``scoring.view_citizenrating``) sees every desk, a unit head
the desks of their unit and its sub-units, a desk officer the desks they serve at. Every
page computes its figures with a fixed number of grouped queries, whatever the volume.
"""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import MenuItem

from scoring.access.policy import may_moderate
from scoring.lib.admin import PagesFirstGroup
from scoring.ratings.scope import scope_of

from .figures import DeskDashboardView, ModerateView, ModerationQueueView, RatingsReportView
from .question_sets import QuestionSetViewSet

# --- Menus and registration ------------------------------------------------------------


class ScopeMenuItem(MenuItem):
    """Shown to anyone who may see some desk's figures."""

    def is_shown(self, request):
        return bool(scope_of(request))


class ModerationMenuItem(MenuItem):
    def is_shown(self, request):
        return may_moderate(request.user)


class CitizenRatingsGroup(PagesFirstGroup):
    """The "Citizen ratings" menu: the dashboard, moderation, then the question sets.

    Other modules may add entries through the ``register_citizen_ratings_menu_item`` hook.
    """

    menu_label = gettext_lazy("Citizen ratings")
    menu_name = "citizen-ratings"
    menu_icon = "comment"
    menu_order = 170
    submenu_hook = "register_citizen_ratings_menu_item"
    items = (QuestionSetViewSet("question_sets"),)

    def page_items(self):
        return [
            ScopeMenuItem(
                gettext_lazy("Desk dashboard"),
                reverse("scoring_ratings_dashboard"),
                name="ratings-dashboard",
                icon_name="desktop",
                order=10,
            ),
            ModerationMenuItem(
                gettext_lazy("Comment moderation"),
                reverse("scoring_ratings_moderation"),
                name="ratings-moderation",
                icon_name="comment",
                order=20,
            ),
        ]


def admin_urls() -> list:
    return [
        path("ratings/dashboard/", DeskDashboardView.as_view(), name="scoring_ratings_dashboard"),
        path(
            "ratings/moderation/", ModerationQueueView.as_view(), name="scoring_ratings_moderation"
        ),
        path(
            "ratings/moderation/<int:rating_id>/",
            ModerateView.as_view(),
            name="scoring_ratings_moderate",
        ),
        path(
            "reports/citizen-ratings/", RatingsReportView.as_view(), name="scoring_ratings_report"
        ),
        path(
            "reports/citizen-ratings/results/",
            RatingsReportView.as_view(results_only=True),
            name="scoring_ratings_report_results",
        ),
    ]


def report_menu_item() -> MenuItem:
    return ScopeMenuItem(
        gettext_lazy("Citizen ratings by month"),
        reverse("scoring_ratings_report"),
        name="citizen-ratings-report",
        icon_name="table",
        order=710,
    )


def register_log_actions(actions) -> None:
    actions.register_action(
        "scoring.moderate", gettext_lazy("Moderate a comment"), gettext_lazy("Comment moderated")
    )
