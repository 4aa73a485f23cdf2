"""Writing generated rows: COPY on PostgreSQL, ``bulk_create`` elsewhere.

On PostgreSQL outside a transaction (the management command), two writer
connections copy and commit earlier batches while the generator builds the
next one, so the server's work (parsing, indexes, foreign-key checks) overlaps
Python's. Every constraint stays in place and is checked as usual.
Inside a transaction (tests) rows go through the caller's connection so they
see — and are rolled back with — everything else. Primary keys of dossiers
and steps are reserved from their sequences first: the two tables point at
each other (``current_step``) and are written in one transaction, where
Django's deferred foreign keys allow it.
"""

from __future__ import annotations

import io
import json
import threading
from collections import deque
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date

from django.db import connection, models, transaction

from dossiers.models import DailySequence

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
NULL = "\\N"
_TEMPORAL: dict = {}  # datetime/date/time → COPY text; the generator reuses few distinct ones


def _temporal(value) -> str:
    text = value.isoformat()
    if len(_TEMPORAL) < 2_000_000:
        _TEMPORAL[value] = text
    return text


def _json(value) -> str:
    if not value:
        return "{}" if isinstance(value, dict) else "[]"
    return json.dumps(value, ensure_ascii=False).translate(_ESCAPES)


def row_formatter(model: type[models.Model], columns: tuple[str, ...]):
    """A function turning one row tuple into a line of COPY text.

    Compiled per table from the model's field types so each value costs an
    inline expression instead of a generic call: formatting tens of millions
    of values is a good share of the generator's time.
    """
    fields = {f.attname: f for f in model._meta.concrete_fields}
    parts = []
    for index, name in enumerate(columns):
        field, value = fields[name], f"r[{index}]"
        kind = field.get_internal_type()
        if kind == "BooleanField":
            expr = f"'t' if {value} else 'f'"
        elif kind in ("DateTimeField", "DateField", "TimeField"):
            expr = f"NULL if {value} is None else (_T.get({value}) or _temporal({value}))"
        elif kind == "JSONField":
            expr = f"_json({value})"
        elif kind in ("CharField", "TextField", "EmailField", "FileField", "SlugField"):
            expr = f"NULL if {value} is None else {value}.translate(_ESCAPES)"
        else:  # integers, foreign keys, decimals, UUIDs
            expr = f"NULL if {value} is None else {value}"
        parts.append("{" + expr + "}")
    source = 'def format_row(r):\n    return f"' + "\\t".join(parts) + '\\n"\n'
    scope = {"NULL": NULL, "_T": _TEMPORAL, "_temporal": _temporal, "_json": _json,
             "_ESCAPES": _ESCAPES}  # fmt: skip
    exec(compile(source, f"<copy format {model._meta.db_table}>", "exec"), scope)  # noqa: S102
    return scope["format_row"]


_FORMATTERS: dict = {}


def _copy_text(model, columns, rows) -> str:
    key = (model, columns)
    formatter = _FORMATTERS.get(key)
    if formatter is None:
        formatter = _FORMATTERS[key] = row_formatter(model, columns)
    return "".join(map(formatter, rows))


class IdBlock:
    """Primary keys handed out from blocks reserved on the table's sequence."""

    def __init__(self, sink: Sink, model: type[models.Model], size: int) -> None:
        self.sink, self.model, self.size = sink, model, size
        self.next_id, self.last_id = 1, 0

    def take(self) -> int:
        if self.next_id > self.last_id:
            self.next_id = self.sink.reserve(self.model, self.size)
            self.last_id = self.next_id + self.size - 1
        value = self.next_id
        self.next_id += 1
        return value


class Sink:
    def __init__(self, writers: int = 2) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.inline = not self.postgres or connection.in_atomic_block
        self.writers = 0 if self.inline else max(1, writers)
        self._pool = ThreadPoolExecutor(self.writers, "copy") if self.writers else None
        self._pending: deque[Future] = deque()
        self._local = threading.local()
        self._connections: list = []
        self._lock = threading.Lock()
        self._sqlite_next: dict[type, int] = {}

    # --- keys -------------------------------------------------------------------------
    def reserve(self, model: type[models.Model], count: int) -> int:
        """First id of ``count`` consecutive ids nobody else will be given."""
        table = model._meta.db_table
        if self.postgres:
            with connection.cursor() as cursor:
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
                first = cursor.fetchone()[0]
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                    [table, first + count - 1],
                )
            return first
        first = self._sqlite_next.get(model)
        if first is None:
            first = (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1
        self._sqlite_next[model] = first + count
        return first

    # --- rows ---------------------------------------------------------------------------
    def write(self, tables: list[tuple[type[models.Model], tuple[str, ...], list[tuple]]],
              sequences: dict[tuple[int, date], int]) -> None:  # fmt: skip
        """Write one batch (parents first) and the day sequences it used, atomically."""
        if self.inline:
            with transaction.atomic():
                if self.postgres:
                    with connection.cursor() as cursor:
                        self._copy_all(cursor.cursor, tables, sequences)
                else:
                    self._bulk_all(tables, sequences)
            return
        # Two batches in flight at most per writer: memory stays bounded.
        while len(self._pending) >= self.writers:
            self._pending.popleft().result()
        self._pending.append(self._pool.submit(self._copy_committed, tables, sequences))

    def wait(self) -> None:
        while self._pending:
            self._pending.popleft().result()

    def close(self) -> None:
        try:
            self.wait()
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True)
            for writer in self._connections:
                writer.close()

    def _writer(self):
        writer = getattr(self._local, "connection", None)
        if writer is None:
            import psycopg2

            writer = psycopg2.connect(**connection.get_connection_params())
            with writer.cursor() as cursor:
                # Durability per batch is not needed: a crash loses at most the
                # batches being written, and the run can simply be repeated.
                cursor.execute("SET synchronous_commit = off")
            writer.commit()
            self._local.connection = writer
            with self._lock:
                self._connections.append(writer)
        return writer

    def _copy_committed(self, tables, sequences) -> None:
        writer = self._writer()
        try:
            with writer.cursor() as cursor:
                self._copy_all(cursor, tables, sequences)
            writer.commit()
        except BaseException:
            writer.rollback()
            raise

    @staticmethod
    def _copy_all(cursor, tables, sequences) -> None:
        for model, columns, rows in tables:
            if not rows:
                continue
            quoted = ", ".join(f'"{c}"' for c in columns)
            text = io.StringIO(_copy_text(model, columns, rows))
            cursor.copy_expert(f'COPY "{model._meta.db_table}" ({quoted}) FROM STDIN', text,
                               size=1 << 20)  # fmt: skip
        if sequences:
            from psycopg2.extras import execute_values

            table = DailySequence._meta.db_table
            execute_values(
                cursor,
                f'INSERT INTO "{table}" (agency_id, day, last_value) VALUES %s '  # noqa: S608
                "ON CONFLICT (agency_id, day) DO UPDATE SET "
                f'last_value = GREATEST(EXCLUDED.last_value, "{table}".last_value)',
                # Sorted: concurrent writers lock the day rows in one order (no deadlock).
                sorted((agency, day, value) for (agency, day), value in sequences.items()),
                page_size=5000,
            )

    @staticmethod
    def _bulk_all(tables, sequences) -> None:
        for model, columns, rows in tables:
            if rows:
                with _explicit_timestamps(model):
                    model.objects.bulk_create(
                        [model(**dict(zip(columns, row, strict=True))) for row in rows],
                        batch_size=500,
                    )
        DailySequence.objects.bulk_create(
            [DailySequence(agency_id=agency, day=day, last_value=value)
             for (agency, day), value in sequences.items()],
            update_conflicts=True, unique_fields=["agency", "day"], update_fields=["last_value"],
            batch_size=500,
        )  # fmt: skip

    def analyze(self, models_: Iterable[type[models.Model]]) -> None:
        if not self.postgres or connection.in_atomic_block:
            return
        # VACUUM as well: a bulk load leaves the visibility map empty, and a live
        # database's autovacuum would have set it long before anyone queried it.
        with connection.cursor() as cursor:
            for model in models_:
                cursor.execute(f'VACUUM (ANALYZE) "{model._meta.db_table}"')


@contextmanager
def _explicit_timestamps(model: type[models.Model]):
    """bulk_create would stamp auto_now(_add) fields with the present: keep the
    generated history's own times."""
    switched = []
    for field in model._meta.concrete_fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            switched.append((field, field.auto_now, field.auto_now_add))
            field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in switched:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add
