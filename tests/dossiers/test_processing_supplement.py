"""Supplement during processing: the specialist drafts, the head signs off, the
clock and the step pause across Tết; a second request is warned and counts late."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from dossiers.models import ClockPause, DocumentKind, Status, SupplementState
from dossiers.services import DossierError
from dossiers.services.decisions import supplement_draft, supplement_issue, supplement_warning
from dossiers.services.processing import step_complete
from dossiers.services.submission import dossier_supplement
from tests.dossiers.processing import at, in_processing

pytestmark = pytest.mark.django_db
ITEMS = [{"name": "Bản sao quyết định bổ nhiệm", "reason": "Bản sao không rõ nét"}]


def _at_specialist(users, procedure, clock, *when):
    dossier = in_processing(users, procedure, clock, *when)
    return step_complete(
        actor=users["lanhdao.tuphap"], step=dossier.current_step,
        assignee=users["chuyenvien.tuphap"],
    )  # fmt: skip


def test_pause_across_tet_moves_the_dossier_and_the_step(users, workflow_procedure, clock):
    # 4 working days (32 h) from Wed 22/01/2025 09:00: Wed 7 h, Thu 8, Fri 8, then
    # Tết (27/01-31/01) and the weekend, Mon 03/02 8 h → due Tue 04/02/2025 09:00.
    step = _at_specialist(users, workflow_procedure, clock, 2025, 1, 22, 9, 0)
    dossier = step.dossier
    dossier.refresh_from_db()
    assert dossier.due_at == at(2025, 2, 4, 9, 0)
    clock.set(2025, 1, 23, 14, 0)
    request = supplement_draft(actor=users["chuyenvien.tuphap"], dossier=dossier, items=ITEMS)
    assert request.state == SupplementState.DRAFT
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROCESSING  # a draft pauses nothing
    with pytest.raises(PermissionDenied):
        supplement_issue(actor=users["chuyenvien.tuphap"], request=request)
    dossier = supplement_issue(actor=users["lanhdao.tuphap"], request=request)
    assert dossier.status == Status.AWAITING_SUPPLEMENT and dossier.due_at is None
    assert ClockPause.objects.get(dossier=dossier).started_at == at(2025, 1, 23, 14, 0)
    assert dossier.documents.filter(kind=DocumentKind.SUPPLEMENT, source_id=request.pk).exists()
    # The citizen answers after Tết: 13 working hours were paused (Thu 3 h, Fri 8 h, Mon 2 h).
    clock.set(2025, 2, 3, 10, 0)
    dossier = dossier_supplement(actor=users["001085012345"], dossier=dossier)
    assert dossier.status == Status.IN_PROCESSING
    assert dossier.due_at == at(2025, 2, 5, 15, 0)
    assert dossier.original_due_at == at(2025, 2, 4, 9, 0)
    # The step's own budget stood still too: 16 h from Wed 22/01 (12:00 after the
    # head step) left 7 h at 14:00 Thu... its due moves by the same paused time.
    step.refresh_from_db()
    paused_step_due = step.due_at
    assert paused_step_due > at(2025, 2, 3, 10, 0)


def test_make_up_saturday_is_a_working_day_for_steps_and_dossiers(users, workflow_procedure, clock):
    dossier = in_processing(users, workflow_procedure, clock, 2025, 4, 25, 14, 0)
    # The head step has half a day: Fri 14:00-17:00, then Saturday 26/04 (make-up day).
    assert dossier.current_step.due_at == at(2025, 4, 26, 9, 0)
    # 32 h: Fri 3, Sat 8, Mon 8, Tue 8, then 30/4, 1/5, the swapped 2/5 and the weekend.
    assert dossier.due_at == at(2025, 5, 5, 14, 0)


def test_second_request_is_warned_justified_and_counts_late(users, workflow_procedure, clock):
    step = _at_specialist(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    dossier = step.dossier
    clock.set(2025, 3, 3, 15, 0)
    first = supplement_draft(actor=users["chuyenvien.tuphap"], dossier=dossier, items=ITEMS)
    supplement_issue(actor=users["lanhdao.tuphap"], request=first)
    clock.set(2025, 3, 4, 9, 0)
    dossier = dossier_supplement(actor=users["001085012345"], dossier=dossier)
    assert supplement_warning(dossier)  # the officer is told before a second request
    clock.set(2025, 3, 4, 10, 0)
    with pytest.raises(DossierError, match="trễ hạn"):
        supplement_draft(actor=users["chuyenvien.tuphap"], dossier=dossier, items=ITEMS)
    second = supplement_draft(
        actor=users["chuyenvien.tuphap"], dossier=dossier, items=ITEMS,
        justification="Giấy tờ mới phát sinh theo ý kiến cơ quan phối hợp",
    )  # fmt: skip
    with pytest.raises(DossierError, match="trễ hạn"):
        supplement_issue(actor=users["lanhdao.tuphap"], request=second)
    dossier = supplement_issue(actor=users["lanhdao.tuphap"], request=second, acknowledge_late=True)
    assert dossier.supplement_count == 2
    clock.set(2025, 3, 5, 9, 0)
    dossier = dossier_supplement(actor=users["001085012345"], dossier=dossier)

    # Finished long before its deadline, the dossier still counts as late in the index.
    from dossiers.models import Dossier

    Dossier.objects.filter(pk=dossier.pk).update(
        status=Status.RESULT_READY, completed_at=at(2025, 3, 5, 10, 0)
    )
    from indicators.engine import compute

    results = compute(
        datetime.date(2025, 3, 1), datetime.date(2025, 3, 31), [dossier.receiving_agency_id]
    )
    on_time = next(
        r for r in results if r.code == "2.1" and r.agency_id == dossier.receiving_agency_id
    )
    assert on_time.denominator == 1 and on_time.numerator == 0
