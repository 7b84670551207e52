"""``manage.py forget_rating_addresses [--days N]`` (daily cron)."""

from __future__ import annotations

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring.management.arguments import TranslatedCommand
from scoring.ratings.retention import forget_addresses


class Command(TranslatedCommand):
    summary = gettext_lazy(
        "Delete the address hashes of citizen ratings older than --days "
        "(default: the RATING_ADDRESS_DAYS setting); the ratings stay."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args, days: int | None, **options) -> None:
        if days is not None and days < 0:
            raise CommandError(_("--days cannot be negative."))
        forgotten = forget_addresses(days=days)
        self.stdout.write(_("Address hashes deleted: %(count)d.") % {"count": forgotten})
