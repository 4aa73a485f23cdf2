"""Status history partitioned by month on PostgreSQL (issue #17, item 4);
SQLite keeps a plain table.

Each test runs in a transaction, so the partitions it creates are rolled back
with it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dossiers.models import StatusHistory
from tests.dossiers.test_payments import CITIZEN, submitted
from tthc_portal.partitioning import partitioned_tables, partitions_ensure

TABLE = "dossiers_statushistory"


def _partition_of(row_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {TABLE} WHERE id = %s", [row_id])  # noqa: S608
        return cursor.fetchone()[0]


def _history_row(dossier, at: datetime) -> StatusHistory:
    return StatusHistory.objects.create(
        dossier=dossier, action="note", from_status=dossier.status, to_status=dossier.status, at=at
    )


@pytest.mark.django_db
def test_only_postgresql_partitions_status_history() -> None:
    """The embedded SQLite default keeps a plain table and the job has nothing to do."""
    partitioned = {item.table for item in partitioned_tables()}
    if connection.vendor == "postgresql":
        assert TABLE in partitioned
    else:
        assert partitioned == set()
        assert partitions_ensure(today=date(2031, 5, 10)) == []


def test_status_history_is_partitioned_by_month_and_nothing_points_into_it(
    require_postgres,
) -> None:
    assert (TABLE, "at") in {(item.table, item.column) for item in partitioned_tables()}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a"
            " ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
            " WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY a.attname",
            [TABLE],
        )
        assert [row[0] for row in cursor.fetchall()] == ["at", "id"]
        # A foreign key into a partitioned table would need the month in it:
        # none exists, and one added later must be handled deliberately.
        cursor.execute(
            "SELECT conrelid::regclass::text FROM pg_constraint"
            " WHERE contype = 'f' AND confrelid = %s::regclass",
            [TABLE],
        )
        assert cursor.fetchall() == []
        # The dossier's history index and both foreign keys hold on the parent.
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [TABLE])
        assert "history_dossier_at" in {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE contype = 'f' AND conrelid = %s::regclass ORDER BY 1",
            [TABLE],
        )
        targets = " ".join(row[0] for row in cursor.fetchall())
        assert "dossiers_dossier(id)" in targets and "accounts_user(id)" in targets


def test_a_transition_lands_in_its_month(require_postgres, users, online_procedure) -> None:
    dossier = submitted(users, online_procedure)
    row = dossier.history.latest("at")
    assert _partition_of(row.pk) == f"{TABLE}_{row.at.astimezone(UTC):%Y_%m}"
    assert StatusHistory.objects.get(pk=row.pk).to_status == dossier.status


def test_the_daily_job_creates_its_months_ahead_and_rehomes_stray_rows(
    require_postgres, users, online_procedure
) -> None:
    dossier = submitted(users, online_procedure)
    past = _history_row(dossier, datetime(2019, 3, 15, 9, tzinfo=UTC))
    assert _partition_of(past.pk) == f"{TABLE}_default"

    created = partitions_ensure(today=date(2031, 5, 10), months_ahead=2)

    assert {f"{TABLE}_2031_05", f"{TABLE}_2031_06", f"{TABLE}_2031_07"} <= set(created)
    # A past month found in the default partition gets its own partition too.
    assert f"{TABLE}_2019_03" in created
    assert _partition_of(past.pk) == f"{TABLE}_2019_03"
    assert partitions_ensure(today=date(2031, 5, 10), months_ahead=2) == []


def test_the_dossier_page_reads_its_history_in_one_query(
    require_postgres, client, users, online_procedure
) -> None:
    dossier = submitted(users, online_procedure)
    # History spread over several months, as a long dossier's is.
    for month in (1, 6, 11):
        _history_row(dossier, datetime(2025, month, 3, 9, tzinfo=UTC))
    partitions_ensure(today=date(2025, 1, 1), months_ahead=0)
    client.force_login(users[CITIZEN])

    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("dossiers:detail", args=[dossier.pk]))

    assert page.status_code == 200
    reads = [q["sql"] for q in queries.captured_queries if f'"{TABLE}"' in q["sql"]]
    assert len(reads) == 1, reads
    assert len(page.context["history"]) == dossier.history.count() == 4
