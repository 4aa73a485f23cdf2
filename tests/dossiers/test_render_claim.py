"""A render is claimed by compare-and-set and judged stale by its claim time.

Issue 18 item 5: staleness used the paper's creation time, so after an outage
a live render of an old paper could be claimed a second time, and a killed
render waited for the 30-minute task time limit. (Scenarios share one
province: its seeding is the expensive part.)
"""

from __future__ import annotations

import pytest
import weasyprint

from dossiers.models import DossierDocument, RenderStatus
from dossiers.services import pdf
from tests.dossiers.render_support import (
    CITIZEN,
    ago,
    pending_receipt,
    set_render_state,
    stored_documents,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted_renders(monkeypatch) -> list[int]:
    calls: list[int] = []
    original = weasyprint.HTML.write_pdf

    def counting(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", counting)
    return calls


def test_a_claim_is_stale_by_its_own_time_or_when_its_job_comes_back(
    users, online_procedure, counted_renders, settings
):
    settings.TTHC = {**settings.TTHC, "RENDER_RECLAIM_SECONDS": 120}

    # 1. Issued before a two-hour outage, claimed by a live worker 5 s ago:
    #    another job must leave it alone.
    live = set_render_state(
        pending_receipt(users, online_procedure),
        status=RenderStatus.RENDERING,
        render_claimed_at=ago(5),
        render_attempts=1,
    )
    DossierDocument.objects.filter(pk=live.pk).update(created_at=ago(7200))
    assert pdf.document_render(live.pk, task_id="another-job") == RenderStatus.RENDERING
    assert counted_renders == []
    live.refresh_from_db()
    assert live.render_attempts == 1 and not live.file

    # 2. Claimed just over the window ago by a worker that was then killed:
    #    taken over, rendered once, whatever job comes next.
    killed = set_render_state(
        pending_receipt(users, online_procedure),
        status=RenderStatus.RENDERING,
        render_claimed_at=ago(121),
        render_attempts=1,
    )
    files_before = stored_documents(killed)
    assert pdf.document_render(killed.pk, task_id="sweep-job") == RenderStatus.READY
    assert pdf.document_render(killed.pk, task_id="sweep-job") == RenderStatus.READY
    assert counted_renders == [1]
    killed.refresh_from_db()
    assert killed.render_attempts == 2 and killed.render_claimed_by == "sweep-job"
    assert stored_documents(killed) - files_before == {killed.file.name}

    # 3. reject_on_worker_lost puts the job back with its task id: its claim is
    #    recent, but the process that made it is gone. Only that job takes it.
    redelivered = set_render_state(
        pending_receipt(users, online_procedure),
        status=RenderStatus.RENDERING,
        render_claimed_at=ago(1),
        render_claimed_by="job-1",
        render_attempts=1,
    )
    assert pdf.document_render(redelivered.pk, task_id="job-2") == RenderStatus.RENDERING
    assert pdf.document_render(redelivered.pk, task_id="job-1") == RenderStatus.READY
    assert counted_renders == [1, 1]


def test_an_overtaken_render_keeps_nothing_and_a_killer_paper_ends_failed(
    users, online_procedure, monkeypatch, settings, django_capture_on_commit_callbacks
):
    settings.TTHC = {**settings.TTHC, "RENDER_RECLAIM_SECONDS": 120, "RENDER_MAX_ATTEMPTS": 3}
    original = weasyprint.HTML.write_pdf

    # 1. A worker that was only slow finishes after its claim was reclaimed:
    #    its file is dropped and the newer claim's render stands.
    slow = pending_receipt(users, online_procedure)
    files_before = stored_documents(slow)

    def slow_then_overtaken(self, *args, **kwargs):
        body = original(self, *args, **kwargs)
        DossierDocument.objects.filter(pk=slow.pk).update(
            render_claimed_at=ago(1), render_claimed_by="job-2", render_attempts=2
        )
        return body

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", slow_then_overtaken)
    assert pdf.document_render(slow.pk, task_id="job-1") == RenderStatus.RENDERING
    slow.refresh_from_db()
    assert slow.status == RenderStatus.RENDERING and not slow.file
    assert stored_documents(slow) == files_before
    monkeypatch.undo()

    # 2. A paper whose every claim lost its worker stops the loop: failed, and
    #    the citizen's "Tạo lại" starts a fresh count.
    killer = set_render_state(
        pending_receipt(users, online_procedure),
        status=RenderStatus.RENDERING,
        render_claimed_at=ago(600),
        render_attempts=3,
    )
    assert pdf.document_render(killer.pk, task_id="job-4") == RenderStatus.FAILED
    killer.refresh_from_db()
    assert "3 render attempts" in killer.error and not killer.file
    with django_capture_on_commit_callbacks(execute=True):
        assert pdf.document_retry(actor=users[CITIZEN], document=killer)
    killer.refresh_from_db()
    assert killer.status == RenderStatus.READY and killer.render_attempts == 1
