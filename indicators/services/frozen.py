"""The items behind a published period's scores, frozen at publication.

The scores of a published period are frozen (``IndicatorResult``); so must
be the lists that explain them, or the drill-down of a published month would
change with every later correction (issue #14, item 2). At publication the
failing items of every criterion are stored per reported unit, as the
results are (``FrozenCase.agency``: the unit, None: the province):

* dossiers from the very rows table the scores were counted from (the engine
  calls ``DossierCollector`` with it), with the same predicates and reasons
  as the live drill-down (``engine.rows``);
* PAKN and procedures from the drill-down's own queries, in the same
  transaction;
* province-level lists (1.1, 1.2, 1.3) once, under the province.

Reading a frozen list returns the live objects restricted to the frozen
ones, each with its frozen reason (and, for dossiers, its frozen dates).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection
from django.db.models import OuterRef, QuerySet, Subquery, Value
from django.utils.translation import gettext as _

from dossiers.models import Dossier
from feedback.selectors import period_bounds

from .. import engine
from ..criteria import CATALOGUE, DOSSIER, FEEDBACK, NONE, PROCEDURE, PROVINCE_LEVEL, Code
from ..engine.rows import dossier_criteria, flag, reason_expression
from ..models import Criterion, FrozenCase, ReportPeriod

BATCH = 5000
COPY_BATCH = 50_000
PROVINCE_LISTS = PROVINCE_LEVEL


class DossierCollector:
    """Reads, from the engine's rows table, the dossiers that fail each dossier
    criterion: (code, dossier, receiving agency, reason, due, deadline, end)."""

    def __init__(self, period: ReportPeriod) -> None:
        self.period = period
        since, until = period_bounds(period.start, period.end)
        self.criteria = dossier_criteria(since, until, period.rule_set)
        self.items: list[tuple] = []
        self.inputs: engine.Inputs | None = None
        self.scope: engine.Scope | None = None
        # Set by a publication run: reports listing the failing dossiers.
        self.progress = None

    def take_inputs(self, inputs: engine.Inputs, scope: engine.Scope) -> None:
        """The engine's counts and procedure sets (the procedure lists come from them)."""
        self.inputs, self.scope = inputs, scope

    def __call__(self, rows: QuerySet) -> None:
        if self.progress is not None:
            self.progress(25, _("Đang lập danh sách hồ sơ mất điểm"))
        for code, criterion in self.criteria.items():
            failing = (
                rows.filter(criterion.denominator)
                .annotate(passes=flag(criterion.numerator))
                .filter(passes=0)
                .annotate(reason=reason_expression(criterion))
                .values_list("id", "receiving_agency_id", "reason", "due", "deadline", "end_at")
            )
            self.items.extend((code, *row) for row in failing.iterator(chunk_size=BATCH))


def _owners(scope: engine.Scope) -> dict[int, list[int | None]]:
    """Per agency, the reported units whose lists hold its items (as the scores
    pool them: every unit whose subtree holds it, and the province)."""
    owners: dict[int, list[int | None]] = defaultdict(list)
    for pk, path in scope.units:
        for member, _kind in scope.subtree(path):
            owners[member].append(pk)
    for member in scope.member_ids:
        owners[member].append(None)
    return owners


def _listed(period: ReportPeriod, agency, code: str) -> tuple[str, QuerySet]:
    from .drilldown import list_for  # the drill-down's own queries

    return list_for(period, agency, code)


def _procedure_failures(unit, code: str) -> set[int]:
    """The procedures a unit's score on ``code`` counts against it, from the very
    sets the engine scored (``engine.unit_input``): no query."""
    procedures, uses = unit.catalogue.procedures, unit.uses

    def used(p: int, flag: str) -> bool:
        use = uses.get(p)
        return bool(use and getattr(use, flag))

    online = {p for p in unit.authority if procedures[p].online}
    if code == Code.ONLINE_SERVICES:
        return set(unit.authority) - online
    if code == Code.ONLINE_SERVICES_USED:
        return {p for p in online if not used(p, "online")}
    if code == Code.FEE_LIST_SYNCED:
        return {p for p in unit.fee_authority if not used(p, "fee_listed")}
    if code == Code.PAID_ONLINE_PROCEDURES:
        return {p for p in unit.fee_authority if not used(p, "paid_online")}
    # 4.5a: procedures for citizens with dossiers in the period, none using population data.
    return {p for p, use in uses.items() if use.citizen and not use.population}


def cases_freeze(period: ReportPeriod, collector: DossierCollector) -> int:
    """Store the failing items of every criterion of ``period`` for the
    province and every active unit. Returns the number of rows stored."""
    rows = cases_collect(period, collector)
    cases_store(period, rows)
    return len(rows)


def cases_collect(period: ReportPeriod, collector: DossierCollector) -> list[tuple]:
    """The failing items of every criterion of ``period``, for the province and
    every active unit, as rows of ``COLUMNS`` (nothing written: publication
    reads them outside its final transaction and stores them inside it)."""
    from .drilldown import PROCEDURE_REASONS

    scope = collector.scope or engine.resolve_scope(None)
    owners = _owners(scope)
    rows: list[tuple] = []

    def add(code: str, kind: str, pk: int, agencies: Iterable[int | None], reason: str, **dates):
        text = str(reason)[:255]
        dated = (dates.get("due_at"), dates.get("deadline_at"), dates.get("end_at"))
        rows.extend((period.pk, owner, code, kind, pk, text, *dated) for owner in agencies)

    for code, pk, agency_id, reason, due, deadline, end_at in collector.items:
        add(code, DOSSIER, pk, owners.get(agency_id, ()), reason, due_at=due,
            deadline_at=deadline, end_at=end_at)  # fmt: skip
    codes = Criterion.objects.filter(rule_set=period.rule_set).values_list("code", flat=True)
    units = [None, *(pk for pk, _path in scope.units)]
    agencies = {a.pk: a for a in _agencies(pk for pk, _path in scope.units)}
    pools = _pools(collector, scope) if collector.inputs is not None else {}
    for code in codes:
        if code in collector.criteria:
            continue
        if code in CATALOGUE and pools:
            for owner, unit in pools.items():
                for pk in sorted(_procedure_failures(unit, code)):
                    add(code, PROCEDURE, pk, [owner], PROCEDURE_REASONS[code])
            continue
        if code in PROVINCE_LISTS:
            kind, listed = _listed(period, None, code)
            for pk, reason in listed.values_list("pk", "reason"):
                add(code, kind, pk, [None], reason)
        elif code in (Code.PAKN_ON_TIME, Code.PAKN_SATISFACTION):
            kind, listed = _listed(period, None, code)
            for pk, agency_id, reason in listed.values_list("pk", "agency_id", "reason"):
                add(code, FEEDBACK, pk, owners.get(agency_id, ()), reason)
        else:
            for unit in units:
                kind, listed = _listed(period, agencies.get(unit), code)
                if kind == NONE:
                    break
                for pk, reason in listed.values_list("pk", "reason"):
                    add(code, kind, pk, [unit], reason)
    return rows


def cases_store(period: ReportPeriod, rows: list[tuple]) -> None:
    """Replace the period's frozen items with ``rows``. The caller holds the
    period lock inside the transaction that publishes it."""
    FrozenCase.objects.filter(period=period).delete()
    if connection.vendor == "postgresql":
        _copy(rows)
    else:
        _insert(rows)


COLUMNS = (
    "period_id",
    "agency_id",
    "criterion_code",
    "kind",
    "object_id",
    "reason",
    "due_at",
    "deadline_at",
    "end_at",
)


def _sql_names() -> tuple[str, str]:
    table = connection.ops.quote_name(FrozenCase._meta.db_table)
    return table, ", ".join(connection.ops.quote_name(c) for c in COLUMNS)


def _copy(rows: list[tuple]) -> None:
    """PostgreSQL: COPY in batches of CSV (benchmarks/publication.py measured it
    against parameterised INSERTs). The csv module quotes None as "" too, so
    the nullable columns read "" as NULL (FORCE_NULL) while an empty reason stays ''."""
    table, columns = _sql_names()
    nullable = ", ".join(
        connection.ops.quote_name(c) for c in ("agency_id", "due_at", "deadline_at", "end_at")
    )
    # Table and column names are constants of this module; the data is CSV.
    sql = f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, FORCE_NULL ({nullable}))"
    with connection.cursor() as cursor:
        for first in range(0, len(rows), COPY_BATCH):
            buffer = io.StringIO()
            writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
            writer.writerows(
                (*row[:6], *(None if d is None else d.isoformat() for d in row[6:9]))
                for row in rows[first : first + COPY_BATCH]
            )
            buffer.seek(0)
            cursor.copy_expert(sql, buffer)


def _insert(rows: list[tuple]) -> None:
    """Plain parameterised INSERTs in batches (other databases: the tests' SQLite);
    building a model instance per row costs more than the database does."""
    table, columns = _sql_names()
    marks = ", ".join(["%s"] * len(COLUMNS))
    # Table and column names are constants of this module; values are parameters.
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        for first in range(0, len(rows), BATCH):
            cursor.executemany(
                sql,
                [
                    (*row[:6], adapt(row[6]), adapt(row[7]), adapt(row[8]))
                    for row in rows[first : first + BATCH]
                ],
            )


def _pools(collector: DossierCollector, scope: engine.Scope) -> dict:
    """Each reported unit's (and the province's) pooled engine input."""
    kinds = {pk: kind for _path, pk, kind in scope.paths}
    pools = {
        pk: engine.unit_input(collector.inputs, pk, scope.subtree(path)) for pk, path in scope.units
    }
    province = [(pk, kinds[pk]) for pk in scope.member_ids]
    pools[None] = engine.unit_input(collector.inputs, None, province)
    return pools


def _agencies(ids: Iterable[int]):
    from tthc_portal.agencies.models import Agency

    return Agency.objects.filter(pk__in=list(ids))


def frozen_queryset(period: ReportPeriod, agency, code: str, kind: str) -> QuerySet:
    """The live objects of a frozen list, each annotated with its frozen
    ``reason`` (dossiers also ``due``, ``deadline`` and ``end_at``)."""
    from .drilldown import LISTED

    owner = None if code in PROVINCE_LISTS or agency is None else agency.pk
    frozen = FrozenCase.objects.filter(period=period, criterion_code=code, agency_id=owner)
    if kind not in LISTED:
        return Dossier.objects.none().annotate(reason=Value(""))
    model, related, ordering = LISTED[kind]()
    mine = frozen.filter(object_id=OuterRef("pk")).order_by()
    queryset = model.objects.filter(pk__in=frozen.values("object_id")).annotate(
        reason=Subquery(mine.values("reason")[:1])
    )
    if model is Dossier:
        queryset = queryset.annotate(
            due=Subquery(mine.values("due_at")[:1]),
            deadline=Subquery(mine.values("deadline_at")[:1]),
            end_at=Subquery(mine.values("end_at")[:1]),
        )
    return queryset.select_related(*related).order_by(*ordering)


__all__ = [
    "DossierCollector",
    "cases_collect",
    "cases_freeze",
    "cases_store",
    "frozen_queryset",
]
