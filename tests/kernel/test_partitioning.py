"""Append-only tables partitioned by month on PostgreSQL (issue #17, item 4).

Each test runs in a transaction, so the partitions it creates or drops are
rolled back with it."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction

from tests.support.audit_rows import audit_event_insert
from tthc_portal.audit.models import AuditEvent
from tthc_portal.audit.services import audit_record
from tthc_portal.partitioning import partitioned_tables, partitions_ensure

pytestmark = pytest.mark.postgres


def _partition_of(event_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM audit_auditevent WHERE id = %s",
                       [event_id])  # fmt: skip
        return cursor.fetchone()[0]


def test_the_append_only_tables_are_partitioned_by_month(require_postgres) -> None:
    tables = {(item.table, item.column) for item in partitioned_tables()}
    assert {("audit_auditevent", "at"), ("integrations_syncattempt", "at")} <= tables


def test_an_audit_event_lands_in_its_month_and_its_partition_stays_append_only(
    require_postgres,
) -> None:
    event = audit_record(actor=None, action="test.partition", target=ContentType.objects.first())
    partition = _partition_of(event.pk)
    assert partition == f"audit_auditevent_{event.at:%Y_%m}"
    assert AuditEvent.objects.get(pk=event.pk).action == "test.partition"
    forge = f"UPDATE {partition} SET action = 'forged' WHERE id = %s"  # noqa: S608
    for sql in (forge, "DELETE FROM audit_auditevent WHERE id = %s"):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])


def test_months_ahead_are_created_once(require_postgres) -> None:
    created = partitions_ensure(today=date(2031, 5, 10), months_ahead=2)
    expected = {"audit_auditevent_2031_05", "audit_auditevent_2031_06",
                "audit_auditevent_2031_07", "integrations_syncattempt_2031_07"}  # fmt: skip
    assert expected <= set(created)
    assert partitions_ensure(today=date(2031, 5, 10), months_ahead=2) == []


def test_rows_that_fell_into_the_default_partition_move_to_their_new_month(
    require_postgres,
) -> None:
    stray = audit_event_insert("2032-01-15T08:00:00+07:00")
    assert _partition_of(stray) == "audit_auditevent_default"
    partitions_ensure(today=date(2032, 1, 1), months_ahead=0)
    assert _partition_of(stray) == "audit_auditevent_2032_01"
    assert AuditEvent.objects.filter(pk=stray).exists()


@pytest.mark.django_db
def test_the_daily_job_creates_and_archives_on_any_database() -> None:
    from tthc_portal.web.tasks import partitions_maintain

    outcome = partitions_maintain.delay().get()
    assert set(outcome) == {"created", "archived", "analysed"}
    if connection.vendor != "postgresql":  # the embedded default keeps plain tables
        assert outcome == {"created": [], "archived": [], "analysed": []}
    else:  # autovacuum never analyses a partitioned parent: the job does
        assert "dossiers_statushistory" in outcome["analysed"]
