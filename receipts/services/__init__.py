"""Receipt services. Public API:

- ``receipt_request(payment, method, series=None, actor=None)`` — in the payment's
  transaction: takes the number, writes the receipt row (the outbox), issues after commit;
- ``receipt_issue(receipt_id)`` — the worker's idempotent issue (look up by key first);
- ``receipts_sweep()`` — beat: due retries and dead claims;
- ``receipt_notice`` / ``receipt_replace`` / ``receipt_void`` — Circular 91 corrections;
- ``number_take(series_id)`` — the next number of a collection point's range.
"""

from __future__ import annotations


class ReceiptError(Exception):
    """A refused receipt operation; ``message`` is for the officer (Vietnamese)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


from .corrections import receipt_notice, receipt_replace, receipt_void  # noqa: E402
from .issue import receipt_issue, receipt_request, receipt_retry, receipts_sweep  # noqa: E402
from .numbering import number_take, series_for  # noqa: E402

__all__ = [
    "ReceiptError",
    "number_take",
    "receipt_issue",
    "receipt_notice",
    "receipt_replace",
    "receipt_request",
    "receipt_retry",
    "receipt_void",
    "receipts_sweep",
    "series_for",
]
