"""Nothing is destroyed before the head of the archive unit approves; after approval
the files are deleted from the storage, the personal fields blanked and the dossier
marked disposed, and the destruction file of Circular 06/2025 is kept with the list."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from dossiers.models import (
    DocumentKind,
    Dossier,
    DossierComponent,
    DossierDocument,
    PersonalDocument,
)
from records.models import DisposedDossier, ListStatus, PaperKind, RetentionRule
from records.services import (
    RecordsError,
    disposal_execute,
    disposal_lists_propose,
    disposal_transition,
)
from records.services.destruction import TOMBSTONE
from tests.records.conftest import LATER, returned

pytestmark = pytest.mark.django_db


def stored_names(dossier) -> list[str]:
    names = list(DossierComponent.objects.filter(dossier=dossier).values_list("file", flat=True))
    names += DossierDocument.objects.filter(dossier=dossier).values_list("file", flat=True)
    return names


def test_nothing_destroyed_before_approval(build, officer) -> None:
    dossier = returned(build)
    names = stored_names(dossier)
    assert names and all(default_storage.exists(name) for name in names)
    [disposal_list] = disposal_lists_propose(LATER)
    for step in (None, "review"):
        if step:
            disposal_transition(disposal_list, step, actor=officer, council_minutes="Đồng ý hủy")
        with pytest.raises(RecordsError):
            disposal_execute(disposal_list.pk)
        assert all(default_storage.exists(name) for name in names)
        dossier.refresh_from_db()
        assert dossier.applicant_name and dossier.applicant_phone == "0912345678"
        assert not DisposedDossier.objects.exists()


def test_destruction_after_approval(
    build, officer, head, django_capture_on_commit_callbacks
) -> None:
    dossier = returned(build, fee=True, pushed=True)
    # Its version keeps results 5 years; the other dossier's results are permanent (default).
    RetentionRule.objects.create(
        procedure_version=dossier.procedure_version,
        valid_from=date(2020, 1, 1),
        dossier_years=10,
        result_years=5,
    )
    keeps_result = returned(build)
    copy = default_storage.save("personal/kq.pdf", ContentFile(b"%PDF"))
    PersonalDocument.objects.filter(source_dossier=dossier).update(file=copy)
    names = [*stored_names(dossier), copy]
    [disposal_list] = disposal_lists_propose(LATER)
    disposal_transition(disposal_list, "review", actor=officer, council_minutes="Đồng ý hủy")
    # Approval queues the destruction task after commit (eager in tests).
    with django_capture_on_commit_callbacks(execute=True):
        disposal_transition(disposal_list, "approve", actor=head, decision_number="12/QĐ-LT")
    disposal_list.refresh_from_db()
    assert disposal_list.status == ListStatus.DESTROYED
    assert [name for name in names if default_storage.exists(name)] == []
    assert set(stored_names(dossier)) == {TOMBSTONE}
    assert PersonalDocument.objects.get(source_dossier=dossier).file.name == TOMBSTONE
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert (dossier.applicant_name, dossier.applicant_id_number, dossier.applicant_phone) == (
        "", "", "",
    )  # fmt: skip
    assert dossier.form_data == {} and dossier.request_content == "" and dossier.applicant is None
    # The staff-search keys follow (database triggers on the blanked columns).
    assert (dossier.search_name, dossier.search_phone, dossier.search_id) == ("", "", "")
    # The statistical record stays.
    assert dossier.code and dossier.status == "returned" and dossier.returned_at
    mark = DisposedDossier.objects.get(dossier=dossier)
    assert (mark.result_kept, mark.files_destroyed) == (False, 3)
    # The permanent result is kept (its file stays), the rest of that dossier is gone.
    kept = DisposedDossier.objects.get(dossier=keeps_result)
    result = DossierDocument.objects.get(dossier=keeps_result, kind=DocumentKind.RESULT)
    assert kept.result_kept and default_storage.exists(result.file.name)
    component = DossierComponent.objects.get(dossier=keeps_result)
    assert component.file.name == TOMBSTONE
    kinds = set(disposal_list.papers.values_list("kind", flat=True))
    assert kinds == set(PaperKind.values)
    record = disposal_list.papers.get(kind=PaperKind.RECORD)
    assert record.signed and record.file.read()[:4] == b"%PDF"
    # Re-running is harmless.
    assert disposal_execute(disposal_list.pk).status == ListStatus.DESTROYED
