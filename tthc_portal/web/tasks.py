from __future__ import annotations

from celery import shared_task


@shared_task(name="tthc_portal.web.tasks.submissions_purge")
def submissions_purge() -> int:
    """Nightly: forget the idempotency keys of forms sent more than a day ago."""
    from .idempotency import submissions_purge as purge

    return purge()
