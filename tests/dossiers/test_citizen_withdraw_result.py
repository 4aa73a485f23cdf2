"""The citizen's side of the outcome: withdrawing a dossier (reason,
confirmation, stop notice), downloading the signed result with its signature
check, and reading the apology with the new date."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from dossiers.models import DocumentKind, Dossier, PersonalDocument, Status
from dossiers.services.apology import apology_issue
from dossiers.services.decisions import dossier_approve
from dossiers.services.results import signed_result
from tests.dossiers.casework import (
    CITIZEN,
    HEAD,
    at_approval,
    local,
    received,
    transferred,
    workflow_procedure_fixture,  # noqa: F401 (the workflow_procedure fixture)
)
from tests.dossiers.test_desk_queue import submit_online
from tthc_portal.signing.services import pdf_verify
from tthc_portal.workdays.services import get_calendar

pytestmark = pytest.mark.django_db


def detail(dossier: Dossier) -> str:
    return reverse("dossiers:detail", args=[dossier.pk])


def withdraw_url(dossier: Dossier) -> str:
    return reverse("dossiers:withdraw", args=[dossier.pk])


def test_withdraw_with_reason_and_confirmation(client, users, workflow_procedure):
    dossier = received(users, workflow_procedure)
    client.force_login(users[CITIZEN])
    assert withdraw_url(dossier) in client.get(detail(dossier)).content.decode()
    assert client.get(withdraw_url(dossier)).status_code == 200

    empty = client.post(withdraw_url(dossier), {"reason": " "})
    assert empty.status_code == 400 and "Vui lòng ghi lý do rút hồ sơ." in empty.content.decode()
    confirm = client.post(withdraw_url(dossier), {"reason": "Tôi nộp nhầm thủ tục"})
    page = confirm.content.decode()
    assert 'data-testid="withdraw-confirm"' in page and "Tôi nộp nhầm thủ tục" in page
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED  # nothing happens before the confirmation
    edit = client.post(
        withdraw_url(dossier),
        {"reason": "Tôi nộp nhầm thủ tục", "confirmed": "1", "action": "edit"},
    )
    assert 'data-testid="withdraw-form"' in edit.content.decode()
    assert "Tôi nộp nhầm thủ tục</textarea>" in edit.content.decode()

    done = client.post(
        withdraw_url(dossier), {"reason": "Tôi nộp nhầm thủ tục", "confirmed": "1"}, follow=True
    )
    dossier.refresh_from_db()
    assert dossier.status == Status.WITHDRAWN
    assert dossier.stop_reason == "Tôi nộp nhầm thủ tục"
    assert dossier.stop_request_channel == "Cổng dịch vụ công"
    notice = dossier.documents.get(kind=DocumentKind.STOP_NOTICE)
    page = done.content.decode()
    assert "Đã rút hồ sơ." in page and 'data-testid="stop"' in page
    assert f'id="document-{notice.pk}"' in page  # form 05, with its rendering progress
    assert withdraw_url(dossier) not in page
    again = client.post(withdraw_url(dossier), {"reason": "x", "confirmed": "1"}, follow=True)
    assert "không thể rút" in again.content.decode()


def test_withdraw_before_receipt_and_only_ones_own(client, users, workflow_procedure):
    dossier = submit_online(users, workflow_procedure)
    client.force_login(users["036190004567"])
    assert client.get(withdraw_url(dossier)).status_code == 404
    assert client.post(withdraw_url(dossier), {"reason": "x", "confirmed": "1"}).status_code == 404
    client.force_login(users[CITIZEN])
    client.post(withdraw_url(dossier), {"reason": "Không cần nữa", "confirmed": "1"})
    dossier.refresh_from_db()
    assert dossier.status == Status.WITHDRAWN
    # Nothing was received, so there is no stop notice to issue.
    assert not dossier.documents.filter(kind=DocumentKind.STOP_NOTICE).exists()


def test_signed_result_download_and_verification(client, users, workflow_procedure):
    dossier = at_approval(users, workflow_procedure)
    Dossier.objects.filter(pk=dossier.pk).update(result_delivery="online")
    download = reverse("dossiers:result_download", args=[dossier.pk])
    client.force_login(users[CITIZEN])
    assert client.get(download).status_code == 404  # only a signed result is handed out
    page = client.get(detail(dossier)).content.decode()
    draft = dossier.documents.get(kind=DocumentKind.RESULT)
    assert reverse("dossiers:document_download", args=[draft.pk]) not in page

    dossier = dossier_approve(actor=users[HEAD], dossier=dossier)
    assert dossier.status == Status.RETURNED
    page = client.get(detail(dossier)).content.decode()
    assert 'data-testid="result"' in page and download in page
    assert 'data-testid="signature" data-valid="true"' in page and "Sở Tư pháp" in page
    assert reverse("dossiers:withdraw", args=[dossier.pk]) not in page

    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"ket-qua-{dossier.code}.pdf" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF")
    report = pdf_verify(content)
    assert report.valid and report.agency_code == dossier.processing_agency.code
    details = client.get(reverse("dossiers:result", args=[dossier.pk])).content.decode()
    assert "Chữ ký số hợp lệ" in details
    # …and the same file sits in the citizen's personal data store.
    stored = PersonalDocument.objects.get(owner=users[CITIZEN], source_dossier=dossier)
    assert stored.is_result and stored.file.read() == content

    client.force_login(users["036190004567"])
    assert client.get(download).status_code == 404


def test_a_tampered_result_is_shown_as_invalid(client, users, workflow_procedure):
    dossier = dossier_approve(actor=users[HEAD], dossier=at_approval(users, workflow_procedure))
    document = signed_result(dossier)
    content = bytearray(document.file.read())
    # The binary comment on the PDF's second line lies inside the signed bytes.
    content[11] = (content[11] + 1) % 256
    document.file.save("result-signed.pdf", ContentFile(bytes(content)), save=True)
    client.force_login(users[CITIZEN])
    page = client.get(detail(dossier)).content.decode()
    assert 'data-testid="signature" data-valid="false"' in page
    assert "Chữ ký số hợp lệ" not in page


def test_apology_with_the_new_date_on_the_citizens_page(client, users, workflow_procedure):
    dossier = transferred(users, workflow_procedure)
    calendar = get_calendar()
    day = calendar.next_working_day(timezone.localtime(dossier.due_at).date() + timedelta(days=4))
    new_due = timezone.make_aware(datetime.combine(day, time(16, 0)))
    apology_issue(
        actor=users[HEAD], dossier=dossier, reason="Chờ kết quả xác minh", new_due_at=new_due
    )
    client.force_login(users[CITIZEN])
    page = client.get(detail(dossier)).content.decode()
    assert 'data-testid="apology"' in page
    assert f'data-testid="apology-new-date"><strong>{local(new_due)}</strong>' in page
    assert "Chờ kết quả xác minh" in page
    assert f'data-testid="due-at">{local(new_due)}<' in page
