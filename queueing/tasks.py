from __future__ import annotations

from celery import shared_task


@shared_task
def appointment_reminders_send() -> int:
    """Daily (beat): SMS and e-mail reminders for tomorrow's bookings."""
    from .services.appointments import appointment_reminders_queue

    return appointment_reminders_queue()
