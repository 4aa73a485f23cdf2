"""Any change to the exception table (admin, shell, services) refreshes the
calendar, then recomputes the stored deadlines the edited days can move."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .models import CalendarException
from .services import calendar_deadlines_schedule, calendar_mark_edited


@receiver([post_save, post_delete], sender=CalendarException)
def _invalidate(**_kwargs) -> None:
    # Connected first: the calendar is announced before the recomputation runs.
    calendar_mark_edited()


@receiver(pre_save, sender=CalendarException)
def _remember_before(instance: CalendarException, raw: bool = False, **_kwargs) -> None:
    """The stored day and kind, to tell a real change from a renamed label."""
    instance._stored = None
    if instance.pk is not None and not raw:
        instance._stored = (
            CalendarException.objects.filter(pk=instance.pk).values_list("date", "kind").first()
        )


@receiver(post_save, sender=CalendarException)
def _recompute_after_save(instance: CalendarException, created: bool, **_kwargs) -> None:
    stored = getattr(instance, "_stored", None)
    if not created and stored == (instance.date, instance.kind):
        return  # only the name or source changed: no working time moves
    calendar_deadlines_schedule(instance.date, instance.pk)
    if stored is not None and stored[0] != instance.date:
        calendar_deadlines_schedule(stored[0], instance.pk)


@receiver(post_delete, sender=CalendarException)
def _recompute_after_delete(instance: CalendarException, **_kwargs) -> None:
    calendar_deadlines_schedule(instance.date, instance.pk)
