"""Wagtail admin for receipts: the list, the quick form, slips, the kiosk, the day's import.

A desk officer works only with the receipts of the desks they serve at; the office
with all of them. The menu is :mod:`scoring.ratings.admin.desks`.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

import django_filters
from django import forms
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import AdminDateInput, Button, HeaderButton

from scoring.access.policy import manages_desks, staff_of
from scoring.lib.admin import IndexView
from scoring.lib.months import validate_plausible_date
from scoring.lib.spreadsheets import (
    DATE_FORMAT,
)
from scoring.organisation.models import Staff
from scoring.ratings.desks import release_to_kiosk
from scoring.ratings.models import Receipt, ServiceDesk
from scoring.ratings.receipts import (
    check_issued_on,
    check_serves_at,
    issue_receipt,
    recent_procedures,
)
from scoring.ratings.resources import ReceiptResource
from scoring.ratings.scope import desks_for, officers_of, receipts_for
from scoring.ratings.slips import slip_for
from scoring.ratings.tally import MIN_RECEIPTS_FOR_COUNTS, desk_counts
from scoring.sheets.imports import ConfirmForm, ImportView, StaleUpload, UploadForm
from scoring.sheets.sheets import Sheet

# --- Receipts: the list ----------------------------------------------------------------------


def desk_choices(request: HttpRequest | None) -> models.QuerySet[ServiceDesk]:
    return desks_for(request.user) if request else ServiceDesk.objects.none()


def officer_choices(request: HttpRequest | None) -> models.QuerySet[Staff]:
    return officers_of(desk_choices(request)) if request else Staff.objects.none()


class ReceiptFilterSet(WagtailFilterSet):
    desk = django_filters.ModelChoiceFilter(queryset=desk_choices, label=_("desk"))
    officer = django_filters.ModelChoiceFilter(queryset=officer_choices, label=_("officer"))
    issued_on = django_filters.DateFromToRangeFilter(label=_("date"), widget=DateRangePickerWidget)

    class Meta:
        model = Receipt
        fields = ["desk", "officer", "issued_on"]


class DayColumn(Column):
    """A date, or a moment's local date, as dd/mm/yyyy (not "3 days ago")."""

    def get_value(self, instance):
        value = super().get_value(instance)
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value).date()
        return value.strftime(DATE_FORMAT) if value else ""


class OwnDeskObjectMixin:
    """A receipt of another desk does not exist for a desk officer (404)."""

    request: HttpRequest

    def get_object(self, queryset=None):
        return get_object_or_404(receipts_for(self.request.user), pk=self.kwargs.get("pk"))


class OwnDesksMixin(OwnDeskObjectMixin):
    """Views whose queryset is receipts: only those of the user's desks."""

    def get_queryset(self):
        return receipts_for(self.request.user)


class ReceiptIndexView(IndexView):
    """The receipts of the user's desks, with this month's counts per desk above.

    The counts do not follow the filters or the search: narrowed to one dossier, a
    count of ratings would tell whether that citizen rated.
    """

    template_name = "scoring/desks/receipt_index.html"

    def get_base_queryset(self):
        return receipts_for(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.results_only:
            context["desk_counts"] = desk_counts(desks_for(self.request.user), timezone.localdate())
            context["min_receipts"] = MIN_RECEIPTS_FOR_COUNTS
            context["import_url"] = (
                reverse("receipts:import") if self.user_has_permission("add") else None
            )
        return context

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            MenuItem(_("Print the slip"), slip_url(instance), icon_name="doc-full", priority=5)
        )
        if self.user_has_permission("change"):
            buttons.append(kiosk_button(instance))
        return buttons


def slip_url(receipt: Receipt) -> str:
    return reverse("receipts:slip", args=[quote(receipt.pk)])


def kiosk_button(receipt: Receipt) -> Button:
    """A POST (through Wagtail's action controller) handing the receipt to the kiosk."""
    return Button(
        _("Hand to the kiosk"),
        icon_name="mobile-alt",
        priority=6,
        attrs={
            "data-controller": "w-action",
            "data-action": "w-action#post",
            "data-w-action-url-value": reverse("receipts:release", args=[quote(receipt.pk)]),
        },
    )


class ReceiptEditForm(WagtailAdminModelForm):
    """Correcting a typing error in the dossier code or the procedure."""

    def clean_dossier_code(self) -> str:
        code = self.cleaned_data["dossier_code"].strip()
        others = Receipt.objects.filter(desk=self.instance.desk_id, dossier_code=code)
        if others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("This dossier already has a receipt at this desk."), code="unique"
            )
        return code


class ReceiptEditView(OwnDesksMixin, generic.EditView):
    def get_usage_url(self):
        # The usage count would show a citizen rating pointing at the receipt.
        return super().get_usage_url() if manages_desks(self.request.user) else None

    @cached_property
    def header_buttons(self):
        return [HeaderButton(_("Print the slip"), url=slip_url(self.object), icon_name="doc-full")]


class ReceiptInspectView(OwnDesksMixin, generic.InspectView):
    @cached_property
    def header_buttons(self):
        return [HeaderButton(_("Print the slip"), url=slip_url(self.object), icon_name="doc-full")]


class ReceiptDeleteView(OwnDesksMixin, generic.DeleteView):
    """The office may delete a receipt made by mistake, unless it has been rated."""

    def get_usage(self):
        return None

    def get_usage_url(self):
        return None

    def form_valid(self, form):
        if hasattr(self.object, "rating"):
            messages.error(
                self.request,
                _("Receipt “%(object)s” has been rated and cannot be deleted.")
                % {"object": self.object},
            )
            return redirect("receipts:index")
        return super().form_valid(form)


class ReceiptHistoryView(OwnDeskObjectMixin, generic.HistoryView):
    """The history lists log entries: only the receipt itself is restricted."""


class ReceiptUsageView(OwnDeskObjectMixin, generic.UsageView):
    """What points at a receipt is its rating: for the office only."""

    def dispatch(self, request, *args, **kwargs):
        if not manages_desks(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


# --- Receipts: the quick form -----------------------------------------------------------------


class DatalistInput(forms.TextInput):
    """A text input that suggests ``options`` through the browser's own autocomplete list."""

    def __init__(self, attrs: dict | None = None, options: list[str] | None = None) -> None:
        super().__init__(attrs)
        self.options = options or []

    def render(self, name, value, attrs=None, renderer=None):
        list_id = f"{(attrs or {}).get('id') or name}-options"
        html = super().render(name, value, {**(attrs or {}), "list": list_id}, renderer)
        options = format_html_join("", '<option value="{}"></option>', ((o,) for o in self.options))
        return format_html('{}<datalist id="{}">{}</datalist>', html, list_id, options)


class ReceiptForm(forms.Form):
    """A receipt in a few seconds: the desk, officer and date come filled in."""

    desk = forms.ModelChoiceField(queryset=ServiceDesk.objects.none(), label=_("desk"))
    dossier_code = forms.CharField(
        label=_("dossier code"),
        max_length=60,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )
    procedure = forms.CharField(label=_("procedure"), max_length=300)
    officer = forms.ModelChoiceField(queryset=Staff.objects.none(), label=_("officer"))
    issued_on = forms.DateField(
        label=_("date"), widget=AdminDateInput, validators=[validate_plausible_date]
    )

    def __init__(
        self, *args: Any, desks: models.QuerySet[ServiceDesk], person: Staff | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["desk"].queryset = desks
        officers = officers_of(desks)
        self.fields["officer"].queryset = officers
        self.fields["procedure"].widget = DatalistInput(options=recent_procedures(desks))
        only_desk = list(desks[:2])
        if len(only_desk) == 1:
            self.fields["desk"].initial = only_desk[0]
        if person is not None and officers.filter(pk=person.pk).exists():
            self.fields["officer"].initial = person
        self.fields["issued_on"].initial = timezone.localdate()
        for field in self.fields.values():
            field.label = capfirst(field.label)

    def clean_issued_on(self) -> datetime.date:
        day = self.cleaned_data["issued_on"]
        check_issued_on(day)
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        desk, officer, code = data.get("desk"), data.get("officer"), data.get("dossier_code")
        if desk and officer:
            try:
                check_serves_at(desk, officer)
            except ValidationError as error:
                self.add_error("officer", error)
        if desk and code and Receipt.objects.filter(desk=desk, dossier_code=code).exists():
            self.add_error("dossier_code", _("This dossier already has a receipt at this desk."))
        return data


def refuse_foreign_desk(request: HttpRequest, desks: models.QuerySet[ServiceDesk]) -> None:
    """A desk the form could not have offered does not exist for this user (404)."""
    value = request.POST.get("desk", "")
    if value and not (value.isdigit() and desks.filter(pk=value).exists()):
        raise Http404


def no_desk(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "scoring/desks/no_desk.html", status=403)


class ReceiptCreateView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Make one receipt and go straight to its slip, ready to print."""

    model = Receipt
    permission_required = "add"
    form_class = ReceiptForm
    template_name = "wagtailadmin/generic/form.html"
    page_title = _("New receipt")
    header_icon = "doc-full"
    index_url_name: str | None = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.desks = desks_for(request.user).filter(active=True)
        if request.user.is_authenticated and not self.desks.exists():
            return no_desk(request)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refuse_foreign_desk(request, self.desks)
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "desks": self.desks,
            "person": staff_of(self.request.user),
        }

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("receipts:index"), "label": _("Receipts")},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            action_url=self.request.path,
            submit_button_label=_("Create and print the slip"),
            submit_button_active_label=_("Creating…"),
            has_unsaved_changes=False,
            media=context["form"].media,
        )
        return context

    def form_valid(self, form: ReceiptForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            receipt = issue_receipt(
                data["desk"],
                data["officer"],
                data["dossier_code"],
                data["procedure"],
                data["issued_on"],
            )
        except IntegrityError:  # made meanwhile by the dossier system or an import
            form.add_error("dossier_code", _("This dossier already has a receipt at this desk."))
            return self.form_invalid(form)
        return redirect(f"{slip_url(receipt)}?print=1")


# --- Receipts: slips and the kiosk -------------------------------------------------------------

SLIP_SIZES = {"a6": _("A6 slip"), "80mm": _("80 mm receipt printer"), "a4": _("A4 sheet of four")}
SLIP_SIZE_SESSION_KEY = "scoring.slip_size"


def slip_size(request: HttpRequest) -> str:
    """The paper asked for (remembered for this person's next slips), A6 by default."""
    size = request.GET.get("size", "")
    if size in SLIP_SIZES:
        request.session[SLIP_SIZE_SESSION_KEY] = size
        return size
    return request.session.get(SLIP_SIZE_SESSION_KEY, "a6")


def render_slips(request: HttpRequest, receipts: list[Receipt], **context: Any) -> HttpResponse:
    size = slip_size(request)
    size_links = [
        (key, label, f"{request.path}?{query_with(request, size=key)}")
        for key, label in SLIP_SIZES.items()
    ]
    response = TemplateResponse(
        request,
        "scoring/desks/slip.html",
        {
            "slips": [slip_for(receipt) for receipt in receipts],
            "size": size,
            "size_links": size_links,
            "auto_print": request.GET.get("print") == "1",
            "can_change": request.user.has_perm("scoring.change_receipt"),
            "index_url": reverse("receipts:index"),
            "add_url": reverse("receipts:add"),
            **context,
        },
    )
    add_never_cache_headers(response)  # the page carries live rating codes
    return response


def query_with(request: HttpRequest, **values: str) -> str:
    query = request.GET.copy()
    query.pop("print", None)
    for key, value in values.items():
        query[key] = value
    return query.urlencode()


class SlipView(PermissionCheckedMixin, TemplateView):
    """The printable slip of one receipt of the user's desks."""

    model = Receipt
    any_permission_required = ["add", "change", "view"]

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        receipt = get_object_or_404(receipts_for(request.user), pk=pk)
        return render_slips(request, [receipt], receipt=receipt)


class SlipSheetView(PermissionCheckedMixin, TemplateView):
    """The slips of several receipts (``?ids=1,2,3``), e.g. those an import just made."""

    model = Receipt
    any_permission_required = ["add", "change", "view"]

    def get(self, request: HttpRequest) -> HttpResponse:
        ids = [int(part) for part in request.GET.get("ids", "").split(",") if part.isdigit()]
        receipts = list(receipts_for(request.user).filter(pk__in=ids).order_by("pk"))
        if not receipts:
            raise Http404
        return render_slips(request, receipts)


class ReleaseToKioskView(PermissionCheckedMixin, TemplateView):
    """POST: the tablet on the counter asks this receipt's questions next."""

    model = Receipt
    permission_required = "change"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        receipt = get_object_or_404(receipts_for(request.user), pk=pk)
        if receipt.is_expired:
            messages.error(request, _("The time to rate this receipt has passed."))
        else:
            release_to_kiosk(receipt.desk, receipt)
            messages.success(
                request,
                _("Dossier %(code)s is on the kiosk of %(desk)s: hand the tablet to the citizen.")
                % {"code": receipt.dossier_code, "desk": receipt.desk.name},
            )
            if not receipt.desk.kiosk_secret_hash:
                messages.warning(
                    request, _("This desk has no kiosk secret yet: no tablet can show it.")
                )
        back = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
            return redirect(back)
        return redirect(slip_url(receipt))


# --- Receipts: importing the day's dossier log -------------------------------------------------

RECEIPTS = Sheet(
    "receipts", ReceiptResource, Receipt, _("Import the dossier log"), "ho-so", "upload"
)


def desk_sheet(desk: ServiceDesk) -> Sheet:
    """The import of one desk: a stored upload is bound to it through the signed token."""
    return dataclasses.replace(RECEIPTS, slug=f"receipts-{desk.pk}")


class ReceiptUploadForm(UploadForm):
    desk = forms.ModelChoiceField(queryset=ServiceDesk.objects.none(), label=_("desk"))

    field_order = ["desk", "file"]

    def __init__(self, *args: Any, desks: models.QuerySet[ServiceDesk], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["desk"].queryset = desks
        self.fields["desk"].label = capfirst(self.fields["desk"].label)
        only_desk = list(desks[:2])
        if len(only_desk) == 1:
            self.fields["desk"].initial = only_desk[0]


class ReceiptConfirmForm(ConfirmForm):
    desk = forms.IntegerField(widget=forms.HiddenInput)


class ReceiptImportView(ImportView):
    """The shared import flow (upload → preview → confirm) for one desk's dossier log."""

    template_name = "scoring/desks/import.html"
    sheet = RECEIPTS
    confirm_form_class = ReceiptConfirmForm
    exportable = False

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.desks = desks_for(request.user).filter(active=True)
        if request.user.is_authenticated and not self.desks.exists():
            return no_desk(request)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request: HttpRequest) -> HttpResponse:
        refuse_foreign_desk(request, self.desks)
        return super().post(request)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("receipts:index"), "label": _("Receipts")},
            {"url": "", "label": self.sheet.title},
        ]

    def upload_form(self, *args: Any) -> ReceiptUploadForm:
        return ReceiptUploadForm(*args, desks=self.desks)

    def target_of(self, form: ReceiptUploadForm) -> ServiceDesk:
        return form.cleaned_data["desk"]

    def confirmed_target(self, form: ReceiptConfirmForm) -> ServiceDesk:
        try:
            return self.desks.get(pk=form.cleaned_data["desk"])
        except ServiceDesk.DoesNotExist:
            raise StaleUpload from None

    def confirm_initial(self, desk: ServiceDesk) -> dict[str, Any]:
        return {"desk": desk.pk}

    def target_of_job(self, job) -> ServiceDesk:
        desk = self.desks.filter(pk=job.payload.get("target")).first()
        if desk is None:
            raise Http404
        return desk

    def target_context(self, desk: ServiceDesk | None) -> dict[str, Any]:
        return {"desk": desk}

    def sheet_for(self, desk: ServiceDesk) -> Sheet:
        return desk_sheet(desk)

    def import_url(self) -> str:
        return reverse("receipts:import")

    def summary(self, outcome: dict[str, Any]) -> str:
        extras = outcome["extras"]
        return _(
            "%(desk)s: receipts created: %(created)d; already issued and skipped: %(skipped)d."
        ) % {
            "desk": self.target_of_job(self.job_of(self.request)).name,
            "created": len(extras["created"]),
            "skipped": len(extras["already_issued"]),
        }

    def done_buttons(self, outcome: dict[str, Any]) -> list[tuple[str, Any]]:
        created = outcome["extras"]["created"]
        if not created:
            return []
        ids = ",".join(str(pk) for pk in created)
        return [(f"{reverse('receipts:slips')}?ids={ids}", _("Print the new slips"))]


# --- Receipts: the viewset ----------------------------------------------------------------------


class ReceiptViewSet(ModelViewSet):
    model = Receipt
    icon = "doc-full"
    menu_label = _("Receipts")
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = ReceiptIndexView
    list_per_page = 50
    add_view_class = ReceiptCreateView
    edit_view_class = ReceiptEditView
    inspect_view_class = ReceiptInspectView
    delete_view_class = ReceiptDeleteView
    history_view_class = ReceiptHistoryView
    usage_view_class = ReceiptUsageView
    filterset_class = ReceiptFilterSet
    search_fields = ["dossier_code", "procedure"]
    search_backend_name = None
    list_display = [
        "dossier_code",
        "procedure",
        "desk",
        "officer",
        DayColumn("issued_on", label=capfirst(_("date")), sort_key="issued_on"),
        DayColumn("expires_at", label=capfirst(_("rating possible until")), sort_key="expires_at"),
    ]
    list_export = ["desk", "dossier_code", "procedure", "officer", "issued_on", "expires_at"]
    inspect_view_fields = [
        "desk",
        "officer",
        "dossier_code",
        "procedure",
        "issued_on",
        "expires_at",
    ]
    edit_handler = ObjectList(
        [FieldPanel("dossier_code"), FieldPanel("procedure")], base_form_class=ReceiptEditForm
    )

    def get_add_view_kwargs(self, **kwargs):
        return kwargs

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("slip/<int:pk>/", SlipView.as_view(), name="slip"),
            path("slips/", SlipSheetView.as_view(), name="slips"),
            path("kiosk/<int:pk>/", ReleaseToKioskView.as_view(), name="release"),
            path("import/", ReceiptImportView.as_view(), name="import"),
        ]
