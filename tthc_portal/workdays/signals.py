"""Any change to the exception table (admin, shell, services) refreshes the calendar."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import CalendarException
from .services import calendar_forget_local, calendar_invalidate


@receiver([post_save, post_delete], sender=CalendarException)
def _invalidate(**_kwargs) -> None:
    # This process sees its own uncommitted change at once; other processes
    # (workers) only once it is committed.
    calendar_forget_local()
    transaction.on_commit(calendar_invalidate)
