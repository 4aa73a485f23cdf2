from __future__ import annotations

from celery import shared_task

from ..sync import sender

__all__ = ["sync_dossier", "sync_flush"]


@shared_task(name="integrations.tasks.sync_dossier", ignore_result=True)
def sync_dossier(dossier_id: int) -> str:
    """After-commit dispatch of one dossier's new rows."""
    return sender.sync_dossier_send(dossier_id)


@shared_task(name="integrations.tasks.sync_flush", ignore_result=True)
def sync_flush() -> int:
    """Beat job: whatever is due (retries after backoff, lost dispatches)."""
    return sender.sync_drain().sent
