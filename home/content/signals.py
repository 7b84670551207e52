"""Editors' changes that a cached public page may show clear the page cache."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from home.cache import content_changed

from .models import FooterSettings, MenuItem, MenuSettings

WATCHED = (FooterSettings, MenuItem, MenuSettings, PageViewRestriction, Site)


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def _page_changed(sender, **kwargs):
    content_changed()


@receiver(post_save)
@receiver(post_delete)
def _row_changed(sender, instance, **kwargs):
    if isinstance(instance, WATCHED) or (
        kwargs.get("signal") is post_delete and isinstance(instance, Page)
    ):
        content_changed()
