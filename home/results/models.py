"""The published results: home page figures, the results index, unit and methodology pages.

Every figure comes from :mod:`scoring.publishing.public` (released months only); each
response is the same for every visitor and marked with :func:`home.cache.cache_public`,
so it is rendered once per release.
"""

from __future__ import annotations

from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField
from wagtail.models import Page

from home.cache import cache_public
from scoring.publishing import public

from . import signals, views

__all__ = ["HomePage", "MethodologyPage", "ResultsIndexPage"]


class HomePage(Page):
    """The public site's front page: the latest released month's headline figures."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    max_count = 1
    subpage_types: list[str] = [
        "home.ResultsIndexPage",
        "home.MethodologyPage",
        "home.NewsIndexPage",
        "home.StandardPage",
        "home.PrivacyPage",
    ]
    template = "home/results/home_page.html"

    def __str__(self) -> str:
        return self.title

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context.update(views.home_context(self, request))
        return context

    def serve(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return cache_public(super().serve(request, *args, **kwargs))


class ResultsIndexPage(RoutablePageMixin, Page):
    """The released months (``/ket-qua/``), one month's units (``/ket-qua/2026-05/``), an
    earlier release of it (``…/ban-1/``) and a page for every released unit
    (``/ket-qua/don-vi/<code>/``), all generated from the releases: no editor work."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("results index")
        verbose_name_plural = _("results indexes")

    max_count = 1
    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    template = "home/results/results_index_page.html"

    def __str__(self) -> str:
        return self.title

    def month_url(self, request: HttpRequest, key: str, number: int | None = None) -> str:
        base = self.get_url(request) or ""
        year, month = key.split("-")
        if number is None:
            return base + self.reverse_subpage("month", kwargs={"year": year, "month": month})
        return base + self.reverse_subpage(
            "release", kwargs={"year": year, "month": month, "number": str(number)}
        )

    def unit_url(self, request: HttpRequest, code: str) -> str:
        base = self.get_url(request) or ""
        return base + self.reverse_subpage("unit", kwargs={"code": quote(code, safe="")})

    @path("")
    def index(self, request: HttpRequest) -> HttpResponse:
        months = public.released_months()
        context = views.index_context(self, request, months)
        return self._answer(request, "home/results/results_index_page.html", context)

    @re_path(r"^(?P<year>\d{4})-(?P<month>\d{2})/$", name="month")
    def month(self, request: HttpRequest, year: str, month: str) -> HttpResponse:
        release = public.released_month(*views.month_or_404(year, month))
        if release is None:
            raise Http404(_("No results were released for this month."))
        context = views.month_context(self, request, release, latest=release.number)
        return self._answer(request, "home/results/results_month.html", context)

    @re_path(r"^(?P<year>\d{4})-(?P<month>\d{2})/ban-(?P<number>[1-9]\d{0,3})/$", name="release")
    def release(self, request: HttpRequest, year: str, month: str, number: str) -> HttpResponse:
        found = views.month_or_404(year, month)
        release = public.released_month(*found, number=int(number))
        current = public.released_month(*found)
        if release is None or current is None:
            raise Http404(_("No such release of this month."))
        context = views.month_context(self, request, release, latest=current.number)
        return self._answer(request, "home/results/results_month.html", context)

    @re_path(r"^don-vi/(?P<code>[^/]{1,80})/$", name="unit")
    def unit(self, request: HttpRequest, code: str) -> HttpResponse:
        months = public.unit_months(code)
        if not months:
            raise Http404(_("No results were released for this unit."))
        context = views.unit_context(self, request, months)
        return self._answer(request, "home/results/results_unit.html", context)

    def _answer(self, request: HttpRequest, template: str, context: dict) -> HttpResponse:
        response = self.render(request, template=template, context_overrides=context)
        if context.get("canonical", True):
            cache_public(response)
        return response


class MethodologyPage(Page):
    """How the figures are made, generated from the criteria, bands, rules and calendar
    in force (``home.results.methodology``); editors write only the introduction."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("methodology page")
        verbose_name_plural = _("methodology pages")

    max_count = 1
    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    template = "home/results/methodology_page.html"

    def __str__(self) -> str:
        return self.title

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context.update(views.methodology_context(self, request))
        return context

    def serve(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return cache_public(super().serve(request, *args, **kwargs))


signals.connect()
