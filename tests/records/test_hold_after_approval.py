"""A legal hold placed (or a complaint received) after approval still wins: the
destruction run skips that dossier and says why."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from dossiers.models import DossierComponent
from records.models import DisposedDossier, ListStatus
from records.services import (
    disposal_execute,
    disposal_lists_propose,
    disposal_transition,
    legal_hold_place,
)
from tests.records.conftest import LATER, returned

pytestmark = pytest.mark.django_db


def test_hold_after_approval_skips_the_dossier(build, officer, head, monkeypatch) -> None:
    held, other = returned(build), returned(build)
    [disposal_list] = disposal_lists_propose(LATER)
    disposal_transition(disposal_list, "review", actor=officer, council_minutes="Đồng ý")
    # Approve without running the queued task yet.
    monkeypatch.setattr("records.tasks.disposal_execute_task.delay", lambda pk: None)
    disposal_transition(disposal_list, "approve", actor=head, decision_number="2/QĐ")
    legal_hold_place(dossier=held, actor=officer, reason="Tòa án yêu cầu cung cấp")
    file_name = DossierComponent.objects.get(dossier=held).file.name
    assert disposal_execute(disposal_list.pk).status == ListStatus.DESTROYED
    assert set(DisposedDossier.objects.values_list("dossier_id", flat=True)) == {other.pk}
    assert default_storage.exists(file_name)
    held.refresh_from_db()
    assert held.applicant_name
    assert disposal_list.items.get(dossier=held).skipped_reason
