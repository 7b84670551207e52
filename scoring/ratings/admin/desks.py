"""Wagtail admin for one-stop desks and receipts: desks, secrets, receipts, slips.

Everything sits under one menu, "One-stop desk". The home-affairs office manages the
desks and makes each desk's API token (for its dossier system) and kiosk secret (for
the tablet on the counter); a new secret is shown once, on the page that answers the
confirming POST, and only its hash is stored. Desk officers make receipts for the desks
they serve at, in one short form or by importing the day's dossier log, and print the
slip the citizen takes away. They never see whether a receipt was rated
(:mod:`scoring.ratings.tally` says why); the receipt list shows monthly counts per desk.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.admin.utils import quote
from django.db import models
from django.db.models import Count, ExpressionWrapper, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse, reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.utils.functional import Promise, cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import Button, HeaderButton
from wagtail.log_actions import log

from scoring.access.policy import register_office_only_action
from scoring.lib.admin import IndexView
from scoring.ratings.desks import new_desk_secret
from scoring.ratings.models import ServiceDesk
from scoring.ratings.scope import desks_for
from scoring.ratings.slips import kiosk_setup_url
from scoring.sheets.sheets import PermissionMenuItem

from .receipts import RECEIPTS, ReceiptViewSet

# --- Desks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeskSecret:
    """A secret a desk hands to a machine: the dossier system's token or the kiosk's."""

    slug: str
    field: str
    button: Promise
    title: Promise
    consequence: Promise
    where: Promise
    log_action: str


SECRETS = {
    secret.slug: secret
    for secret in (
        DeskSecret(
            "api-token",
            "api_token_hash",
            _("New API token"),
            _("New API token for the dossier system"),
            _(
                "The dossier system's current token stops working at once; the system "
                "must be given the new one."
            ),
            _("Enter it in the dossier system as the bearer token of the receipt API."),
            "scoring.desk_api_token",
        ),
        DeskSecret(
            "kiosk-secret",
            "kiosk_secret_hash",
            _("New kiosk secret"),
            _("New kiosk secret for the counter tablet"),
            _("The tablet on the counter stops working at once, until it is given the new one."),
            _("Enter it once on the tablet on the counter."),
            "scoring.desk_kiosk_secret",
        ),
    )
}


def secret_buttons(desk: ServiceDesk, button_class: type = Button) -> list:
    return [
        button_class(
            secret.button,
            url=reverse("service_desks:secret", args=[quote(desk.pk), secret.slug]),
            icon_name="key",
            priority=30 + index,
        )
        for index, secret in enumerate(SECRETS.values())
    ]


def has_value(field: str) -> ExpressionWrapper:
    return ExpressionWrapper(~Q(**{field: ""}), output_field=models.BooleanField())


class ServiceDeskIndexView(IndexView):
    """Every desk for the office; a desk officer sees the desks they serve at."""

    def get_base_queryset(self):
        desks = desks_for(self.request.user).values("pk")
        return (
            ServiceDesk.objects.filter(pk__in=desks)
            .select_related("unit")
            .annotate(
                officer_count=Count("officers"),
                has_api_token=has_value("api_token_hash"),
                has_kiosk_secret=has_value("kiosk_secret_hash"),
            )
        )

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.user_has_permission("change"):
            buttons += [
                MenuItem(button.label, button.url, icon_name="key", priority=button.priority)
                for button in secret_buttons(instance)
            ]
        return buttons


class ServiceDeskEditView(generic.EditView):
    @cached_property
    def header_buttons(self):
        return secret_buttons(self.object, HeaderButton)


class ServiceDeskInspectView(generic.InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(desks_for(self.request.user), pk=self.pk)


class DeskSecretView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """GET asks for confirmation; POST makes the secret and shows it this once."""

    model = ServiceDesk
    permission_required = "change"
    template_name = "scoring/desks/secret.html"
    header_icon = "key"
    http_method_names = ["get", "post"]

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.secret = SECRETS.get(kwargs["kind"])
        if self.secret is None:
            raise Http404
        self.desk = get_object_or_404(ServiceDesk.objects.select_related("unit"), pk=kwargs["pk"])

    def get_page_title(self) -> str:
        return str(self.secret.title)

    def get_page_subtitle(self) -> str:
        return self.desk.name

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("service_desks:index"), "label": _("Service desks")},
            {"url": reverse("service_desks:edit", args=[quote(self.desk.pk)]), "label": self.desk},
            {"url": "", "label": self.secret.button},
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            desk=self.desk,
            secret=self.secret,
            has_secret=bool(getattr(self.desk, self.secret.field)),
            edit_url=reverse("service_desks:edit", args=[quote(self.desk.pk)]),
            api_url=self.request.build_absolute_uri(reverse("scoring_api:receipts")),
            kiosk_setup_url=kiosk_setup_url(),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        raw = new_desk_secret(self.desk, self.secret.field)
        log(instance=self.desk, action=self.secret.log_action, user=request.user)
        response = self.render_to_response(self.get_context_data(raw_secret=raw))
        add_never_cache_headers(response)  # the page holds the only copy of the secret
        return response


class ServiceDeskViewSet(ModelViewSet):
    model = ServiceDesk
    icon = "home"
    menu_label = _("Service desks")
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = ServiceDeskIndexView
    edit_view_class = ServiceDeskEditView
    inspect_view_class = ServiceDeskInspectView
    list_filter = ["active"]
    search_fields = ["name", "code"]
    search_backend_name = None
    list_display = [
        "name",
        "code",
        "unit",
        Column("officer_count", label=capfirst(_("officers")), sort_key="officer_count"),
        BooleanColumn("has_api_token", label=_("API token")),
        BooleanColumn("has_kiosk_secret", label=capfirst(_("kiosk secret"))),
        BooleanColumn("active", label=capfirst(_("active"))),
    ]
    list_export = ["code", "name", "unit", "active"]
    inspect_view_fields = ["unit", "code", "name", "officers", "active"]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("secret/<int:pk>/<slug:kind>/", DeskSecretView.as_view(), name="secret"),
        ]


# --- The menu -------------------------------------------------------------------------------


class OneStopDeskGroup(ModelViewSetGroup):
    menu_label = _("One-stop desk")
    menu_icon = "home"
    menu_order = 160
    items = (ServiceDeskViewSet("service_desks"), ReceiptViewSet("receipts"))

    def get_submenu_items(self):
        importing = PermissionMenuItem(
            RECEIPTS.title,
            reverse_lazy("receipts:import"),
            name="import-receipts",
            icon_name="upload",
            order=900,
            permission=RECEIPTS.permission("add"),
        )
        return [*super().get_submenu_items(), importing]


def register_log_actions(actions) -> None:
    """The audit log's words for a desk's new API token or kiosk secret."""
    for secret in SECRETS.values():
        actions.register_action(secret.log_action, secret.button, secret.title)
        register_office_only_action(secret.log_action)
