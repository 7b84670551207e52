"""Wagtail admin for criteria sets (saved as a new version once in use) and work products."""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib.admin.utils import quote
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from modelcluster.models import get_all_child_m2m_relations, get_all_child_relations
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log

from scoring.lib.admin import IndexView, ProtectedDeleteView, date_column, live_forms
from scoring.organisation.models import Staff

from .models import CriteriaSet, WorkProduct
from .versions import next_version

# --- Criteria sets -----------------------------------------------------------------


class CriteriaSetForm(WagtailAdminModelForm):
    """The set with its groups, lines and bands; checks what spans several rows.

    Lines need a maximum above 0 and a code of their own within the set; the bands give
    each of the four levels once, minimums going down strictly (90/70/50/0).
    """

    categories = forms.MultipleChoiceField(
        label=capfirst(_("staff categories")),
        choices=Staff.Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: the set applies to every category."),
    )

    def clean_categories(self) -> list[str]:
        return list(self.cleaned_data.get("categories") or [])

    def clean_code(self) -> str:
        """A code names one set's line of versions; another set may not take it over."""
        code = self.cleaned_data["code"]
        if code != self.instance.code and CriteriaSet.objects.filter(code=code).exists():
            raise ValidationError(
                _("Another criteria set uses the code “%(code)s”: edit it to make a new version.")
                % {"code": code}
            )
        return code

    def clean(self):
        cleaned_data = super().clean()
        groups, bands = self.formsets["groups"], self.formsets["bands"]
        if groups.is_valid():
            self.check_criteria(groups)
        if bands.is_valid():
            self.check_bands(bands)
        return cleaned_data

    def check_criteria(self, groups) -> None:
        seen: set[str] = set()
        for group_form in live_forms(groups):
            for form in live_forms(group_form.formsets["criteria"]):
                code, max_points = (
                    form.cleaned_data.get("code"),
                    form.cleaned_data.get("max_points"),
                )
                if max_points is not None and max_points <= 0:
                    form.add_error("max_points", _("The maximum must be more than 0 points."))
                if code in seen:
                    form.add_error(
                        "code", _("Code “%(code)s” is used twice in this set.") % {"code": code}
                    )
                seen.add(code)

    def check_bands(self, bands) -> None:
        rows = sorted(
            (form.cleaned_data["level"], form.cleaned_data["minimum"]) for form in live_forms(bands)
        )
        errors = []
        if [level for level, _minimum in rows] != [1, 2, 3, 4]:
            errors.append(_("The bands must give each of the four levels exactly once."))
        minimums = [minimum for _level, minimum in rows]
        if any(better <= worse for better, worse in zip(minimums, minimums[1:], strict=False)):
            errors.append(
                _("Minimums must go down strictly from level 1 to level 4, e.g. 90, 70, 50, 0.")
            )
        bands.non_form_errors().extend(errors)


def detach_children(instance) -> None:
    """Make the in-memory children of ``instance`` (and theirs) insert as new rows.

    Each relation is read while its parent still has its old key, so rows the form did
    not touch are copied too; nothing of the old version is written.
    """
    for relation in get_all_child_relations(instance):
        for child in getattr(instance, relation.get_accessor_name()).get_object_list():
            detach_children(child)
            child.pk = None
            child._state.adding = True
    for field in get_all_child_m2m_relations(instance):
        getattr(instance, field.name).get_object_list()


@transaction.atomic
def save_as_new_version(form: CriteriaSetForm, user) -> CriteriaSet:
    """Store the submitted set as its code's next version; the edited rows stay as they were."""
    copy = form.save(commit=False)
    detach_children(copy)
    copy.pk = None
    copy._state.adding = True
    list(CriteriaSet.objects.select_for_update().filter(code=copy.code).values_list("pk"))
    copy.version = next_version(copy.code)
    copy.save()
    form.save_m2m()
    log(instance=copy, action="wagtail.create", user=user)
    return copy


class CriteriaSetFilterSet(WagtailFilterSet):
    in_use = django_filters.BooleanFilter(
        label=_("in use"), method="filter_in_use", widget=forms.NullBooleanSelect
    )

    class Meta:
        model = CriteriaSet
        fields = ["leaders"]

    def filter_in_use(self, queryset, name, value):
        return queryset.filter(in_use=value)


def with_in_use(queryset):
    """Annotate ``in_use``: whether any sheet was made on the version (one subquery)."""
    # Through the sheets' reverse relation: criteria know nothing of the cycle's models.
    used = CriteriaSet.objects.filter(pk=OuterRef("pk"), evaluations__isnull=False)
    return queryset.annotate(in_use=Exists(used))


class CriteriaSetIndexView(IndexView):
    def get_base_queryset(self):
        return with_in_use(super().get_base_queryset())

    def get_delete_url(self, instance):
        return None if instance.in_use else super().get_delete_url(instance)


class CriteriaSetEditView(generic.EditView):
    """Edits an unused set in place; a set in use is saved as its code's next version."""

    template_name = "scoring/criteria/edit.html"
    new_version: CriteriaSet | None = None
    unchanged = False

    @cached_property
    def in_use(self) -> bool:
        return self.object.is_in_use()

    @cached_property
    def can_delete(self):
        return not self.in_use and super().can_delete

    def save_instance(self):
        if not self.in_use:
            return super().save_instance()
        if not self.form.has_changed():
            self.unchanged = True
            return self.object
        self.new_version = save_as_new_version(self.form, self.request.user)
        return self.new_version

    def get_success_message(self):
        if self.unchanged:
            return _("Nothing changed: the criteria set was kept as it is.")
        if self.new_version:
            return _(
                "The criteria set is in use, so it was saved as a new version (v%(version)s)."
            ) % {"version": self.new_version.version}
        return super().get_success_message()

    def get_success_url(self):
        if self.new_version:
            return reverse(self.edit_url_name, args=[quote(self.new_version.pk)])
        return super().get_success_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["in_use"] = self.in_use
        context["next_version"] = next_version(self.object.code) if self.in_use else None
        context["newest"] = (
            CriteriaSet.objects.filter(code=self.object.code, version__gt=self.object.version)
            .order_by("-version")
            .first()
        )
        return context


class CriteriaSetDeleteView(ProtectedDeleteView):
    def refusal(self):
        if self.object.is_in_use():
            return _(
                "“%(object)s” cannot be deleted: evaluation sheets were scored on it. "
                "Edit it to make a new version instead."
            ) % {"object": self.object}
        return None


class CriteriaSetViewSet(ModelViewSet):
    model = CriteriaSet
    icon = "list-ol"
    menu_label = _("Criteria sets")
    add_to_admin_menu = False
    copy_view_enabled = False
    index_view_class = CriteriaSetIndexView
    edit_view_class = CriteriaSetEditView
    ordering = ["code", "-version"]
    delete_view_class = CriteriaSetDeleteView
    search_fields = ["name", "code"]
    search_backend_name = None
    filterset_class = CriteriaSetFilterSet
    list_display = [
        "name",
        "code",
        "version",
        date_column(CriteriaSet, "effective_from"),
        "leaders",
        BooleanColumn("in_use", label=_("in use"), sort_key="in_use"),
    ]
    list_export = ["code", "version", "name", "effective_from", "leaders", "priority"]
    edit_handler = ObjectList(CriteriaSet.panels, base_form_class=CriteriaSetForm)


# --- Work products -----------------------------------------------------------------


class WorkProductDeleteView(ProtectedDeleteView):
    protected_message = _(
        "“%(object)s” is used in work plans and cannot be deleted; untick “in use” to retire it."
    )


class WorkProductViewSet(ModelViewSet):
    index_view_class = IndexView
    model = WorkProduct
    icon = "clipboard-list"
    menu_label = _("Work product catalogue")
    add_to_admin_menu = False
    copy_view_enabled = False
    delete_view_class = WorkProductDeleteView
    search_fields = ["name", "code"]
    search_backend_name = None
    list_filter = ["active"]
    list_display = ["name", "code", "weight", BooleanColumn("active", label=_("in use"))]
    list_export = ["code", "name", "weight", "active"]
    form_fields = ["code", "name", "weight", "active"]
