from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = _("Hồ sơ")

    def ready(self) -> None:
        from tthc_portal.workdays.events import calendar_days_edited

        calendar_days_edited.connect(_queue_deadlines_recompute, dispatch_uid="dossiers-deadlines")


def _queue_deadlines_recompute(sender, days, exception_ids, **kwargs) -> None:
    """A calendar edit committed: recompute the deadlines it moves, in a worker."""
    from .tasks import deadlines_recompute_for_days

    deadlines_recompute_for_days.delay([day.isoformat() for day in days], list(exception_ids))
