"""PayGov over real HTTP: INIT signed with MaXacThuc, the citizen pays on the
simulator's page, PayGov's server-to-server confirmation reaches the portal
(live server) and the dossier is paid once, with flag 1 (national platform)
and its header re-synced; a tampered or wrongly-priced confirmation is refused
and recorded; a replay changes nothing."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import requests
from django.urls import reverse
from django.utils import timezone

from dossiers.models import DocumentKind, DossierDocument, PaymentStatus
from dossiers.services.reception import dossier_receive
from integrations.models import PaymentMessage, SyncAttempt
from integrations.paygov.messages import CONFIRM_FIELDS, INIT_FIELDS, paygov_mac, paygov_signed
from tests.integrations.paygov_helpers import (
    PARTNER,
    SECRET,
    citizen_client,
    paygov_setup,
    press,
    return_fields,
    return_path,
    start_payment,
    submitted_with_payment,
)
from tests.integrations.sync_helpers import drain_all, hub_target
from tthc_portal.audit.models import AuditEvent

# The simulator's confirmation reaches the portal through a real server thread.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _notify_url(live_server) -> str:
    return live_server.url + reverse("integrations:paygov_notify")


def test_paid_on_paygov_is_applied_once_with_flag_1_and_synced(
    national_hub, live_server, settings, users, online_procedure
):
    paygov_setup(settings, national_hub.url, live_server.url)
    hub_target(national_hub.url)
    dossier, payment = submitted_with_payment(users, online_procedure)
    assert payment.gateway == "paygov" and payment.gateway_flag == 1
    dossier = dossier_receive(actor=users["motcua.tuphap"], dossier=dossier)
    # The submission's event waited for the code (deferred a few minutes): run later.
    drain_all(now=timezone.now() + timedelta(minutes=10))
    assert national_hub.control.dossier(dossier.code)["header"]["DuocThanhToanTrucTuyen"] == "0"

    client = citizen_client(users)
    page_url, reference = start_payment(client, payment)
    assert reference.startswith(dossier.code + "-")
    init = PaymentMessage.objects.get(reference=reference, kind="INIT", direction="out").body
    assert init["MaXacThuc"] == paygov_mac(init, INIT_FIELDS, SECRET)
    assert init["SoTien"] == "50000" and init["MaDoiTac"] == PARTNER
    assert init["UrlThongBao"] == _notify_url(live_server)
    fee = str(online_procedure.current_version.fees.get().pk)  # unmapped: the local code
    assert init["ThongTinBienLai"]["PhiLePhi"] == [
        {"LoaiPhiLePhi": "2", "MaPhiLePhi": fee, "TenPhiLePhi": "Lệ phí", "SoTien": "50000"}
    ]
    assert init["ThongTinBienLai"]["MaHoSo"] == dossier.code
    assert national_hub.control.payments()[reference]["status"] == "0"
    assert "50.000" in requests.get(page_url, timeout=10).text

    back = press(page_url)  # PayGov confirms to the portal, then sends the browser back
    assert back.status_code in (302, 303)
    record = national_hub.control.payments()[reference]
    assert record["ipn"][0]["status"] == 200, record["ipn"]
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.gateway_flag == 1
    assert payment.transaction_ref == record["confirmation"]["MaGiaoDich"]
    ipn = PaymentMessage.objects.get(reference=reference, kind="IPN")
    assert ipn.verified is True and ipn.payment_id == payment.pk
    receipts = DossierDocument.objects.filter(
        dossier=dossier, kind=DocumentKind.PAYMENT_RECEIPT, source_id=payment.pk
    )
    assert receipts.count() == 1

    # The browser's return shows the recorded result, without a QUERY.
    done = client.get(return_path(back))
    assert done.status_code == 302
    assert done["Location"] == reverse("dossiers:payment_done", args=[payment.reference])
    assert PaymentMessage.objects.filter(reference=reference, kind="RETURN", verified=True).exists()
    assert not PaymentMessage.objects.filter(kind="QUERY").exists()
    assert "Thanh toán thành công" in client.get(done["Location"]).content.decode()

    # PayGov repeats its message: acknowledged, nothing applied twice.
    replay = requests.post(_notify_url(live_server), json=record["confirmation"], timeout=10)
    assert replay.status_code == 200 and replay.json()["MaLoi"] == "00"
    assert receipts.count() == 1
    assert AuditEvent.objects.filter(action="payment.paid").count() == 1
    assert SyncAttempt.objects.filter(operation="paygov_init", reply_class="ok").count() == 1

    # The payment queued a header update, sent after the commit.
    drain_all(now=timezone.now() + timedelta(minutes=10))
    update = SyncAttempt.objects.filter(operation="update", dossier=dossier).latest("pk")
    assert update.reply_class == "ok" and update.at > payment.paid_at
    header = json.loads(update.request_body)[0]
    assert header["DuocThanhToanTrucTuyen"] == "1"
    assert header["DanhSachLePhi"][0]["HinhThucThu"] == "1"


def test_tampered_confirmation_is_refused_and_recorded(
    national_hub, live_server, settings, users, online_procedure
):
    paygov_setup(settings, national_hub.url, live_server.url)
    _dossier, payment = submitted_with_payment(users, online_procedure)
    client = citizen_client(users)
    _page_url, reference = start_payment(client, payment)
    forged = paygov_signed(
        {"MaLoi": "00", "MoTaLoi": "", "MaDoiTac": PARTNER, "MaThamChieu": reference,
         "ThoiGianGD": "20260101090000", "SoTien": "50000", "MaTienTe": "VND",
         "MaGiaoDich": "PG-GIA-MAO", "MaNganHang": "NH", "TrangThaiGD": "1"},
        CONFIRM_FIELDS, "not-the-secret",
    )  # fmt: skip
    refused = requests.post(_notify_url(live_server), json=forged, timeout=10)
    assert refused.status_code == 400 and refused.json()["MaLoi"] == "01"
    altered = {**paygov_signed(forged, CONFIRM_FIELDS, SECRET), "SoTien": "5000000"}
    assert requests.post(_notify_url(live_server), json=altered, timeout=10).status_code == 400
    # The same forgery through the browser's return: refused before any QUERY.
    page = client.get(reverse("integrations:paygov_return"), forged)
    assert page.status_code == 400
    assert "MaXacThuc" in page.content.decode()
    assert not PaymentMessage.objects.filter(kind="QUERY").exists()

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REQUESTED and not payment.receipt_no
    kept = PaymentMessage.objects.filter(reference=reference, direction="in", verified=False)
    assert sorted(kept.values_list("kind", flat=True)) == ["IPN", "IPN", "RETURN"]
    assert kept.filter(body__SoTien="5000000").exists()  # kept raw, as received
    assert AuditEvent.objects.filter(action="payment.paygov_refused").count() == 3
    assert not DossierDocument.objects.filter(kind=DocumentKind.PAYMENT_RECEIPT).exists()


def test_confirmed_amount_other_than_owed_is_refused(
    national_hub, live_server, settings, users, online_procedure
):
    paygov_setup(settings, national_hub.url, live_server.url)
    _dossier, payment = submitted_with_payment(users, online_procedure)
    client = citizen_client(users)
    page_url, reference = start_payment(client, payment)
    # Genuinely signed with the partner secret, but for another amount than the one owed.
    wrong = paygov_signed(
        {"MaLoi": "00", "MoTaLoi": "", "MaDoiTac": PARTNER, "MaThamChieu": reference,
         "ThoiGianGD": "20260101090000", "SoTien": "1000", "MaTienTe": "VND",
         "MaGiaoDich": "PG-1000", "MaNganHang": "NH", "TrangThaiGD": "1"},
        CONFIRM_FIELDS, SECRET,
    )  # fmt: skip
    answer = requests.post(_notify_url(live_server), json=wrong, timeout=10)
    assert answer.status_code == 400 and answer.json()["MaLoi"] == "03"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REQUESTED
    assert PaymentMessage.objects.get(reference=reference, kind="IPN").verified is True
    mismatch = AuditEvent.objects.get(action="payment.paygov_mismatch")
    assert mismatch.after["field"] == "SoTien" and mismatch.after["paygov"] == "1000"

    # The real payment of the right amount then goes through.
    back = press(page_url)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.transaction_ref != "PG-1000"
    assert return_fields(back)["TrangThaiGD"] == "1"


def test_cancel_on_paygov_marks_the_attempt_failed(
    national_hub, live_server, settings, users, online_procedure
):
    paygov_setup(settings, national_hub.url, live_server.url)
    _dossier, payment = submitted_with_payment(users, online_procedure)
    client = citizen_client(users)
    page_url, _reference = start_payment(client, payment)
    back = press(page_url, "cancel")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED and not payment.receipt_no
    page = client.get(client.get(return_path(back))["Location"]).content.decode()
    assert "Thanh toán không thành công" in page
