"""Wagtail admin for the questions citizens answer (exactly one is the overall one)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from scoring.lib.admin import live_forms
from scoring.ratings.models import CitizenRating, QuestionSet

Moderation = CitizenRating.Moderation

# --- Question sets -------------------------------------------------------------------


class QuestionSetForm(WagtailAdminModelForm):
    """A set needs exactly one overall question, distinct codes, and a fixed scale once used."""

    def clean(self):
        cleaned_data = super().clean()
        questions = self.formsets["questions"]
        if questions.is_valid():
            self.check_questions(live_forms(questions))
        if (
            self.instance.pk
            and "scale" in self.changed_data
            and CitizenRating.objects.filter(question_set=self.instance).exists()
        ):
            self.add_error(
                "scale",
                _("Citizens have answered this set: make a new set to change the scale."),
            )
        return cleaned_data

    def check_questions(self, forms_) -> None:
        overall = [f for f in forms_ if f.cleaned_data.get("is_overall")]
        if len(overall) != 1:
            self.add_error(
                None,
                _(
                    "Exactly one question must be marked “overall satisfaction”: "
                    "the satisfaction ratio counts its answers (%(count)d marked)."
                )
                % {"count": len(overall)},
            )
        seen: set[str] = set()
        for form in forms_:
            code = form.cleaned_data.get("code")
            if code in seen:
                message = _("Code “%(code)s” is used by two questions of this set.")
                form.add_error("code", message % {"code": code})
            seen.add(code)


class QuestionSetDeleteView(generic.DeleteView):
    """A set citizens have answered stays: their ratings refer to it."""

    def used(self) -> bool:
        return CitizenRating.objects.filter(question_set=self.object).exists()

    def refuse(self):
        messages.error(
            self.request,
            _("Citizens have answered “%(set)s”: it cannot be deleted.") % {"set": self.object},
        )
        return redirect(self.index_url_name)

    def get(self, request, *args, **kwargs):
        return self.refuse() if self.used() else super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.refuse() if self.used() else super().post(request, *args, **kwargs)


class QuestionSetViewSet(ModelViewSet):
    model = QuestionSet
    icon = "list-ol"
    menu_label = gettext_lazy("Question sets")
    menu_name = "question-sets"
    add_to_admin_menu = False
    copy_view_enabled = False
    delete_view_class = QuestionSetDeleteView
    list_display = [
        "name",
        "scale",
        "effective_from",
        Column("question_count", label=gettext_lazy("questions")),
    ]
    list_export = ["name", "scale", "effective_from"]
    search_fields = ["name"]
    search_backend_name = None
    edit_handler = ObjectList(QuestionSet.panels, base_form_class=QuestionSetForm)

    def get_queryset(self, request):
        return QuestionSet.objects.annotate(question_count=Count("questions"))
