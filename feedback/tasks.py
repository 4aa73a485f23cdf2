"""Celery tasks stay thin: they call a service."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="feedback.tasks.feedback_sweep")
def feedback_sweep_task() -> dict[str, int]:
    """Beat job: mark PAKN due soon / overdue and notify once per level."""
    from .services.sweep import feedback_sweep

    return feedback_sweep()
