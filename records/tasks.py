from __future__ import annotations

from celery import shared_task


@shared_task(name="records.tasks.disposal_propose")
def disposal_propose_task() -> int:
    """Monthly: this month's disposal lists, one per agency with dossiers due."""
    from .services import disposal_lists_propose

    return len(disposal_lists_propose())


@shared_task(name="records.tasks.disposal_execute_due")
def disposal_execute_due_task() -> int:
    """Daily safety net: an approved list whose destruction task was lost is run
    again well inside the 15 days Circular 06/2025 allows after the decision."""
    from .services import disposal_execute_due

    return disposal_execute_due()


# The status check under the row lock makes a redelivered job harmless.
@shared_task(name="records.tasks.disposal_execute", acks_late=True, reject_on_worker_lost=True)
def disposal_execute_task(list_id: int) -> str:
    from .services import disposal_execute

    return disposal_execute(list_id).status
