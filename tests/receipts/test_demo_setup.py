"""``manage.py receipts_demo`` wires the demo desks to the running simulator (make run),
and running it again changes nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from dossiers.services.payments import payment_record_at_desk
from receipts.models import ReceiptSeries, ReceiptStatus
from receipts.services import receipt_issue
from tests.dossiers.test_reception import submitted
from tests.receipts.helpers import justice

pytestmark = pytest.mark.django_db


def test_demo_setup_is_idempotent_and_issues(users, online_procedure, province, receipt_provider,
                                             monkeypatch):  # fmt: skip
    monkeypatch.setattr("receipts.services.pdf.receipt_pdf_render", lambda pk: None)
    call_command("receipts_demo", provider_url=receipt_provider.url, wait=2)
    count = ReceiptSeries.objects.count()
    call_command("receipts_demo", provider_url=receipt_provider.url, wait=2)
    assert ReceiptSeries.objects.count() == count
    assert ReceiptSeries.objects.filter(agency=justice(province)).count() == 2
    dossier = submitted(users, online_procedure)
    _payment, receipt = payment_record_at_desk(
        dossier=dossier, actor=users["motcua.tuphap"], method="THE"
    )
    assert receipt.series.point_code == "QUAY"
    assert receipt_issue(receipt.pk).status == ReceiptStatus.ISSUED
