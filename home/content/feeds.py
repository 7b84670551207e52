"""The news feed (RSS 2.0) of one news index, in the index's language."""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed

FEED_LENGTH = 20


class NewsFeed(Feed):
    """The newest live public articles of ``index``, newest first."""

    feed_type = Rss201rev2Feed

    def __init__(self, index):
        super().__init__()
        self.index = index
        self.language = index.locale.language_code

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return self.index

    def title(self, index):
        return index.title

    def link(self, index):
        return index.get_url(self.request)

    def description(self, index):
        return index.introduction or index.title

    def items(self, index):
        return index.articles()[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_url(self.request)

    def item_pubdate(self, item):
        moment = datetime.datetime.combine(item.date, datetime.time(8))
        return timezone.make_aware(moment)

    def item_updateddate(self, item):
        return item.last_published_at
