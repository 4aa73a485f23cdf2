"""The session's temporary table of candidate dossiers (``DossierRow``): filled
from the raw per-dossier values of ``rows`` in one statement, read with the
derived values, dropped afterwards."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from django.db import DatabaseError, connection
from django.db.models import QuerySet

from dossiers.models import Dossier

from ..models import DossierRow, IndexRuleSet
from .rows import candidate_filter, raw_annotations, with_derived

ROW_FIELDS = [f.name for f in DossierRow._meta.concrete_fields]


def _table() -> str:
    schema = "pg_temp" if connection.vendor == "postgresql" else "temp"
    return f"{schema}.{connection.ops.quote_name(DossierRow._meta.db_table)}"


def _drop() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_table()}")


@contextmanager
def dossier_rows(
    *,
    since: datetime.datetime,
    until: datetime.datetime,
    rule_set: IndexRuleSet,
    agency_ids: list[int] | None = None,
    judged_at: datetime.datetime | None = None,
) -> Iterator[QuerySet[DossierRow]]:
    """Fill the session's temporary table with the period's candidate dossiers
    (of ``agency_ids``, or of the whole province) and yield a queryset over it
    carrying ``deadline``, ``on_time`` (judged at ``judged_at``, default the
    period end) and ``on_time_end`` (judged at the period end). Three statements: drop, fill, drop
    (five on PostgreSQL: JIT is switched off around the fill)."""
    source = Dossier.objects.filter(candidate_filter(since, until))
    if agency_ids is not None:
        source = source.filter(receiving_agency_id__in=agency_ids)
    source = source.annotate(**raw_annotations(since, until, rule_set)).values(*ROW_FIELDS)
    sql, params = source.order_by().query.sql_with_params()
    name = connection.ops.quote_name(DossierRow._meta.db_table)
    _drop()
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgres:
            # Many sub-plans push the estimated cost over jit_above_cost; compiling
            # them costs seconds while running them takes a fraction of that.
            cursor.execute("SET jit = off")
        try:
            # The table name is a constant of this module, the body is the ORM's SQL.
            cursor.execute(f"CREATE TEMPORARY TABLE {name} AS {sql}", params)
        finally:
            if postgres:
                with suppress(DatabaseError):
                    cursor.execute("RESET jit")
    try:
        yield with_derived(DossierRow.objects.all(), until, judged_at)
    finally:
        # After a database error the transaction is aborted and rolls the table back anyway.
        with suppress(DatabaseError):
            _drop()
