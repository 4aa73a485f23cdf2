"""Celery tasks: messages from the national portal and its procedure catalogue."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from ..catalogue import catalogue_pull_due
from ..config import active_target
from ..inbound import inbound_pull

__all__ = ["catalogue_pull_task", "inbound_pull_task"]


@shared_task(name="integrations.tasks.inbound_pull", ignore_result=True)
def inbound_pull_task() -> dict[str, Any] | None:
    """Beat job (every few minutes): messages the push did not deliver."""
    target = active_target()
    return inbound_pull(target) if target is not None else None


@shared_task(name="integrations.tasks.catalogue_pull", ignore_result=True)
def catalogue_pull_task() -> dict[str, Any] | None:
    """Nightly: national procedures changed since the last successful pull."""
    return catalogue_pull_due()
