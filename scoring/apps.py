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
        from scoring.lib import checks  # noqa: F401  (deployment checks register)
        from scoring.ratings import retention  # noqa: F401  (a daily task)
        from scoring.sheets import jobs as sheet_jobs  # noqa: F401

        self._connect_logins()

    def _connect_logins(self) -> None:
        """Logins, failures, lockouts and role changes go to the audit log."""
        from axes.signals import user_locked_out
        from django.contrib.auth import get_user_model, user_logged_in, user_login_failed
        from django.db.models.signals import m2m_changed

        from scoring.access import logins, twofactor

        user_logged_in.connect(logins.logged_in, dispatch_uid="portal.login")
        user_logged_in.connect(twofactor.remember_step, dispatch_uid="portal.two_factor_step")
        user_login_failed.connect(logins.login_failed, dispatch_uid="portal.login_failed")
        user_locked_out.connect(logins.locked_out, dispatch_uid="portal.locked_out")
        m2m_changed.connect(
            logins.roles_changed,
            sender=get_user_model().groups.through,
            dispatch_uid="portal.roles_changed",
        )
