from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="tthc_portal.notifications.tasks.outbox_send")
def outbox_send(message_id: int) -> str:
    return services.outbox_deliver(message_id)


@shared_task(name="tthc_portal.notifications.tasks.outbox_send_batch")
def outbox_send_batch(message_ids: list[int]) -> int:
    """Messages queued together (one event's email and SMS, a sweep's reminders)."""
    return sum(services.outbox_deliver(pk) == "sent" for pk in message_ids)


@shared_task(name="tthc_portal.notifications.tasks.outbox_flush")
def outbox_flush() -> int:
    """Beat job: retry failed messages and pick up any whose dispatch was lost."""
    ids = services.outbox_due_ids()
    for message_id in ids:
        services.outbox_deliver(message_id)
    return len(ids)


@shared_task(name="tthc_portal.notifications.tasks.notifications_purge")
def notifications_purge() -> dict[str, int]:
    """Nightly: delivered messages and read notices past their retention."""
    return services.notifications_purge()
