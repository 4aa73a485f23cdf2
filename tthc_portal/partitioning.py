"""Monthly partitions for the append-only tables (PostgreSQL declarative partitioning).

Status history, audit events and the national sync log only grow: a province
writes tens of millions of rows a year and keeps them for ten. Partitioned by
month on their time column, a month's queries read one partition, old months
are detached and archived as whole tables, and vacuum works on small tables.

- ``PartitionByMonth(table, column)`` is a migration operation that turns an
  existing table into a partitioned one (rows copied, indexes, foreign keys and
  triggers recreated on the parent, so they hold on every partition — the audit
  table's append-only trigger included). On SQLite it does nothing: the
  embedded default keeps plain tables.
- ``partitions_ensure`` creates the coming months ahead (a beat job), so rows
  never fall into the ``_default`` partition that only exists as a safety net.
- ``partitions_archive`` exports each month older than a table's retention as a
  gzip'd CSV to the object store (Django's storage API: S3 when
  ``TTHC_S3_BUCKET`` is set, else the private media root), records its SHA-256,
  reads it back to verify it, and only then detaches and drops the month.

Why not django-postgres-extra: its partitioned models must be created
partitioned from their first migration (it cannot convert a table holding
data) and it brings its own database backend; three tables did not justify
replacing the backend. The primary key becomes (id, column) because
PostgreSQL requires the partition key in every unique index; ids still come
from one identity sequence, so Django's ``pk`` stays unique.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import re
import tempfile
from dataclasses import dataclass
from datetime import date
from typing import IO

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.db import connection, migrations, transaction
from django.db.migrations.exceptions import IrreversibleError

from tthc_portal.storage.inventory import copy_hashing, recorded_sha256

logger = logging.getLogger(__name__)

DEFAULT_SUFFIX = "_default"
MONTHS_AHEAD = 3
# Folder of the archived months in the object store.
ARCHIVE_FOLDER = "partition-archive"
# The export is spooled in memory up to this size, then on this server's temp dir.
SPOOL_BYTES = 8 * 1024 * 1024
# Detaching takes an exclusive lock on the parent; queued behind a long report it
# would hold up every insert (every dossier transition) behind it. Give up and
# retry the next day instead.
DETACH_LOCK_TIMEOUT = "10s"


class ArchiveError(RuntimeError):
    """An archived month could not be stored and verified: the partition is kept."""


# Identifiers in the SQL below (the "noqa: S608" lines) pass through _identifier
# first; every value is a query parameter.
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _identifier(name: str) -> str:
    """Table and column names are interpolated into SQL: only plain lower-case
    identifiers (Django's table names) are accepted."""
    if not _IDENTIFIER.match(name):
        raise ValueError(f"not a plain SQL identifier: {name!r}")
    return name


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def partition_name(table: str, month: date) -> str:
    return f"{table}_{month:%Y_%m}"


def _create_month(cursor, table: str, column: str, month: date) -> bool:
    """Create ``month``'s partition unless it exists; rows of that month
    already in the default partition are moved into it."""
    table, column = _identifier(table), _identifier(column)
    name = partition_name(table, month)
    cursor.execute("SELECT to_regclass(%s)", [name])
    if cursor.fetchone()[0] is not None:
        return False
    start, end = month, _add_months(month, 1)
    default = f"{table}{DEFAULT_SUFFIX}"
    cursor.execute(
        f'SELECT 1 FROM "{default}" WHERE "{column}" >= %s AND "{column}" < %s LIMIT 1',  # noqa: S608
        [start, end],
    )
    stray = cursor.fetchone() is not None
    if stray:
        # PostgreSQL refuses a new partition whose range holds rows of the
        # default one: take them out, create the month, put them back.
        cursor.execute(f'ALTER TABLE "{table}" DETACH PARTITION "{default}"')
    cursor.execute(
        f'CREATE TABLE "{name}" PARTITION OF "{table}" FOR VALUES FROM (%s) TO (%s)',
        [start, end],
    )
    if stray:
        cursor.execute(
            f'INSERT INTO "{table}" SELECT * FROM "{default}" '  # noqa: S608
            f'WHERE "{column}" >= %s AND "{column}" < %s',
            [start, end],
        )
        cursor.execute(
            f'DELETE FROM "{default}" WHERE "{column}" >= %s AND "{column}" < %s',  # noqa: S608
            [start, end],
        )
        cursor.execute(f'ALTER TABLE "{table}" ATTACH PARTITION "{default}" DEFAULT')
    return True


def _convert(schema_editor, table: str, column: str, today: date) -> None:
    table, column = _identifier(table), _identifier(column)
    with schema_editor.connection.cursor() as cursor:
        old = f"{table}_unpartitioned"
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname <> %s",
            [table, f"{table}_pkey"],
        )
        indexes = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f'",
            [table],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            "SELECT pg_get_triggerdef(oid) FROM pg_trigger "
            "WHERE tgrelid = %s::regclass AND NOT tgisinternal",
            [table],
        )
        triggers = [row[0] for row in cursor.fetchall()]
        cursor.execute(f'SELECT min("{column}")::date FROM "{table}"')  # noqa: S608
        oldest = cursor.fetchone()[0] or today

        cursor.execute(f'ALTER TABLE "{table}" RENAME TO "{old}"')
        cursor.execute(
            f'CREATE TABLE "{table}" (LIKE "{old}" INCLUDING DEFAULTS INCLUDING IDENTITY '
            f'INCLUDING CONSTRAINTS) PARTITION BY RANGE ("{column}")'
        )
        cursor.execute(f'CREATE TABLE "{table}{DEFAULT_SUFFIX}" PARTITION OF "{table}" DEFAULT')
        month = _month_start(oldest)
        while month <= _add_months(_month_start(today), MONTHS_AHEAD):
            _create_month(cursor, table, column, month)
            month = _add_months(month, 1)
        cursor.execute(f'INSERT INTO "{table}" SELECT * FROM "{old}"')  # noqa: S608
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), "  # noqa: S608
            f'coalesce((SELECT max(id) FROM "{table}"), 0) + 1, false)',
            [table],
        )
        cursor.execute(f'DROP TABLE "{old}"')
        cursor.execute(f'ALTER TABLE "{table}" ADD PRIMARY KEY ("id", "{column}")')
        # Read before the rename, these definitions already name the new parent.
        for definition in indexes:
            cursor.execute(definition)
        for name, definition in foreign_keys:
            cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        for definition in triggers:
            cursor.execute(definition)


class PartitionByMonth(migrations.operations.base.Operation):
    """Turn ``table`` into a table partitioned by month on ``column`` (PostgreSQL only)."""

    reduces_to_sql = False
    reversible = False

    def __init__(self, table: str, column: str) -> None:
        self.table = _identifier(table)
        self.column = _identifier(column)

    def state_forwards(self, app_label, state) -> None:
        pass  # the model is unchanged: the primary key Django sees stays ``id``

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        from django.utils import timezone

        _convert(schema_editor, self.table, self.column, timezone.localdate())

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        # Un-partitioning would copy every row back for no operational gain.
        raise IrreversibleError("a partitioned table is not turned back into a plain one")

    def describe(self) -> str:
        return f"Partition {self.table} by month on {self.column}"

    def deconstruct(self):
        return (self.__class__.__qualname__, [self.table, self.column], {})


@dataclass(frozen=True)
class PartitionedTable:
    table: str
    column: str


def partitioned_tables() -> list[PartitionedTable]:
    """The monthly-partitioned tables of this database (none on SQLite)."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, a.attname FROM pg_partitioned_table p "
            "JOIN pg_class c ON c.oid = p.partrelid "
            "JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0] "
            "WHERE p.partstrat = 'r' ORDER BY c.relname"
        )
        return [PartitionedTable(table, column) for table, column in cursor.fetchall()]


def _stray_months(cursor, table: str, column: str) -> set[date]:
    """Months of the rows that fell into the default partition (a bulk load of
    past rows, a clock far off): their partitions are created too, so the rows
    move there and are archived with their month."""
    table, column = _identifier(table), _identifier(column)
    cursor.execute(
        f"SELECT DISTINCT date_trunc('month', \"{column}\")::date "  # noqa: S608
        f'FROM "{table}{DEFAULT_SUFFIX}"'
    )
    return {row[0] for row in cursor.fetchall()}


def partitions_ensure(*, today: date, months_ahead: int = MONTHS_AHEAD) -> list[str]:
    """Create each partitioned table's partitions up to ``months_ahead`` months from
    ``today``, and those of any month with rows in its default partition; returns
    the partitions created."""
    created = []
    with connection.cursor() as cursor:
        for item in partitioned_tables():
            months = _stray_months(cursor, item.table, item.column)
            month = _month_start(today)
            while month <= _add_months(_month_start(today), months_ahead):
                months.add(month)
                month = _add_months(month, 1)
            for month in sorted(months):
                if _create_month(cursor, item.table, item.column, month):
                    created.append(partition_name(item.table, month))
    return created


def partitions_analyze() -> list[str]:
    """ANALYZE each partitioned table's parent. Autovacuum analyses the
    partitions but never a partitioned parent, so without this the planner
    estimates joins through the parent (the 766 engine reads status history)
    from no statistics at all; the daily job runs it."""
    tables = [item.table for item in partitioned_tables()]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'ANALYZE "{_identifier(table)}"')
    return tables


def _monthly_partitions(cursor, table: str) -> list[tuple[str, date]]:
    cursor.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = %s::regclass ORDER BY c.relname",
        [table],
    )
    prefix = f"{table}_"
    months = []
    for (name,) in cursor.fetchall():
        suffix = name[len(prefix) :]
        if name.startswith(prefix) and len(suffix) == 7 and suffix[4] == "_":
            months.append((name, date(int(suffix[:4]), int(suffix[5:]), 1)))
    return months


def partitions_archive(
    *, today: date, retention_months: dict[str, int], storage: Storage | None = None
) -> list[str]:
    """Archive and drop the months of each table older than its retention.

    ``retention_months`` maps a table to the months it keeps online; tables not
    named keep everything. Each month becomes ``partition-archive/<partition>.csv.gz``
    in ``storage`` (the default storage unless given) with ``<name>.sha256``
    beside it; returns the names stored."""
    storage = storage or default_storage
    archived = []
    oldest_kept = {table: _add_months(_month_start(today), -months)
                   for table, months in retention_months.items()}  # fmt: skip
    with connection.cursor() as cursor:
        for item in partitioned_tables():
            if item.table not in oldest_kept:
                continue
            for name, month in _monthly_partitions(cursor, item.table):
                if month < oldest_kept[item.table]:
                    archived.append(_archive_month(cursor, item.table, name, storage))
    return archived


def _archive_month(cursor, table: str, name: str, storage: Storage) -> str:
    """One transaction per month, dropped only after the object is verified: a
    failed upload, a damaged object or a lock timeout leaves the month attached.

    The month is exported while still attached, under a SHARE lock that blocks
    writes to that month only (no row can change between the export and the
    drop); the parent's exclusive lock is taken last, for the detach alone."""
    table, name = _identifier(table), _identifier(name)
    with transaction.atomic():
        cursor.execute(f'LOCK TABLE "{name}" IN SHARE MODE')
        stored = _export(cursor, name, storage)
        cursor.execute("SELECT current_setting('lock_timeout')")
        previous = cursor.fetchone()[0]
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [DETACH_LOCK_TIMEOUT])
        cursor.execute(f'ALTER TABLE "{table}" DETACH PARTITION "{name}"')
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [previous])
        cursor.execute(f'DROP TABLE "{name}"')
    logger.info("partition.archived partition=%s object=%s", name, stored)
    return stored


class _HashingWriter:
    """A write-only file that hashes and counts what goes through it."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target, self.digest, self.size = target, hashlib.sha256(), 0

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.size += len(data)
        return self.target.write(data)

    def flush(self) -> None:
        self.target.flush()


def _export(cursor, table: str, storage: Storage) -> str:
    """COPY the partition out gzip'd (streamed through a spooled file, never the
    whole month in memory), store it, read it back and compare its SHA-256.

    The gzip header carries no name and no time, so exporting an unchanged month
    again gives the same bytes: an object left by a run that failed after its
    upload is recognised by its digest and reused, never duplicated; an object
    of that name with other content is kept and the new one gets a fresh name."""
    name = f"{ARCHIVE_FOLDER}/{table}.csv.gz"
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        hashing = _HashingWriter(spool)
        with gzip.GzipFile(filename="", mode="wb", fileobj=hashing, mtime=0) as archive:
            cursor.copy_expert(f'COPY "{table}" TO STDOUT WITH (FORMAT csv, HEADER)', archive)
        digest = hashing.digest.hexdigest()
        uploaded = not (storage.exists(name) and recorded_sha256(storage, name) == digest)
        if uploaded:
            spool.seek(0)
            stored = storage.save(name, File(spool, name=name))
        else:
            stored = name
    # Read back through the store (the S3 backend also checks the digest it
    # recorded at upload before handing out a byte).
    with storage.open(stored, "rb") as handle:
        actual, size = copy_hashing(handle)
    if (actual, size) != (digest, hashing.size):
        if uploaded:  # never delete an object an earlier run stored
            storage.delete(stored)
        raise ArchiveError(
            f"{stored}: stored {size} bytes with SHA-256 {actual}, "
            f"exported {hashing.size} bytes with {digest}; partition {table} kept"
        )
    if not storage.exists(f"{stored}.sha256"):
        checksum = f"{digest}  {stored.rsplit('/', 1)[-1]}\n".encode()
        storage.save(f"{stored}.sha256", ContentFile(checksum))
    return stored
