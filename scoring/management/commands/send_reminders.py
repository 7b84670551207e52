"""``manage.py send_reminders [--days N] [--today YYYY-MM-DD] [--dry-run]`` (for cron)."""

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring.cycle import reminders
from scoring.management import arguments
from scoring.management.arguments import TranslatedCommand


class Command(TranslatedCommand):
    summary = gettext_lazy(
        "E-mail everyone whose work plan, self-scoring or evaluation is due within N days "
        "or overdue: one digest per person, in Vietnamese."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=2,
            help=gettext_lazy("Remind of deadlines within this many days (default %(default)s)."),
        )
        parser.add_argument(
            "--today",
            help=gettext_lazy("The day to count from, YYYY-MM-DD (default: today)."),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=gettext_lazy("Count and list the reminders without sending any e-mail."),
        )

    def handle(self, *args, days: int, today: str | None, dry_run: bool, **options) -> None:
        if days < 0:
            raise CommandError(_("--days must be zero or more."))
        result = reminders.send_reminders(arguments.day(today, "--today"), days, dry_run=dry_run)
        self._write_counts(result)
        self._write_unreachable(result, verbose=options["verbosity"] > 1)
        if dry_run:
            self.stdout.write(
                _("Dry run: %(number)d digests would be sent; nothing was sent.")
                % {"number": len(result.to_send)}
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(_("Digests sent: %(number)d.") % {"number": result.sent})
            )

    def _write_counts(self, result: reminders.Reminders) -> None:
        self.stdout.write(
            _("Reminders for %(today)s (deadlines up to %(horizon)s):")
            % {"today": f"{result.today:%d/%m/%Y}", "horizon": f"{result.horizon:%d/%m/%Y}"}
        )
        self.stdout.write(
            "  " + _("work plan due: %(number)d people") % {"number": result.people(reminders.PLAN)}
        )
        self.stdout.write(
            "  "
            + _("self-scoring due: %(number)d people")
            % {"number": result.people(reminders.SELF_SCORING)}
        )
        self.stdout.write(
            "  "
            + _("evaluation due: %(number)d evaluators, %(sheets)d sheets waiting")
            % {"number": result.people(reminders.EVALUATION), "sheets": result.sheets_waiting}
        )

    def _write_unreachable(self, result: reminders.Reminders, verbose: bool) -> None:
        missing = result.without_email
        if missing:
            self.stdout.write(
                self.style.WARNING(
                    _("People without an e-mail address, not reminded: %(number)d.")
                    % {"number": len(missing)}
                )
            )
        if verbose:
            for digest in missing:
                self.stdout.write(f"  {digest.person.full_name} ({digest.person.code})")
        if result.unrouted:
            self.stdout.write(
                self.style.WARNING(
                    _("Submitted sheets with no evaluator or council: %(number)d.")
                    % {"number": result.unrouted}
                )
            )
