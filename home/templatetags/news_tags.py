"""The latest news, for the home page (home.content owns the news pages)."""

from django import template
from django.utils import translation

from home.content.models import NewsPage
from home.content.public import public_live

register = template.Library()


@register.simple_tag(takes_context=True)
def latest_news(context, limit: int = 3) -> list:
    """The newest published news pages of the current language, newest first (one
    query; the body is not read)."""
    articles = public_live(NewsPage.objects.all()).filter(
        locale__language_code=translation.get_language()
    )
    ordered = articles.defer_streamfields().order_by("-date", "-first_published_at", "-pk")
    return list(ordered[: max(0, int(limit))])
