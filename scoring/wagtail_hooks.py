"""Register the domain's admin: the Organisation menu, the route report, role checks."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin.organisation import UnresolvedRouteReportView, organisation_group


@hooks.register("register_admin_viewset")
def register_organisation():
    return organisation_group()


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path(
            "reports/unresolved-routes/",
            UnresolvedRouteReportView.as_view(),
            name="scoring_unresolved_routes",
        ),
        path(
            "reports/unresolved-routes/results/",
            UnresolvedRouteReportView.as_view(results_only=True),
            name="scoring_unresolved_routes_results",
        ),
    ]


class StaffManagerMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("scoring.change_staff")


@hooks.register("register_reports_menu_item")
def register_unresolved_routes_menu_item():
    return StaffManagerMenuItem(
        _("Unresolved evaluator routes"),
        reverse("scoring_unresolved_routes"),
        icon_name="warning",
        order=700,
    )
