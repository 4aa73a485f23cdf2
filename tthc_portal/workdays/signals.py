"""Any change to the exception table (admin, shell, services) refreshes the calendar."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import CalendarException
from .services import calendar_mark_edited


@receiver([post_save, post_delete], sender=CalendarException)
def _invalidate(**_kwargs) -> None:
    calendar_mark_edited()
