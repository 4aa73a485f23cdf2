from __future__ import annotations

from celery import shared_task


# Routed to the "documents" queue (tthc_portal/celery.py). Acknowledged after
# the render, and put back on the queue if the worker process dies mid-render:
# the redelivered job (same task id) takes its own dead claim over at once.
@shared_task(
    bind=True,
    name="dossiers.tasks.document_render",
    autoretry_for=(OSError,),
    max_retries=3,
    acks_late=True,
    reject_on_worker_lost=True,
)
def document_render(self, document_id: int) -> str:
    from .services.pdf import document_render as render

    return render(document_id, task_id=self.request.id or "")


@shared_task(name="dossiers.tasks.documents_requeue")
def documents_requeue() -> int:
    from .services.documents import documents_requeue_stale

    return documents_requeue_stale()


@shared_task(name="dossiers.tasks.deadlines_sweep")
def deadlines_sweep() -> dict:
    from .services.overdue import deadlines_sweep as sweep

    return vars(sweep())


@shared_task(name="dossiers.tasks.deadlines_recompute_for_days")
def deadlines_recompute_for_days(days: list[str], exception_ids: list[int]) -> dict:
    """After a holiday-calendar edit: the stored deadlines of the open dossiers
    and steps that span the edited days, computed again."""
    from datetime import date

    from .services.calendar_recompute import deadlines_recompute_for_days as recompute

    report = recompute([date.fromisoformat(day) for day in days], exception_ids=exception_ids)
    return report.as_dict()
