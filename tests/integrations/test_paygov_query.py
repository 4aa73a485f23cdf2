"""PayGov QUERY: when PayGov's own confirmation is lost, the browser's return
QUERYs PayGov and the daily reconciliation QUERYs every open payment — a
confirmed transaction is applied, a difference is reported and audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dossiers.models import Payment, PaymentStatus
from integrations.models import PaymentMessage, SyncAttempt
from integrations.paygov.reconcile import paygov_reconcile
from integrations.simulator import HubControl
from tests.integrations.paygov_helpers import (
    citizen_client,
    paygov_setup,
    press,
    return_path,
    start_payment,
    submitted_with_payment,
)
from tthc_portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _lose_confirmations(control: HubControl) -> None:
    control.faults(HubControl.rule("paygov-ipn", "http", 502))


def test_return_without_confirmation_queries_paygov_then_shows_paid(
    national_hub, settings, users, online_procedure
):
    paygov_setup(settings, national_hub.url)
    _lose_confirmations(national_hub.control)
    _dossier, payment = submitted_with_payment(users, online_procedure)
    client = citizen_client(users)
    page_url, reference = start_payment(client, payment)
    back = press(page_url)
    assert national_hub.control.payments()[reference]["ipn"][0]["dropped"] is True
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REQUESTED  # nothing arrived yet

    done = client.get(return_path(back))
    assert done["Location"] == reverse("dossiers:payment_done", args=[payment.reference])
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.gateway_flag == 1
    # The return itself was recorded; the QUERY's answer is what applied it.
    assert PaymentMessage.objects.get(reference=reference, kind="RETURN").verified is True
    reply = PaymentMessage.objects.get(reference=reference, kind="QUERY_REPLY")
    assert reply.verified is True and reply.body["TrangThaiGD"] == "1"
    assert SyncAttempt.objects.filter(operation="paygov_query", reply_class="ok").count() == 1


def test_return_with_a_pending_transaction_leaves_the_payment_open(
    national_hub, settings, users, online_procedure
):
    paygov_setup(settings, national_hub.url)
    _dossier, payment = submitted_with_payment(users, online_procedure)
    client = citizen_client(users)
    start_payment(client, payment)
    report = paygov_reconcile(pending_minutes=0)
    assert report["checked"] == 1 and report["pending"] == [str(payment.reference)]
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REQUESTED


def test_reconciliation_applies_a_lost_confirmation(
    national_hub, settings, users, online_procedure
):
    paygov_setup(settings, national_hub.url)
    _lose_confirmations(national_hub.control)
    _dossier, payment = submitted_with_payment(users, online_procedure)
    page_url, reference = start_payment(citizen_client(users), payment)
    press(page_url)  # paid on PayGov; the confirmation and the browser never came back

    # Too recent for the job yet: the citizen may still be on PayGov's page.
    assert paygov_reconcile(pending_minutes=15)["checked"] == 0
    report = paygov_reconcile(pending_minutes=0)
    assert report["applied"] == [str(payment.reference)] and not report["mismatches"]
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.gateway_flag == 1
    assert payment.transaction_ref == national_hub.control.payments()[reference][
        "confirmation"]["MaGiaoDich"]  # fmt: skip

    # Next day's run checks the paid one against PayGov: same amount and transaction.
    again = paygov_reconcile(pending_minutes=0)
    assert again["checked"] == 1 and again == {**again, "applied": [], "mismatches": [],
                                               "errors": []}  # fmt: skip
    assert AuditEvent.objects.filter(action="payment.paid").count() == 1


def test_reconciliation_reports_an_amount_mismatch_and_does_not_apply(
    national_hub, settings, users, online_procedure
):
    paygov_setup(settings, national_hub.url)
    _lose_confirmations(national_hub.control)
    _dossier, payment = submitted_with_payment(users, online_procedure)
    page_url, reference = start_payment(citizen_client(users), payment)
    press(page_url)
    # The fee owed changed after PayGov's transaction was opened.
    Payment.objects.filter(pk=payment.pk).update(amount_vnd=70000)

    report = paygov_reconcile(pending_minutes=0)
    assert report["applied"] == []
    assert report["mismatches"] == [{
        "payment": str(payment.reference), "dossier": report["mismatches"][0]["dossier"],
        "reference": reference, "field": "SoTien", "local": "70000", "paygov": "50000",
    }]  # fmt: skip
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REQUESTED
    assert AuditEvent.objects.filter(action="payment.paygov_mismatch").exists()


def test_paygov_unreachable_is_reported_not_guessed(national_hub, settings, users,
                                                     online_procedure):  # fmt: skip
    paygov_setup(settings, national_hub.url)
    _dossier, payment = submitted_with_payment(users, online_procedure)
    start_payment(citizen_client(users), payment)
    national_hub.control.faults(HubControl.rule("/paygov/truy-van", "http", 502))
    report = paygov_reconcile(pending_minutes=0)
    assert report["errors"] and report["errors"][0]["payment"] == str(payment.reference)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REQUESTED
    assert SyncAttempt.objects.filter(operation="paygov_query", reply_class="down").exists()
