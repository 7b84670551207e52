"""The results pages every site has, created under its home page (home.content's
``ensure_site`` asks here for them)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from .models import MethodologyPage, ResultsIndexPage

RESULTS_SLUG = "ket-qua"
METHODOLOGY_SLUG = "phuong-phap"
TITLES = {ResultsIndexPage: _("Published results"), MethodologyPage: _("How the figures are made")}


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
        results = _ensure(home, ResultsIndexPage, RESULTS_SLUG, str(TITLES[ResultsIndexPage]))
        method = _ensure(home, MethodologyPage, METHODOLOGY_SLUG, str(TITLES[MethodologyPage]))
    return [results, method]


def titles_in(language: str, pages: list[Page]) -> dict[int, dict]:
    """The titles of these results pages in ``language``, for their translations."""
    with translation.override(language):
        return {page.pk: {"title": str(TITLES[type(page)])} for page in pages}
