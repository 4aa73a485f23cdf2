"""Online payment through the pages: start, simulated bank, signed callback, result."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from dossiers.models import (
    DocumentKind,
    Dossier,
    DossierDocument,
    Payment,
    PaymentStatus,
    RenderStatus,
)
from dossiers.services.payments import get_gateway
from dossiers.services.submission import component_attach, dossier_create_draft, dossier_submit
from tests.dossiers.files import make_pdf, upload

pytestmark = pytest.mark.django_db
CITIZEN = "001085012345"
OTHER_CITIZEN = "036190004567"


def submitted(users, procedure, username: str = CITIZEN) -> Dossier:
    citizen = users[username]
    dossier = dossier_create_draft(actor=citizen, procedure=procedure)
    for requirement in procedure.current_version.components.filter(required=True):
        component_attach(
            actor=citizen, dossier=dossier, requirement_id=requirement.pk,
            upload=upload(f"{requirement.order}.pdf", make_pdf()),
        )  # fmt: skip
    return dossier_submit(actor=citizen, dossier=dossier)


class _Forms(HTMLParser):
    """The forms of a page: action and hidden fields, keyed by the button label."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, dict] = {}
        self._current: dict | None = None
        self._in_button = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attrs = dict(attrs)
        if tag == "form":
            self._current = {"action": attrs.get("action"), "fields": {}}
        elif tag == "input" and self._current is not None and attrs.get("type") == "hidden":
            self._current["fields"][attrs["name"]] = attrs.get("value", "")
        elif tag == "button" and self._current is not None:
            self._in_button = True

    def handle_data(self, data: str) -> None:
        if self._in_button and self._current is not None and data.strip():
            self.forms[data.strip()] = self._current

    def handle_endtag(self, tag: str) -> None:
        if tag == "button":
            self._in_button = False
        elif tag == "form":
            self._current = None


def bank_forms(client: Client, payment: Payment) -> dict[str, dict]:
    response = client.get(reverse("dossiers:payment_simulator", args=[payment.reference]))
    assert response.status_code == 200
    assert "Ngân hàng mô phỏng — chỉ dùng cho thử nghiệm" in response.content.decode()
    parser = _Forms()
    parser.feed(response.content.decode())
    return parser.forms


@pytest.fixture
def citizen_client(users) -> Client:
    # CSRF enforced, as in a browser: the callback must work without a token.
    client = Client(enforce_csrf_checks=True)
    client.force_login(users[CITIZEN])
    return client


def _csrf_post(client: Client, url: str, referer_page: str):
    """POST a page's own form with its CSRF token, as the browser would."""
    page = client.get(referer_page).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    return client.post(url, {"csrfmiddlewaretoken": token})


def test_full_flow_pays_once_with_flag_receipt_and_document(
    users, online_procedure, citizen_client
):
    dossier = submitted(users, online_procedure)
    payment = Payment.objects.get(dossier=dossier)
    start = reverse("dossiers:payment_start", args=[payment.reference])

    page = citizen_client.get(start)
    assert page.status_code == 200
    assert "50.000 đ" in page.content.decode() and "Lệ phí" in page.content.decode()
    to_bank = _csrf_post(citizen_client, start, start)
    assert to_bank.status_code == 302
    assert to_bank["Location"] == get_gateway().start_url(payment)

    confirm = bank_forms(citizen_client, payment)["Xác nhận thanh toán"]
    assert confirm["action"] == reverse("dossiers:payment_callback")
    assert confirm["fields"]["amount_vnd"] == "50000"
    callback = citizen_client.post(confirm["action"], confirm["fields"])
    done = reverse("dossiers:payment_done", args=[payment.reference])
    assert callback.status_code == 302 and callback["Location"] == done

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert payment.gateway_flag == 2  # provincial gateway
    assert payment.receipt_no and payment.paid_at
    assert payment.transaction_ref == confirm["fields"]["transaction_ref"]
    receipts = DossierDocument.objects.filter(
        dossier=dossier, kind=DocumentKind.PAYMENT_RECEIPT, source_id=payment.pk
    )
    assert receipts.count() == 1
    result = citizen_client.get(done).content.decode()
    assert "Thanh toán thành công" in result and payment.receipt_no in result
    assert "Biên lai điện tử đang được tạo" in result  # rendered after commit, by Celery
    receipts.update(status=RenderStatus.READY, file="bien-lai.pdf")
    download = reverse("dossiers:document_download", args=[receipts.get().pk])
    assert download in citizen_client.get(done).content.decode()

    # The gateway (or the browser's back button) replays the callback: no-op.
    replay = citizen_client.post(confirm["action"], confirm["fields"])
    assert replay.status_code == 302
    assert Payment.objects.filter(dossier=dossier, status=PaymentStatus.PAID).count() == 1
    assert receipts.count() == 1
    # A paid payment's start page goes to the result, not to the bank again.
    assert citizen_client.get(start)["Location"] == done


def test_cancel_marks_failed_and_retry_opens_a_new_payment(users, online_procedure, citizen_client):
    dossier = submitted(users, online_procedure)
    payment = Payment.objects.get(dossier=dossier)
    cancel = bank_forms(citizen_client, payment)["Hủy"]
    assert citizen_client.post(cancel["action"], cancel["fields"]).status_code == 302
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED and not payment.receipt_no

    done = reverse("dossiers:payment_done", args=[payment.reference])
    page = citizen_client.get(done).content.decode()
    assert "Thanh toán không thành công" in page and "Thanh toán lại" in page
    retry = _csrf_post(
        citizen_client, reverse("dossiers:payment_retry", args=[payment.reference]), done
    )
    fresh = Payment.objects.get(dossier=dossier, status=PaymentStatus.REQUESTED)
    assert fresh.reference != payment.reference and fresh.amount_vnd == 50000
    assert retry["Location"] == reverse("dossiers:payment_start", args=[fresh.reference])
    assert Payment.objects.filter(dossier=dossier).count() == 2
    assert not DossierDocument.objects.filter(kind=DocumentKind.PAYMENT_RECEIPT).exists()


def test_tampered_amount_is_refused_and_nothing_changes(users, online_procedure, citizen_client):
    dossier = submitted(users, online_procedure)
    payment = Payment.objects.get(dossier=dossier)
    confirm = bank_forms(citizen_client, payment)["Xác nhận thanh toán"]

    tampered = {**confirm["fields"], "amount_vnd": "1000"}
    response = citizen_client.post(confirm["action"], tampered)
    assert response.status_code == 400
    assert "Chữ ký xác nhận thanh toán không hợp lệ." in response.content.decode()

    # Even correctly signed, a different amount than the one owed is refused.
    gateway = get_gateway()
    signed = {**tampered, "signature": gateway.sign(str(payment.reference), 1000, "paid", "X1")}
    signed["transaction_ref"] = "X1"
    response = citizen_client.post(confirm["action"], signed)
    assert response.status_code == 400
    assert "Số tiền xác nhận không khớp" in response.content.decode()

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REQUESTED and not payment.receipt_no
    assert not DossierDocument.objects.filter(kind=DocumentKind.PAYMENT_RECEIPT).exists()


def test_forged_or_malformed_callbacks_are_refused(users, online_procedure):
    dossier = submitted(users, online_procedure)
    payment = Payment.objects.get(dossier=dossier)
    anonymous = Client(enforce_csrf_checks=True)  # a forger needs no session
    url = reverse("dossiers:payment_callback")
    forged = {
        "reference": str(payment.reference),
        "amount_vnd": "50000",
        "status": "paid",
        "transaction_ref": "FORGED1",
        "signature": "0" * 64,
    }
    response = anonymous.post(url, forged)
    assert response.status_code == 400
    assert "Chữ ký xác nhận thanh toán không hợp lệ." in response.content.decode()
    for broken in ({**forged, "reference": "khong-phai-uuid"}, {"reference": forged["reference"]}):
        response = anonymous.post(url, broken)
        assert response.status_code == 400
        assert "không hợp lệ" in response.content.decode()
    assert anonymous.get(url).status_code == 405
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REQUESTED


def test_only_the_applicant_opens_the_payment_pages(users, online_procedure):
    dossier = submitted(users, online_procedure)
    payment = Payment.objects.get(dossier=dossier)
    pages = [
        reverse(name, args=[payment.reference])
        for name in (
            "dossiers:payment_start",
            "dossiers:payment_simulator",
            "dossiers:payment_done",
        )
    ]
    for username in (OTHER_CITIZEN, "motcua.tuphap"):
        client = Client()
        client.force_login(users[username])
        for url in pages:
            response = client.get(url)
            assert response.status_code == 404, (username, url)
            assert "Không tìm thấy giao dịch thanh toán" in response.content.decode()
        assert client.post(pages[0]).status_code == 404
        retry = reverse("dossiers:payment_retry", args=[payment.reference])
        assert client.post(retry).status_code == 404
    for url in pages:
        response = Client().get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REQUESTED
