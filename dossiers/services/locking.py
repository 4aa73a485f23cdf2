"""The dossier's row lock, compiled once per connection (issue #17).

Every transition starts by locking its dossier with the rows its checks read
(``select_for_update().select_related(…).get(pk=…)``). The statement differs
only by the primary key, yet the ORM compiles it anew each time: 130-odd
columns over up to five tables cost most of the lock's Python (measured on
PostgreSQL: 1.8–2.0 ms a lock compiled each time, 0.4–0.5 ms compiled once;
the database's part is a primary-key lookup). Here the ORM compiles it
once per connection and set of related tables, and each call runs the same
SQL with its key, building the instances the way ``QuerySet.get`` does
(converters, ``Model.from_db``, the related populators).

Kept per connection because the converters are bound to the connection's
operations (threads never share one). This reads Django's compiler the way
``ModelIterable`` does; any transition exercises it, so a Django upgrade that
changes those internals fails every lifecycle test at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connections, router
from django.db.models.query import get_related_populators
from django.db.transaction import TransactionManagementError

from ..models import Dossier

_PROBE_PK = -1  # compiled with a placeholder key, replaced by each call's own


@dataclass(frozen=True)
class _Plan:
    sql: str
    key_position: int
    params: tuple
    converters: list
    init_list: list[str]
    start: int
    end: int
    populators: list


def _plan(db: str, related: tuple[str, ...]) -> _Plan:
    queryset = (
        Dossier.objects.using(db)
        .select_for_update(of=("self",))
        .select_related(*related)
        .filter(pk=_PROBE_PK)
        .order_by()  # as ``get`` leaves it: one row, no sort
    )
    compiler = queryset.query.get_compiler(using=db)
    sql, params = compiler.as_sql()
    positions = [i for i, value in enumerate(params) if value == _PROBE_PK]
    if len(positions) != 1:  # the key must be the statement's one parameter
        raise AssertionError(f"lock query parameters {params!r}")
    select, klass_info = compiler.select, compiler.klass_info
    fields = [column[0] for column in select[: compiler.col_count]]
    converters = list(compiler.get_converters(fields).items())
    select_fields = klass_info["select_fields"]
    start, end = select_fields[0], select_fields[-1] + 1
    return _Plan(
        sql=sql,
        key_position=positions[0],
        params=tuple(params),
        converters=converters,
        init_list=[column[0].target.attname for column in select[start:end]],
        start=start,
        end=end,
        populators=get_related_populators(klass_info, select, db),
    )


def dossier_lock(pk: int, related: tuple[str, ...]) -> Dossier:
    """``Dossier.objects.select_for_update(of=("self",)).select_related(*related)
    .get(pk=pk)``, without compiling it again. Call inside a transaction."""
    db = router.db_for_write(Dossier)
    connection = connections[db]
    if connection.get_autocommit():  # what the ORM's compiler says for a lock
        raise TransactionManagementError(
            "select_for_update cannot be used outside of a transaction."
        )
    plans = connection.__dict__.setdefault("_tthc_dossier_lock_plans", {})
    plan = plans.get(related)
    if plan is None:
        plan = plans[related] = _plan(db, related)
    params = list(plan.params)
    params[plan.key_position] = Dossier._meta.pk.get_prep_value(pk)  # as ``filter(pk=…)``
    with connection.cursor() as cursor:
        cursor.execute(plan.sql, params)
        row = cursor.fetchone()
    if row is None:
        raise Dossier.DoesNotExist("Dossier matching query does not exist.")
    row = list(row)
    for position, (functions, expression) in plan.converters:
        value = row[position]
        for convert in functions:
            value = convert(value, expression, connection)
        row[position] = value
    dossier = Dossier.from_db(db, plan.init_list, row[plan.start : plan.end])
    for populator in plan.populators:
        populator.populate(row, dossier)
    return dossier
