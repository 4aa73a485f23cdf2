from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "tthc_portal.workdays"
    label = "workdays"
    verbose_name = _("Lịch làm việc")

    def ready(self) -> None:
        from . import checks, signals  # noqa: F401

        post_migrate.connect(_install_official_calendar, sender=self)


def _install_official_calendar(sender, using: str = "default", plan=None, **kwargs) -> None:
    """Every installation counts the official holidays after ``migrate``."""
    from django.db import connections

    from .official import calendar_install_official

    tables = set(connections[using].introspection.table_names())
    if not {"workdays_officialcalendarrelease", "audit_auditevent"} <= tables:
        return  # migrated only part way (e.g. back to an earlier state)
    calendar_install_official(using=using)
