"""Celery tasks: reconciliation, official figures, alert, log retention (see
integrations/reconcile). Thin: they find the target and call a service."""

from __future__ import annotations

from celery import shared_task

from indicators.services.periods import period_current, period_previous

from .. import reconcile
from ..config import active_target

__all__ = ["national_figures_nightly", "reconcile_nightly", "sync_alert_check", "sync_log_purge"]


@shared_task(name="integrations.tasks.reconcile_nightly", ignore_result=True)
def reconcile_nightly() -> int:
    """Beat job (nightly): compare open and recently closed dossiers with the hub."""
    target = active_target()
    if target is None:
        return 0
    return reconcile.reconcile_run(target).differences


@shared_task(name="integrations.tasks.national_figures_nightly", ignore_result=True)
def national_figures_nightly() -> int:
    """Beat job (nightly): the hub's counts and official 766 values of the open
    month and of the month before while it is still open."""
    target = active_target()
    if target is None:
        return 0
    current = period_current()
    fetched = 0
    for period in (period_previous(current), current):
        if not period.is_published:
            fetched += reconcile.national_figures_fetch(target, period).figures
    return fetched


@shared_task(name="integrations.tasks.sync_alert_check", ignore_result=True)
def sync_alert_check() -> int:
    """Beat job (every 15 minutes): e-mail the office when the backlog passes its thresholds."""
    return reconcile.sync_alert_check().sent


@shared_task(name="integrations.tasks.sync_log_purge", ignore_result=True)
def sync_log_purge() -> int:
    """Beat job (daily): drop attempt-log rows past each target's retention."""
    return reconcile.sync_log_purge()
