"""The results pages every site has, created under its home page (home.content's
``ensure_site`` asks here for them)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Page

from .models import MethodologyPage, ResultsIndexPage

RESULTS_SLUG = "ket-qua"
METHODOLOGY_SLUG = "phuong-phap"


def _ensure(home: Page, model: type[Page], slug: str, title: str) -> Page:
    """The live ``model`` page under ``home``, created and published once."""
    found = model.objects.child_of(home).filter(locale_id=home.locale_id).first()
    if found is None:
        found = home.add_child(instance=model(title=title, slug=slug))
    if not found.live or found.has_unpublished_changes:
        found.save_revision().publish()
        found.refresh_from_db()
    return found


def ensure_results_pages(home) -> list:
    """Create (once) and publish the results index and methodology pages under ``home``;
    return them. Titles are written in the home page's language (it may be English)."""
    with translation.override(home.locale.language_code):
        results = _ensure(home, ResultsIndexPage, RESULTS_SLUG, _("Published results"))
        method = _ensure(home, MethodologyPage, METHODOLOGY_SLUG, _("How the figures are made"))
    return [results, method]
