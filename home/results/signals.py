"""The methodology page is generated from the criteria, question sets and periods in
force, which change without a release: when one of them is saved or deleted, the
cached public pages (kept per release and content state by home.cache) are dropped.

The drop renames the content state the page cache keys on, so it works on every app
server sharing the cache.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from home import cache as public_cache
from scoring.calendar.models import Period
from scoring.criteria.models import ClassificationBand, CriteriaSet, Criterion, CriterionGroup
from scoring.ratings.models import Question, QuestionSet

LINKS = "results:links"
SOURCES = (
    CriteriaSet,
    CriterionGroup,
    Criterion,
    ClassificationBand,
    QuestionSet,
    Question,
    Period,
)


def forget_methodology(**_kwargs) -> None:
    """The data the methodology page is drawn from changed: every cached public page is
    read afresh (they change rarely; one name in the cache, ``home.cache``)."""
    public_cache.content_changed()


def links_key(host: str, locale_id: int) -> str:
    """Where the addresses of the results and methodology pages are kept; the version
    part changes whenever a page is published, unpublished, moved or deleted."""
    generation = cache.get(LINKS) or 0
    return f"{LINKS}:{generation}:{host}:{locale_id}"


def forget_links(**_kwargs) -> None:
    try:
        cache.incr(LINKS)
    except ValueError:
        cache.set(LINKS, 1, None)


def connect() -> None:
    page_published.connect(forget_links, dispatch_uid="results-links-published")
    page_unpublished.connect(forget_links, dispatch_uid="results-links-unpublished")
    post_page_move.connect(forget_links, dispatch_uid="results-links-moved")
    post_delete.connect(forget_links, sender=Page, dispatch_uid="results-links-deleted")
    for model in SOURCES:
        post_save.connect(
            forget_methodology, sender=model, dispatch_uid=f"methodology-{model.__name__}"
        )
        post_delete.connect(
            forget_methodology, sender=model, dispatch_uid=f"methodology-del-{model.__name__}"
        )
