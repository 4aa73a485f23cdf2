"""A desk reception in fewer round trips, nothing dropped from what it records (issue #17)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dossiers.models import DocumentKind, StatusHistory
from dossiers.services.reception import dossier_receive
from tests.dossiers.test_reception import submitted
from tthc_portal.audit.models import AuditEvent
from tthc_portal.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_reception_spends_fewer_statements_and_records_everything(users, online_procedure):
    dossier = submitted(users, online_procedure)
    with CaptureQueriesContext(connection) as queries:
        dossier = dossier_receive(actor=users["motcua.tuphap"], dossier=dossier)
    statements = [query["sql"] for query in queries.captured_queries]
    # No savepoint around the transition (the reception's own block, a savepoint
    # inside the test's transaction, ends on any error), none around the outbox
    # insert (ON CONFLICT DO NOTHING skips a message already queued).
    assert sum("SAVEPOINT" in sql and "RELEASE" not in sql for sql in statements) == 1
    # The receipt is the dossier's first: its number needs no count.
    assert not [sql for sql in statements if "COUNT(" in sql and "dossierdocument" in sql]
    # The version in force is the locked one: read once, with the lock.
    assert sum('FROM "procedures_procedureversion"' in sql for sql in statements) == 0
    if connection.vendor == "postgresql":
        # The day's number and the code format in force: one statement.
        assert not [sql for sql in statements if 'FROM "dossiers_dossiercodeformat"' in sql]
    # This procedure's workflow opens no desk step. Before issue #17 the same
    # reception took 20 statements (a savepoint pair around the transition, the
    # version read again, the receipts counted, a savepoint pair around the
    # outbox insert); now 14 on SQLite and 13 on PostgreSQL (number and format
    # in one statement).
    assert len(statements) <= (13 if connection.vendor == "postgresql" else 14), statements
    # …and nothing a reception records is dropped.
    receipt = dossier.documents.get(kind=DocumentKind.RECEIPT)
    assert receipt.number.startswith(f"{dossier.code}/1/")
    assert StatusHistory.objects.filter(dossier=dossier, action="receive").exists()
    assert AuditEvent.objects.filter(action="dossier.receive", target_id=str(dossier.pk)).exists()
    assert OutboxMessage.objects.filter(subject__contains=dossier.code).exists()
    assert dossier.due_at and dossier.due_soon_at and dossier.processing_agency_id
    assert dossier.processing_agency == online_procedure.current_version.implementing_agency
