"""Editors' pages and site settings: news, standard pages, the menu and the footer."""

from __future__ import annotations

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from home.cache import cache_public

from .blocks import BodyBlock
from .privacy import facts
from .public import private_section, public_live

__all__ = [
    "FooterSettings",
    "MenuItem",
    "MenuSettings",
    "NewsIndexPage",
    "NewsPage",
    "StandardPage",
]

NEWS_PER_PAGE = 10


class PublicPageMixin:
    """A page whose rendering is the same for every visitor, cached per release unless
    it lies in a private section (whose visitors were let in by a password or a login)."""

    def serve(self, request: HttpRequest, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if response.status_code == 200 and not self.is_in_private_section():
            cache_public(response)
        return response

    def is_in_private_section(self) -> bool:
        """Whether a view restriction covers this page (one query)."""
        return Page.objects.filter(pk=self.pk).filter(private_section()).exists()


class StandardPage(PublicPageMixin, Page):
    """A plain page written by editors: about the portal, a privacy notice, a guide."""

    introduction = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")

    def __str__(self) -> str:
        return self.title


class PrivacyPage(PublicPageMixin, Page):
    """The privacy notice: what a rating stores and for how long, who sees what, what
    is published. Generated from the settings and data in force (``home.content.privacy``);
    editors write only the introduction. At ``/quyen-rieng-tu/`` and ``/en/privacy/``."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]

    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    template = "home/privacy_page.html"

    class Meta:
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")

    def __str__(self) -> str:
        return self.title

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["facts"] = facts()
        return context


class NewsIndexPage(PublicPageMixin, RoutablePageMixin, Page):
    """The list of news articles, newest first, with its RSS feed at ``rss/``."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.NewsPage"]

    class Meta:
        verbose_name = _("news index page")
        verbose_name_plural = _("news index pages")

    def __str__(self) -> str:
        return self.title

    def articles(self):
        """The live public articles under this index, newest first."""
        articles = public_live(NewsPage.objects.child_of(self))
        return articles.defer_streamfields().order_by("-date", "-first_published_at", "-pk")

    def paginate(self, request: HttpRequest) -> PaginatorPage:
        """The asked page of articles: a number past the end gives the last page, anything
        that is not a number the first."""
        return Paginator(self.articles(), NEWS_PER_PAGE).get_page(request.GET.get("page"))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = self.paginate(request)
        return context

    @path("")
    def index(self, request):
        return self.render(request)

    @path("rss/")
    def feed(self, request):
        from .feeds import NewsFeed

        return NewsFeed(self)(request)


class NewsPage(PublicPageMixin, Page):
    """One news article: the locality's monthly report, a survey, a correction notice."""

    date = models.DateField(_("date"), default=timezone.localdate)
    summary = models.TextField(
        _("summary"), max_length=500, help_text=_("One or two sentences shown in lists.")
    )
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]

    parent_page_types = ["home.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("news page")
        verbose_name_plural = _("news pages")

    def __str__(self) -> str:
        return self.title


@register_setting(icon="list-ul")
class MenuSettings(ClusterableModel, BaseSiteSetting):
    """The public site's main menu, in order: pages of the site or other addresses.

    A page link shows the page's title in the visitor's language and leads to its
    translation; an external link shows its label in the visitor's language."""

    panels = [InlinePanel("items", label=_("menu items"))]

    class Meta:
        verbose_name = _("menu")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class MenuItem(Orderable):
    """One entry of the main menu: a page, or an external address with its label."""

    menu = ParentalKey(MenuSettings, on_delete=models.CASCADE, related_name="items")
    page = models.ForeignKey(
        Page,
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    url = models.URLField(_("external address"), blank=True)
    label = models.CharField(
        _("label"), max_length=100, blank=True, help_text=_("Empty: the page's title.")
    )
    label_en = models.CharField(_("label in English"), max_length=100, blank=True)

    panels = [FieldPanel("page"), FieldPanel("url"), FieldPanel("label"), FieldPanel("label_en")]

    class Meta(Orderable.Meta):
        verbose_name = _("menu item")
        verbose_name_plural = _("menu items")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(page__isnull=False) | ~models.Q(url="")),
                name="home_menuitem_page_or_url",
            )
        ]

    def __str__(self) -> str:
        return self.label or self.url or str(self.page_id)

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.page_id is None and not self.url:
            raise ValidationError(_("Choose a page or type an external address."))
        if self.page_id is None and not self.label:
            raise ValidationError({"label": _("An external link needs a label.")})

    def label_for(self, language: str) -> str:
        """The label in ``language`` (English falls back to the Vietnamese one)."""
        if language == "en" and self.label_en:
            return self.label_en
        return self.label


@register_setting(icon="doc-full")
class FooterSettings(BaseSiteSetting):
    """The footer of every public page: who publishes the portal, how to reach them, and
    the licence of the published figures; each in Vietnamese, optionally in English."""

    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    publisher_en = models.CharField(_("publisher in English"), max_length=200, blank=True)
    address = models.TextField(_("address"), blank=True)
    address_en = models.TextField(_("address in English"), blank=True)
    contact = models.TextField(_("contact"), blank=True, help_text=_("Telephone, e-mail."))
    contact_en = models.TextField(_("contact in English"), blank=True)
    licence = models.TextField(_("licence line"), blank=True)
    licence_en = models.TextField(_("licence line in English"), blank=True)

    panels = [
        MultiFieldPanel([FieldPanel("publisher"), FieldPanel("publisher_en")], _("Publisher")),
        MultiFieldPanel([FieldPanel("address"), FieldPanel("address_en")], _("Address")),
        MultiFieldPanel([FieldPanel("contact"), FieldPanel("contact_en")], _("Contact")),
        MultiFieldPanel([FieldPanel("licence"), FieldPanel("licence_en")], _("Licence")),
    ]

    class Meta:
        verbose_name = _("footer")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    def text(self, name: str, language: str | None = None) -> str:
        """Field ``name`` in ``language`` (the active one by default); English falls back
        to the Vietnamese text."""
        language = language or translation.get_language()
        if language == "en":
            return getattr(self, f"{name}_en") or getattr(self, name)
        return getattr(self, name)


from . import signals  # noqa: E402, F401  (the page cache follows editors' changes)
