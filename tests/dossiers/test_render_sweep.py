"""The beat sweep re-queues lost renders one short window after their own time.

Before: it used the creation time and a 5-minute age, so a killed render of a
fresh paper waited, and an old paper being rendered right now was re-queued.
"""

from __future__ import annotations

import pytest

from dossiers import tasks
from dossiers.models import DossierDocument, RenderStatus
from dossiers.services.documents import documents_requeue_stale
from tests.dossiers.render_support import ago, pending_receipt, set_render_state

pytestmark = pytest.mark.django_db


def test_stale_claims_and_lost_jobs_are_requeued_once_live_ones_left_alone(
    users, online_procedure, settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.TTHC = {**settings.TTHC, "RENDER_RECLAIM_SECONDS": 120}
    killed = set_render_state(
        pending_receipt(users, online_procedure),
        status=RenderStatus.RENDERING,
        render_claimed_at=ago(150),
        render_attempts=1,
    )
    live = set_render_state(
        pending_receipt(users, online_procedure),
        status=RenderStatus.RENDERING,
        render_claimed_at=ago(10),
        render_attempts=1,
    )
    lost = set_render_state(pending_receipt(users, online_procedure), render_queued_at=ago(150))
    queued = pending_receipt(users, online_procedure)  # its job is on the broker
    # All issued before a long outage: the creation time says nothing.
    DossierDocument.objects.update(created_at=ago(7200))

    with django_capture_on_commit_callbacks(execute=True):
        assert documents_requeue_stale() == 2  # eager: rendered right away
    states = dict(DossierDocument.objects.values_list("pk", "status"))
    assert states == {
        killed.pk: RenderStatus.READY,
        live.pk: RenderStatus.RENDERING,
        lost.pk: RenderStatus.READY,
        queued.pk: RenderStatus.PENDING,
    }
    assert documents_requeue_stale() == 0

    # While the workers are down the sweep must not pile up duplicates: a
    # pending paper is sent again once per window.
    sent: list[int] = []
    monkeypatch.setattr(tasks.document_render, "delay", sent.append)
    set_render_state(queued, render_queued_at=ago(130))
    assert documents_requeue_stale() == 1
    assert documents_requeue_stale() == 0
    assert sent == [queued.pk]
