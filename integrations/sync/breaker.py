"""Circuit breaker per target: after N consecutive transport failures nothing is
sent for a cooldown; then one probe goes through (half-open). Success closes it
and makes every row that waited for a transport reason due at once."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from ..models import BREAKING_CLASSES, TRANSIENT, EventStatus, SyncEvent, Target


def breaker_allows(target: Target, now=None) -> bool:
    """Closed: yes. Open: no until the cooldown ends; then exactly one caller
    wins the probe (compare-and-set on ``circuit_open_until``)."""
    now = now or timezone.now()
    target.refresh_from_db(fields=["consecutive_failures", "circuit_open_until"])
    until = target.circuit_open_until
    if until is None:
        return True
    if now < until:
        return False
    probe_until = now + timedelta(seconds=target.breaker_cooldown)
    won = Target.objects.filter(pk=target.pk, circuit_open_until=until).update(
        circuit_open_until=probe_until
    )
    if won:
        target.circuit_open_until = probe_until
    return bool(won)


def breaker_record(target: Target, reply_class: str, now=None) -> None:
    now = now or timezone.now()
    if reply_class in BREAKING_CLASSES:
        Target.objects.filter(pk=target.pk).update(
            consecutive_failures=F("consecutive_failures") + 1
        )
        target.refresh_from_db(fields=["consecutive_failures", "circuit_open_until"])
        if target.consecutive_failures >= target.breaker_threshold:
            target.circuit_open_until = now + timedelta(seconds=target.breaker_cooldown)
            Target.objects.filter(pk=target.pk).update(circuit_open_until=target.circuit_open_until)
        return
    if target.consecutive_failures or target.circuit_open_until:
        was_open = target.circuit_open_until is not None
        Target.objects.filter(pk=target.pk).update(consecutive_failures=0, circuit_open_until=None)
        target.consecutive_failures, target.circuit_open_until = 0, None
        if was_open:
            sync_resume(target, now)


def sync_resume(target: Target, now=None) -> int:
    """The link is back: rows backed off for a transport reason are due now."""
    return SyncEvent.objects.filter(
        target=target, status=EventStatus.PENDING, error_class__in=TRANSIENT
    ).update(next_attempt_at=now or timezone.now())


def breaker_state(target: Target, now=None) -> str:
    now = now or timezone.now()
    if target.circuit_open_until is None:
        return "closed"
    return "open" if now < target.circuit_open_until else "half_open"
