from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = _("Hồ sơ")

    def ready(self) -> None:
        from tthc_portal.workdays.events import calendar_days_edited

        # The applicant's confirmations (submission, payment) listen to the lifecycle.
        from .services import applicant_notices  # noqa: F401
        from .signals import dossier_transitioned
        from .staff_notices import staff_notices_on_transition

        calendar_days_edited.connect(_queue_deadlines_recompute, dispatch_uid="dossiers-deadlines")
        dossier_transitioned.connect(
            staff_notices_on_transition, dispatch_uid="dossiers-staff-notices"
        )


def _queue_deadlines_recompute(sender, days, exception_ids, **kwargs) -> None:
    """A calendar edit committed: recompute the deadlines it moves, in a worker."""
    from .tasks import deadlines_recompute_for_days

    deadlines_recompute_for_days.delay([day.isoformat() for day in days], list(exception_ids))
