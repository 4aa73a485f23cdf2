from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="tthc_portal.workdays.tasks.calendar_ensure_years")
def calendar_ensure_years() -> int:
    """Nightly: make sure this year and next have a calendar before they start."""
    year = timezone.localdate().year
    return services.calendar_fill_from_package([year, year + 1])
