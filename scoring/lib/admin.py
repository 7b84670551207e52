"""Small pieces every feature's admin pages share: protected deletes, short dates, titles."""

from __future__ import annotations

from django.contrib.admin.utils import quote
from django.db import transaction
from django.db.models import ProtectedError
from django.shortcuts import redirect
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSetGroup

from scoring.lib.spreadsheets import neutralise

# --- Shared ------------------------------------------------------------------------


class ProtectedDeleteView(generic.DeleteView):
    """A delete view that refuses, with a message, rows other rows still point to."""

    protected_message = _("“%(object)s” is still used by other records and cannot be deleted.")

    def refusal(self) -> str | None:
        """Why this object may not be deleted (None: it may)."""
        return None

    def refuse(self, reason: str):
        messages.error(self.request, reason)
        if self.edit_url_name:
            return redirect(self.edit_url_name, quote(self.object.pk))
        return redirect(self.get_success_url())

    def get(self, request, *args, **kwargs):
        if reason := self.refusal():
            return self.refuse(reason)
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        if reason := self.refusal():
            return self.refuse(reason)
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except ProtectedError:
            return self.refuse(self.protected_message % {"object": self.object})


class ShortDateColumn(Column):
    """A date as the locale's short format (05-10-2026), which fits a narrow column."""

    def get_value(self, instance):
        value = super().get_value(instance)
        return date_format(value, "SHORT_DATE_FORMAT") if value else value


def date_column(model, name: str) -> ShortDateColumn:
    label = capfirst(model._meta.get_field(name).verbose_name)
    return ShortDateColumn(name, label=label, sort_key=name)


def live_forms(formset) -> list:
    """The formset's filled-in forms that are not marked for deletion."""
    return [
        form for form in formset.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class TitledMixin(WagtailAdminTemplateMixin):
    """Breadcrumbs that end with the page's own title."""

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class SafeExportMixin:
    """List exports whose CSV cells never run as formulas (Wagtail's XLSX export already
    writes them as text)."""

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {
                field: neutralise(self.preprocess_field_value(field, value, self.FORMAT_CSV))
                for field, value in row_dict.items()
            }
        )


class IndexView(SafeExportMixin, generic.IndexView):
    """The listing every viewset of the domain uses."""


class PagesFirstGroup(ViewSetGroup):
    """A menu group whose own pages (:meth:`page_items`, ordered from 10) come before the
    items of its viewsets (ordered from 110)."""

    def page_items(self) -> list:
        return []

    def get_submenu_items(self):
        viewset_items = super().get_submenu_items()
        for item in viewset_items:
            item.order += 100
        return [*self.page_items(), *viewset_items]
