"""Withdrawal by the citizen and the agency's stop: form 05, no step left open;
refusal as not eligible with its notice (§3 rows 13, 14, 17)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from dossiers.models import DocumentKind, DossierStep, Status
from dossiers.services import DossierError
from dossiers.services.closing import dossier_stop, dossier_withdraw
from dossiers.services.decisions import dossier_reject, supplement_draft, supplement_issue
from dossiers.services.lifecycle import dossier_transition
from dossiers.services.processing import step_complete
from tests.dossiers.processing import in_processing

pytestmark = pytest.mark.django_db


def test_citizen_withdraws_and_gets_the_stop_notice(users, workflow_procedure, clock):
    dossier = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    with pytest.raises(DossierError, match="lý do"):
        dossier_withdraw(actor=users["001085012345"], dossier=dossier, reason="")
    with pytest.raises(PermissionDenied):
        dossier_withdraw(actor=users["036190004567"], dossier=dossier, reason="Không cần nữa")
    clock.set(2025, 3, 4, 10, 0)
    dossier = dossier_withdraw(
        actor=users["001085012345"], dossier=dossier, reason="Đã chuyển nơi cư trú",
        channel="Cổng dịch vụ công",
    )  # fmt: skip
    assert dossier.status == Status.WITHDRAWN and dossier.completed_at == clock.now
    assert dossier.stop_reason == "Đã chuyển nơi cư trú"
    assert dossier.stop_request_channel == "Cổng dịch vụ công"
    assert not DossierStep.objects.filter(dossier=dossier, completed_at__isnull=True).exists()
    assert dossier.documents.filter(kind=DocumentKind.STOP_NOTICE).count() == 1


def test_no_withdrawal_once_the_result_is_issued(users, workflow_procedure, clock):
    dossier = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    dossier_transition(actor=users["lanhdao.tuphap"], dossier=dossier, action="approve")
    with pytest.raises(DossierError):
        dossier_withdraw(actor=users["001085012345"], dossier=dossier, reason="Muộn rồi")


def test_agency_stops_an_unanswered_supplement(users, workflow_procedure, clock):
    dossier = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    step = step_complete(actor=users["lanhdao.tuphap"], step=dossier.current_step,
                         assignee=users["chuyenvien.tuphap"])  # fmt: skip
    request = supplement_draft(actor=users["chuyenvien.tuphap"], dossier=step.dossier,
                               items=[{"name": "Bản sao", "reason": "Mờ"}])  # fmt: skip
    supplement_issue(actor=users["lanhdao.tuphap"], request=request)
    clock.set(2025, 4, 3, 9, 0)
    dossier = dossier_stop(
        actor=users["lanhdao.tuphap"], dossier=dossier,
        reason="Quá thời hạn bổ sung mà công dân không bổ sung hồ sơ.",
    )  # fmt: skip
    assert dossier.status == Status.STOPPED
    assert dossier.pauses.get().ended_at == clock.now  # the pause ledger is closed
    assert dossier.documents.filter(kind=DocumentKind.STOP_NOTICE).exists()


def test_reject_as_not_eligible_issues_the_notice(users, workflow_procedure, clock):
    dossier = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    with pytest.raises(PermissionDenied):
        dossier_reject(actor=users["chuyenvien.tuphap"], dossier=dossier, reason="Không đủ")
    dossier = dossier_reject(
        actor=users["lanhdao.tuphap"], dossier=dossier,
        reason="Người đề nghị chưa đủ 5 năm kinh nghiệm chuyên môn.",
    )  # fmt: skip
    assert dossier.status == Status.REJECTED and dossier.current_step is None
    assert dossier.documents.filter(kind=DocumentKind.NOT_ELIGIBLE).exists()
