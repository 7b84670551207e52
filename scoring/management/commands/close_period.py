"""``manage.py close_period YYYY-MM``: compute and freeze every sheet of a month."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring.cycle import periods
from scoring.management import arguments


class Command(arguments.MonthCommand):
    summary = gettext_lazy(
        "Close a month (khóa sổ): compute and freeze every sheet; nothing in it can change "
        "afterwards. Closing a closed month changes nothing."
    )

    def handle(self, *args, month: str, **options) -> None:
        period = arguments.period(month)
        if period.is_closed:
            self.stdout.write(_("Month %(period)s is already closed.") % {"period": period})
            return
        period = periods.close_period(period)
        self.stdout.write(
            self.style.SUCCESS(
                _("Month %(period)s closed: %(count)d sheets computed and frozen.")
                % {"period": period, "count": period.evaluations.count()}
            )
        )
