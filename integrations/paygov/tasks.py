"""Celery task: the daily PayGov QUERY reconciliation (thin: calls the service)."""

from __future__ import annotations

from celery import shared_task

from .reconcile import paygov_reconcile

__all__ = ["paygov_reconcile_daily"]


@shared_task(name="integrations.tasks.paygov_reconcile_daily", ignore_result=True)
def paygov_reconcile_daily() -> dict:
    report = paygov_reconcile()
    # The report's lists can be long; the beat log keeps the counts.
    return {key: len(value) if isinstance(value, list) else value
            for key, value in report.items()}  # fmt: skip
