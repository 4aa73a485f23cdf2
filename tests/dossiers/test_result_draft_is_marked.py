"""An unsigned result is a draft, visibly (issue 15, item 4).

Before: the generated draft said "(Đã ký số)", was listed among the issued papers
and shared its download link with the signed file."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from dossiers.models import DocumentKind
from dossiers.services.decisions import dossier_approve
from dossiers.services.processing import step_complete
from dossiers.services.results import result_draft_generate
from tests.dossiers.casework import (
    CITIZEN,
    HEAD,
    SPECIALIST,
    assigned,
    workflow_procedure_fixture,  # noqa: F401 (the workflow_procedure fixture)
)

pytestmark = pytest.mark.django_db
CONTENT = "Cấp Giấy chứng nhận cho ông Nguyễn Văn An. Thời hạn 05 năm."


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


@pytest.fixture
def draft(users, workflow_procedure):
    dossier = assigned(users, workflow_procedure)
    return result_draft_generate(actor=users[SPECIALIST], dossier=dossier, content=CONTENT)


def test_the_draft_has_its_own_link_and_a_visible_mark(client, users, draft) -> None:
    client.force_login(users[HEAD])
    page = client.get(reverse("processing:dossier", args=[draft.dossier_id])).content.decode()
    issued = page.split('data-testid="documents"', 1)[1].split("</section>", 1)[0]
    own = reverse("dossiers:document_draft", args=[draft.pk])
    assert own in page and 'data-testid="result-draft-file"' in issued
    assert reverse("dossiers:document_download", args=[draft.pk]) not in page
    assert f'data-kind="{DocumentKind.RESULT}"' not in issued  # not among the issued papers
    response = client.get(own)
    assert response.status_code == 200
    text = _text(response.content)
    assert "DỰ THẢO" in text and "Dự thảo – chưa ký" in text and "Đã ký số" not in text
    # The old address leads to the marked copy, never to the clean file.
    redirect = client.get(reverse("dossiers:document_download", args=[draft.pk]))
    assert redirect.status_code == 302 and redirect["Location"] == own


def test_the_citizen_never_sees_the_draft(client, users, draft) -> None:
    client.force_login(users[CITIZEN])
    assert client.get(reverse("dossiers:document_draft", args=[draft.pk])).status_code == 404
    assert client.get(reverse("dossiers:document_download", args=[draft.pk])).status_code == 404


def test_the_signed_result_says_signed_without_the_mark(client, users, draft) -> None:
    step_complete(actor=users[SPECIALIST], step=draft.dossier.current_step)
    client.force_login(users[HEAD])
    dossier_approve(actor=users[HEAD], dossier=draft.dossier_id, note="Đồng ý")
    draft.refresh_from_db()
    assert draft.signed_at is not None
    with draft.file.open("rb") as handle:
        text = _text(handle.read())
    assert "(Đã ký số)" in text and "DỰ THẢO" not in text and "Dự thảo" not in text
    assert client.get(reverse("dossiers:document_draft", args=[draft.pk])).status_code == 404
