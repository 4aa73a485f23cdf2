from __future__ import annotations

from celery import shared_task


@shared_task(name="tthc_portal.web.tasks.submissions_purge")
def submissions_purge() -> int:
    """Nightly: forget the idempotency keys of forms sent more than a day ago."""
    from .idempotency import submissions_purge as purge

    return purge()


@shared_task(name="tthc_portal.web.tasks.partitions_maintain")
def partitions_maintain() -> dict:
    """Daily: next months' partitions created ahead (and the months of rows that fell
    into a default partition); months past their retention archived to the object
    store (PostgreSQL; nothing to do on SQLite)."""
    from django.conf import settings
    from django.utils import timezone

    from tthc_portal.partitioning import (
        partitions_analyze,
        partitions_archive,
        partitions_ensure,
    )

    today = timezone.localdate()
    created = partitions_ensure(today=today)
    archived = partitions_archive(
        today=today, retention_months=settings.TTHC["PARTITION_RETENTION_MONTHS"]
    )
    analysed = partitions_analyze()
    return {"created": created, "archived": archived, "analysed": analysed}
