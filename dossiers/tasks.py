from __future__ import annotations

from celery import shared_task


@shared_task(name="dossiers.tasks.document_render", autoretry_for=(OSError,), max_retries=3)
def document_render(document_id: int) -> str:
    from .services.pdf import document_render as render

    return render(document_id)


@shared_task(name="dossiers.tasks.documents_requeue")
def documents_requeue() -> int:
    from .services.documents import documents_requeue_stale

    return documents_requeue_stale()


@shared_task(name="dossiers.tasks.deadlines_sweep")
def deadlines_sweep() -> dict:
    from .services.overdue import deadlines_sweep as sweep

    return vars(sweep())
