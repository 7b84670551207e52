"""Wagtail admin for the monthly cycle: criteria sets, the work-product catalogue, periods.

Everything sits under one menu, "Monthly evaluation". A criteria set that sheets were
scored on is never edited in place: saving it stores the submitted form as the code's
next version, and every sheet keeps the version it was scored on. Months are opened,
moved forward and closed only through :mod:`scoring.cycle.periods`, which writes the audit log
each period's history lists; those actions need ``scoring.change_period``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSetGroup

from scoring.criteria.admin import CriteriaSetViewSet, WorkProductViewSet

from .absences import AbsenceReasonViewSet, AbsenceViewSet, import_menu_items
from .periods import PeriodViewSet

# --- The menu ----------------------------------------------------------------------


class MonthlyEvaluationGroup(ModelViewSetGroup):
    menu_label = _("Monthly evaluation")
    menu_icon = "date"
    menu_order = 150
    items = (
        PeriodViewSet("periods"),
        AbsenceViewSet("absences"),
        CriteriaSetViewSet("criteria_sets"),
        WorkProductViewSet("work_products"),
        AbsenceReasonViewSet("absence_reasons"),
    )

    def get_submenu_items(self):
        return [*super().get_submenu_items(), *import_menu_items()]
