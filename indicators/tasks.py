"""Celery tasks stay thin: they load ids and call a service."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="indicators.tasks.compute_current_period")
def compute_current_period_task() -> int:
    """Beat job (nightly): recompute the open month, and the month before while
    it is still open (its last days came in after the previous run). Published
    periods are frozen and skipped."""
    return _recompute_open(("month",))


@shared_task(name="indicators.tasks.compute_current_quarter_year")
def compute_current_quarter_year_task() -> int:
    """Beat job (nightly, after the month): recompute the open quarter and year,
    and the one before each for a month after its end, so the dashboard offers
    quarter and year views with the command's figures (issue #14, item 9)."""
    return _recompute_open(("quarter", "year"))


def _recompute_open(kinds: tuple[str, ...]) -> int:
    from .services.periods import period_recompute, periods_to_refresh

    stored = 0
    for period in periods_to_refresh(kinds=kinds):
        if period.is_published:
            continue
        stored += period_recompute(actor=None, period=period).results_count
    return stored


@shared_task(name="indicators.tasks.recompute_period_task")
def recompute_period_task(run_id: int) -> str:
    """One queued run, recomputation (``period_recompute_async``) or publication
    (``publication.period_publish_async``); returns the run's status."""
    from .services.periods import run_execute

    return run_execute(run_id=run_id).status


@shared_task(name="indicators.tasks.recompute_runs_requeue")
def recompute_runs_requeue_task() -> int:
    """Beat job: queued recomputations whose job never reached a worker (broker
    down when they were asked for) are sent again; a run is claimed only once."""
    from .services.periods import recompute_runs_requeue

    return len(recompute_runs_requeue())
