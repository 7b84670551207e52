"""``manage.py seed_demo_site``: the public site's pages, menu and footer, and demo news."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from home.content.demo import seed_demo_site


class Command(BaseCommand):
    help = (
        "Build the public site: the news, about and privacy pages, the results pages, their "
        "English translations, the default menu and footer, and a few demo news articles "
        "in both languages. Safe to run again; what exists is left as it is."
    )

    def handle(self, *args, **options) -> None:
        articles = seed_demo_site()
        self.stdout.write(
            _("Public site ready: %(count)d news articles in Vietnamese and English.")
            % {"count": len(articles)}
        )
