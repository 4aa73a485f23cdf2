"""The circuit breaker: no hammering while the hub is down, one probe after the
cooldown, everything resumes by itself once it answers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.models import EventStatus, SyncEvent
from integrations.simulator import HubControl
from integrations.sync.breaker import breaker_state
from integrations.sync.sender import sync_drain
from tests.dossiers.processing import in_processing
from tests.integrations.sync_helpers import hub_target

pytestmark = pytest.mark.django_db


def test_breaker_opens_probes_and_closes(national_hub, users, workflow_procedure, clock):
    target = hub_target(national_hub.url, breaker_threshold=3, breaker_cooldown=120,
                        backoff_base=1, backoff_max=5)  # fmt: skip
    dossiers = [
        in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, minute)
        for minute in range(6)
    ]
    national_hub.control.faults(HubControl.rule("*", "http", 502))
    now = timezone.now()

    def hub_calls() -> int:
        return sum(not r["path"].startswith("/_admin") for r in national_hub.control.requests(1000))

    calls_before = hub_calls()
    report = sync_drain(now=now)
    assert report.circuit_open and report.dossiers == 3  # it stopped at the threshold
    target.refresh_from_db()
    assert breaker_state(target, now) == "open"
    # While open, a drain does not call the hub at all.
    sent = hub_calls()
    assert sync_drain(now=now + timedelta(seconds=60)).circuit_open
    assert hub_calls() == sent
    assert sent - calls_before >= 3
    # The hub is back; after the cooldown one probe closes the circuit and the
    # rows that backed off for a transport reason are due again at once.
    national_hub.control.clear_faults()
    later = now + timedelta(seconds=121)
    report = sync_drain(now=later)
    target.refresh_from_db()
    assert breaker_state(target, later) == "closed" and target.consecutive_failures == 0
    report = sync_drain(now=later)
    assert not SyncEvent.objects.exclude(status=EventStatus.SENT).exists()
    for dossier in dossiers:
        assert national_hub.control.dossier(dossier.code)["header"]["TrangThaiHoSo"] == "4"


def test_a_failed_probe_reopens(national_hub, users, workflow_procedure, clock):
    target = hub_target(national_hub.url, breaker_threshold=1, breaker_cooldown=30)
    in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 1)
    national_hub.control.faults(HubControl.rule("*", "http", 503))
    now = timezone.now()
    assert sync_drain(now=now).circuit_open
    probe_at = now + timedelta(seconds=31)
    SyncEvent.objects.update(next_attempt_at=probe_at)
    report = sync_drain(now=probe_at)
    assert report.circuit_open and report.dossiers == 1
    target.refresh_from_db()
    assert breaker_state(target, probe_at) == "open"
