"""Approval: the drafted result is signed with the agency's certificate (demo CA),
verifies as intact and trusted, lands in the citizen's data store, and the desk
gets the return step; the register fields are filled on return (§6)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from dossiers.models import DocumentKind, PersonalDocument, Status, StepKind, StepOutcome
from dossiers.services import DossierError
from dossiers.services.closing import dossier_return
from dossiers.services.decisions import dossier_approve
from dossiers.services.processing import step_complete
from dossiers.services.results import result_draft_upload, result_verify, signed_result
from tests.dossiers.files import make_pdf, upload
from tests.dossiers.processing import in_processing

pytestmark = pytest.mark.django_db


def _at_approval(users, procedure, clock):
    dossier = in_processing(users, procedure, clock, 2025, 3, 3, 9, 0)
    step = step_complete(actor=users["lanhdao.tuphap"], step=dossier.current_step,
                         assignee=users["chuyenvien.tuphap"])  # fmt: skip
    clock.set(2025, 3, 4, 10, 0)
    result_draft_upload(actor=users["chuyenvien.tuphap"], dossier=dossier,
                        upload=upload("ket-qua.pdf", make_pdf()))  # fmt: skip
    step_complete(actor=users["chuyenvien.tuphap"], step=step)
    dossier.refresh_from_db()
    return dossier


def test_approval_signs_the_result_and_files_it(users, workflow_procedure, clock):
    dossier = _at_approval(users, workflow_procedure, clock)
    with pytest.raises(PermissionDenied):
        dossier_approve(actor=users["chuyenvien.tuphap"], dossier=dossier)
    clock.set(2025, 3, 5, 9, 0)
    dossier = dossier_approve(actor=users["lanhdao.tuphap"], dossier=dossier)
    assert dossier.status == Status.RESULT_READY
    assert dossier.completed_at == clock.now  # the end time for timeliness
    assert dossier.result_code == f"{dossier.code}-KQ1"
    document = signed_result(dossier)
    assert document.kind == DocumentKind.RESULT and document.number == dossier.result_code
    report = result_verify(document)
    assert report.signed and report.intact and report.trusted and report.valid
    assert "Sở Tư pháp" in report.signer
    stored = PersonalDocument.objects.get(owner=users["001085012345"], source_dossier=dossier)
    assert stored.is_result and stored.size == document.file.size
    # The desk now holds the return step (not counted against the deadline).
    step = dossier.current_step
    assert step.kind == StepKind.RETURN and step.counted is False and step.due_at is None


def test_no_approval_without_a_drafted_result(users, workflow_procedure, clock):
    dossier = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    step = step_complete(actor=users["lanhdao.tuphap"], step=dossier.current_step,
                         assignee=users["chuyenvien.tuphap"])  # fmt: skip
    with pytest.raises(DossierError, match="phê duyệt"):
        dossier_approve(actor=users["lanhdao.tuphap"], dossier=dossier)
    step_complete(actor=users["chuyenvien.tuphap"], step=step)
    with pytest.raises(DossierError, match="dự thảo kết quả"):
        dossier_approve(actor=users["lanhdao.tuphap"], dossier=dossier)


def test_a_tampered_result_no_longer_verifies(users, workflow_procedure, clock):
    dossier = dossier_approve(
        actor=users["lanhdao.tuphap"], dossier=_at_approval(users, workflow_procedure, clock)
    )
    document = signed_result(dossier)
    with document.file.open("rb") as handle:
        signed = bytearray(handle.read())
    # Flip one byte inside the signed range (the original content near the start).
    signed[200] = (signed[200] + 1) % 256
    from tthc_portal.signing.services import pdf_verify

    report = pdf_verify(bytes(signed))
    assert not report.valid


def test_return_at_the_desk_records_the_register_fields(users, workflow_procedure, clock):
    dossier = dossier_approve(
        actor=users["lanhdao.tuphap"], dossier=_at_approval(users, workflow_procedure, clock)
    )
    with pytest.raises(DossierError, match="người nhận"):
        dossier_return(actor=users["motcua.tuphap"], dossier=dossier, method="desk")
    clock.set(2025, 3, 6, 14, 0)
    dossier = dossier_return(actor=users["motcua.tuphap"], dossier=dossier, method="desk",
                             returned_to="Nguyễn Văn An")  # fmt: skip
    assert dossier.status == Status.RETURNED and dossier.returned_at == clock.now
    assert (dossier.return_method, dossier.returned_to) == ("desk", "Nguyễn Văn An")
    last = dossier.steps.order_by("-started_at", "-pk").first()
    assert last.kind == StepKind.RETURN and last.outcome == StepOutcome.RETURNED


def test_online_delivery_returns_through_the_personal_store(users, workflow_procedure, clock):
    dossier = _at_approval(users, workflow_procedure, clock)
    type(dossier).objects.filter(pk=dossier.pk).update(result_delivery="online")
    dossier = dossier_approve(actor=users["lanhdao.tuphap"], dossier=dossier)
    assert dossier.status == Status.RETURNED and dossier.return_method == "online"
