"""``manage.py forget_rating_addresses [--days N]`` (daily cron)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring.ratings.retention import forget_addresses


class Command(BaseCommand):
    help = gettext_lazy(
        "Delete the address hashes of citizen ratings older than --days "
        "(default: the RATING_ADDRESS_DAYS setting); the ratings stay."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.description = str(self.help)  # argparse cannot wrap a lazy string
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args, days: int | None, **options) -> None:
        if days is not None and days < 0:
            raise CommandError(_("--days cannot be negative."))
        forgotten = forget_addresses(days=days)
        self.stdout.write(_("Address hashes deleted: %(count)d.") % {"count": forgotten})
