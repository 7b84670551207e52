"""The one place the domain's admin is registered with Wagtail: menus, pages, log words.

Each feature's admin package builds its viewsets, views and menu items; this module only
hands them to Wagtail's hooks, so what the admin offers can be read in one screen.
"""

from wagtail import hooks

from scoring.access import admin as access
from scoring.access import logins, policy, twofactor, twofactor_views
from scoring.contests import admin as contests
from scoring.cycle.admin import absences, history, month
from scoring.cycle.admin.menu import MonthlyEvaluationGroup
from scoring.dashboard import panels as dashboard
from scoring.jobs import admin as jobs
from scoring.organisation import admin as organisation
from scoring.oversight import admin as oversight
from scoring.privacy import admin as privacy
from scoring.privacy import personal_data
from scoring.publishing import admin as publishing
from scoring.ratings.admin import desks
from scoring.ratings.admin import menu as ratings
from scoring.ratings.models import Receipt, ServiceDesk
from scoring.ratings.scope import desks_for, receipts_for
from scoring.rollup import admin as rollup

organisation.STAFF_PAGE_BUTTONS.append(privacy.personal_data_button)

# --- Menus -----------------------------------------------------------------------------


@hooks.register("register_admin_viewset")
def register_organisation():
    return organisation.organisation_group(
        staff_scope=policy.visible_staff, unit_scope=policy.visible_units
    )


@hooks.register("register_admin_viewset")
def register_monthly_evaluation():
    return MonthlyEvaluationGroup()


@hooks.register("register_admin_viewset")
def register_quarters_and_year():
    return rollup.QuartersAndYearGroup()


@hooks.register("register_admin_viewset")
def register_one_stop_desk():
    return desks.OneStopDeskGroup()


@hooks.register("register_admin_viewset")
def register_citizen_ratings():
    return ratings.CitizenRatingsGroup()


@hooks.register("register_admin_viewset")
def register_oversight():
    return oversight.OversightGroup()


@hooks.register("register_admin_menu_item")
def register_publishing_menu_item():
    return publishing.menu_item()


@hooks.register("register_admin_menu_item")
def register_my_month_menu_item():
    return month.my_month_menu_item()


@hooks.register("register_admin_menu_item")
def register_queue_menu_item():
    return month.queue_menu_item()


@hooks.register("register_admin_menu_item")
def register_contests_menu_item():
    return contests.menu_item()


@hooks.register("register_settings_menu_item")
def register_lockouts_menu_item():
    return access.menu_item()


@hooks.register("register_admin_menu_item")
def register_jobs_menu_item():
    return jobs.menu_item()


@hooks.register("register_reports_menu_item")
def register_unresolved_routes_menu_item():
    return organisation.report_menu_item()


@hooks.register("register_reports_menu_item")
def register_ratings_report_menu_item():
    return ratings.report_menu_item()


# --- Pages -----------------------------------------------------------------------------


@hooks.register("register_admin_urls")
def register_organisation_urls():
    return [*organisation.report_urls(), *organisation.import_urls()]


@hooks.register("register_admin_urls")
def register_month_urls():
    return [*month.admin_urls(), *absences.import_urls()]


@hooks.register("register_admin_urls")
def register_rollup_urls():
    return rollup.admin_urls()


@hooks.register("register_admin_urls")
def register_ratings_urls():
    return ratings.admin_urls()


@hooks.register("register_admin_urls")
def register_jobs_urls():
    return jobs.admin_urls()


@hooks.register("register_admin_urls")
def register_oversight_urls():
    return oversight.admin_urls()


@hooks.register("register_admin_urls")
def register_contests_urls():
    return contests.admin_urls()


@hooks.register("register_admin_urls")
def register_access_urls():
    return access.admin_urls()


@hooks.register("register_admin_urls")
def register_privacy_urls():
    return privacy.admin_urls()


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return twofactor_views.admin_urls()


@hooks.register("register_account_menu_item")
def register_two_factor_account_item(request):
    return twofactor_views.account_menu_item(request)


@hooks.register("register_admin_urls")
def register_publishing_urls():
    return publishing.admin_urls()


@hooks.register("construct_sheet_panels")
def add_contest_panel(request, data, panels):
    contests.add_contest_panel(request, data, panels)


@hooks.register("construct_homepage_panels")
def add_month_panel(request, panels):
    panels.insert(0, month.MonthPanel(request))


@hooks.register("construct_homepage_panels")
def add_progress_panel(request, panels):
    panels.extend(dashboard.progress_panels(request))


# --- The audit log's words ---------------------------------------------------------------


# --- Scope of the site history (scoring/access/history.py) ---------------------------


@hooks.register("register_log_scope")
def receipts_log_scope():
    return Receipt, receipts_for


@hooks.register("register_log_scope")
def desks_log_scope():
    return ServiceDesk, desks_for


@hooks.register("register_log_actions")
def register_log_actions(actions):
    history.register_log_actions(actions)
    publishing.register_log_actions(actions)
    desks.register_log_actions(actions)
    ratings.register_log_actions(actions)
    oversight.register_log_actions(actions)
    contests.register_log_actions(actions)
    logins.register_log_actions(actions)
    personal_data.register_log_actions(actions)
    twofactor.register_log_actions(actions)
