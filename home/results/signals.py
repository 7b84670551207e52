"""The methodology page is generated from the criteria, question sets and periods in
force, which change without a release: when one of them is saved or deleted, the
cached copies of the page (kept per release by home.cache) are dropped.

The page remembers the cache keys it was stored under (every language and host), so
the drop works on every app server sharing the cache.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from home import cache as public_cache
from scoring.calendar.models import Period
from scoring.criteria.models import ClassificationBand, CriteriaSet, Criterion, CriterionGroup
from scoring.publishing import public
from scoring.ratings.models import Question, QuestionSet

KEYS = "results:methodology-keys"
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


def remember(request: HttpRequest) -> None:
    """Note the key the page cache will store this methodology answer under."""
    key = public_cache._key(request, public.version())
    known = cache.get(KEYS) or []
    if key not in known:
        cache.set(KEYS, [*known[-49:], key], None)


def forget_methodology(**_kwargs) -> None:
    """Drop every cached copy of the methodology page."""
    known = cache.get(KEYS) or []
    if known:
        cache.delete_many(known)
    cache.delete(KEYS)


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
