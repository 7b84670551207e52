from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "scoring"
    verbose_name = _("Evaluation and scoring")

    def ready(self) -> None:
        # Job kinds register themselves when their module is imported; the background
        # workers need to know them as much as the web processes do.
        from scoring.cycle import jobs as cycle_jobs  # noqa: F401
        from scoring.sheets import jobs as sheet_jobs  # noqa: F401
