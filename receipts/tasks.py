from __future__ import annotations

from celery import shared_task


# Routed like the documents queue: acknowledged late, the claim (compare-and-set)
# makes a redelivered job harmless.
@shared_task(name="receipts.tasks.receipt_issue", acks_late=True, reject_on_worker_lost=True)
def receipt_issue_task(receipt_id: int) -> str:
    from .services import receipt_issue

    receipt = receipt_issue(receipt_id)
    return receipt.status if receipt is not None else "skipped"


@shared_task(name="receipts.tasks.receipts_sweep")
def receipts_sweep_task() -> int:
    from .services import receipts_sweep

    return receipts_sweep()
