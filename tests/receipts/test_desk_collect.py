"""The desk records a payment at the counter; after commit the e-receipt is issued at
the provider, its PDF signed with the agency's certificate; only the dossier's desk
sees it, the applicant downloads it while it is usable."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from dossiers.models import Payment, PaymentStatus
from receipts.models import PaymentMethod, Receipt, ReceiptStatus
from tests.dossiers.test_reception import submitted
from tthc_portal.signing.services import pdf_verify

pytestmark = pytest.mark.django_db
OFFICER, OTHER_OFFICER = "motcua.tuphap", "motcua.yte"
CITIZEN, OTHER_CITIZEN = "001085012345", "036190004567"


def client_for(users, username: str) -> Client:
    client = Client()
    client.force_login(users[username])
    return client


@pytest.fixture
def collected(
    users, online_procedure, series, receipt_provider, django_capture_on_commit_callbacks
):
    dossier = submitted(users, online_procedure)
    open_request = Payment.objects.get(dossier=dossier, status=PaymentStatus.REQUESTED)
    officer = client_for(users, OFFICER)
    url = reverse("receipts:desk_collect", args=[dossier.pk])
    page = officer.get(url)
    assert page.status_code == 200 and "50.000 đồng" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(url, {"method": PaymentMethod.CASH})
    assert response.status_code == 302
    open_request.refresh_from_db()
    assert open_request.status == PaymentStatus.CANCELLED  # cannot be paid online twice
    return dossier, officer


def test_counter_payment_issues_one_signed_receipt(collected, users, receipt_provider):
    dossier, officer = collected
    payment = Payment.objects.get(dossier=dossier, status=PaymentStatus.PAID)
    assert payment.gateway == "counter" and payment.amount_vnd == 50000
    receipt = Receipt.objects.get(dossier=dossier)
    assert receipt.status == ReceiptStatus.ISSUED  # the task ran after commit
    assert (receipt.template_symbol, receipt.number, receipt.method) == ("EBL01", 1, "TM")
    assert receipt.fee_items[0]["amount_words"] == "Năm mươi nghìn đồng"
    assert receipt.payer_id_masked.endswith(dossier.applicant_id_number[-4:])
    assert "*" in receipt.payer_id_masked
    assert payment.receipt_no == f"{receipt.receipt_symbol}-00000001"
    assert [r["transactionUuid"] for r in receipt_provider.control.receipts()] == [receipt.key]

    with receipt.pdf.open("rb") as handle:
        report = pdf_verify(handle.read())
    assert report.signed and report.intact and report.valid, report.summary

    detail = officer.get(reverse("receipts:receipt_detail", args=[receipt.pk]))
    assert detail.status_code == 200 and receipt.number_text in detail.content.decode()
    download = reverse("receipts:receipt_download", args=[receipt.pk])
    assert officer.get(download).status_code == 200
    assert client_for(users, CITIZEN).get(download).status_code == 200
    for outsider in (OTHER_OFFICER, OTHER_CITIZEN):
        client = client_for(users, outsider)
        assert client.get(download).status_code == 404
        assert client.get(reverse("receipts:receipt_detail", args=[receipt.pk])).status_code == 404
    assert (
        client_for(users, OTHER_OFFICER)
        .get(reverse("receipts:desk_collect", args=[dossier.pk]))
        .status_code
        == 404
    )


def test_a_second_collection_is_refused(collected):
    dossier, officer = collected
    again = officer.post(reverse("receipts:desk_collect", args=[dossier.pk]), {"method": "CK"})
    assert again.status_code == 400
    assert Payment.objects.filter(dossier=dossier, status=PaymentStatus.PAID).count() == 1
    assert Receipt.objects.filter(dossier=dossier).count() == 1


def test_void_from_the_page_makes_the_receipt_unusable(collected, users):
    dossier, officer = collected
    receipt = Receipt.objects.get(dossier=dossier)
    correct = reverse("receipts:receipt_correct", args=[receipt.pk])
    missing_reason = officer.post(correct, {"action": "void", "reason": ""})
    assert missing_reason.status_code == 400
    done = officer.post(correct, {"action": "void", "reason": "Thu nhầm", "refund": "on"})
    assert done.status_code == 302
    receipt.refresh_from_db()
    assert receipt.status == ReceiptStatus.VOIDED
    download = reverse("receipts:receipt_download", args=[receipt.pk])
    assert client_for(users, CITIZEN).get(download).status_code == 404
    assert officer.get(download).status_code == 404
    page = officer.get(reverse("receipts:receipt_detail", args=[receipt.pk])).content.decode()
    assert 'data-testid="correct-form"' not in page


def test_notice_and_replacement_from_the_page(collected, django_capture_on_commit_callbacks):
    dossier, officer = collected
    receipt = Receipt.objects.get(dossier=dossier)
    correct = reverse("receipts:receipt_correct", args=[receipt.pk])
    notice = officer.post(
        correct,
        {"action": "notice", "reason": "Sai tên", "field": "payer_name", "new_value": "Nguyễn An"},
    )
    assert notice.status_code == 302
    page = officer.get(reverse("receipts:receipt_detail", args=[receipt.pk])).content.decode()
    assert "Nguyễn An" in page and "Sai tên" in page
    with django_capture_on_commit_callbacks(execute=True):
        replaced = officer.post(
            correct, {"action": "replace", "reason": "Thu thừa", "amount_0": "30000"}
        )
    replacement = Receipt.objects.get(replaces=receipt)
    assert replaced["Location"] == reverse("receipts:receipt_detail", args=[replacement.pk])
    assert replacement.status == ReceiptStatus.ISSUED and replacement.amount_vnd == 30000
    receipt.refresh_from_db()
    assert receipt.status == ReceiptStatus.REPLACED
    page = officer.get(reverse("receipts:receipt_detail", args=[replacement.pk])).content.decode()
    assert "Thu thừa" in page and receipt.number_text in page
