from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

__all__ = ["HomePage"]


class HomePage(Page):
    """The public site's front page: an introduction written by the home-affairs office."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    max_count = 1
    subpage_types: list[str] = []

    def __str__(self) -> str:
        return self.title
