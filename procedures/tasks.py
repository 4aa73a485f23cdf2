from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from .services.publication import publication_tasks_sweep
from .services.versions import versions_activate


@shared_task(name="procedures.tasks.catalogue_activate")
def catalogue_activate() -> dict[str, int]:
    """Activate and retire versions on their dates; lock abolished procedures."""
    return versions_activate(today=timezone.localdate())


@shared_task(name="procedures.tasks.publication_sweep")
def publication_sweep() -> dict[str, int]:
    """Flag publication tasks due soon or overdue and notify, once per level."""
    return publication_tasks_sweep(today=timezone.localdate())
