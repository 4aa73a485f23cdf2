"""The monthly job proposes the lists; the daily one re-runs an approved list whose
destruction task was lost."""

from __future__ import annotations

import pytest

from records import tasks
from records.models import DisposalList, ListStatus
from records.services import disposal_transition
from tests.records.conftest import returned

pytestmark = pytest.mark.django_db


def test_monthly_proposal_and_daily_safety_net(build, officer, head, monkeypatch):
    # Closed but with no closing date anywhere (no history row): never proposed.
    returned(build, returned_at=None, completed_at=None, status="withdrawn")
    dossier = returned(build)
    # Today (2026) nothing returned in 2025 is past the default ten years.
    assert tasks.disposal_propose_task() == 0
    # With a one-year default it is: the task runs the same service.
    monkeypatch.setattr("records.defaults.DOSSIER_YEARS", 1)
    assert tasks.disposal_propose_task() == 1
    disposal_list = DisposalList.objects.get()
    assert list(disposal_list.items.values_list("dossier_id", flat=True)) == [dossier.pk]
    disposal_transition(disposal_list, "review", actor=officer, council_minutes="Đồng ý")
    monkeypatch.setattr("records.tasks.disposal_execute_task.delay", lambda pk: None)  # lost
    disposal_transition(disposal_list, "approve", actor=head, decision_number="4/QĐ")
    assert tasks.disposal_execute_due_task() == 1
    assert DisposalList.objects.get().status == ListStatus.DESTROYED
    assert tasks.disposal_execute_due_task() == 0
