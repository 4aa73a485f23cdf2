"""Fill the stored due-soon instants of rows written without them: migration
0019 (every open row, once) and the synthetic generator (which COPYs rows).

Set-based: the rows are read in primary-key batches, the instants computed in
Python with the calendar (``working_hours_before`` has no SQL form: it walks
office periods and days off), memoised per due instant — many dossiers share
one closing time — and each batch written in one UPDATE. The steps' copy of
their dossier's due instant is one UPDATE … FROM.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import connection as default_connection

from tthc_portal.workdays.calendar import WorkCalendar

from .deadlines import SAME_DAY_UNITS, apology_ask_hours, due_soon_hours, working_hours_before

BATCH = 10_000
OPEN = ("received", "in_processing", "awaiting_supplement")
DOSSIERS, STEPS = "dossiers_dossier", "dossiers_dossierstep"


class _Before:
    """``working_hours_before`` memoised by (due instant, hours)."""

    def __init__(self, calendar: WorkCalendar) -> None:
        self.calendar = calendar
        self.memo: dict[tuple[datetime, float], datetime] = {}

    def __call__(self, due: datetime | None, hours: float) -> datetime | None:
        if due is None:
            return None
        key = (due, hours)
        value = self.memo.get(key)
        if value is None:
            value = self.memo[key] = working_hours_before(due, hours, self.calendar)
        return value


def _write(cursor, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """``UPDATE table SET columns = … WHERE id = …`` for every row (id first)."""
    if not rows:
        return
    # As the backend stores instants (SQLite: naive UTC text).
    adapt = cursor.db.ops.adapt_datetimefield_value
    rows = [(row[0], *(adapt(value) for value in row[1:])) for row in rows]
    sets = ", ".join(f'"{c}" = %s' for c in columns)
    if cursor.db.vendor != "postgresql":
        sql = f'UPDATE "{table}" SET {sets} WHERE "id" = %s'  # noqa: S608 (fixed names)
        cursor.executemany(sql, [(*row[1:], row[0]) for row in rows])
        return
    values = ", ".join(["(%s" + ", %s::timestamptz" * len(columns) + ")"] * len(rows))
    assign = ", ".join(f'"{c}" = v."{c}"' for c in columns)
    names = ", ".join(f'"{c}"' for c in ("id", *columns))
    cursor.execute(
        f'UPDATE "{table}" AS t SET {assign} FROM (VALUES {values}) AS v({names}) '  # noqa: S608
        'WHERE t."id" = v."id"',
        [value for row in rows for value in row],
    )


def _batches(cursor, select: str, params: tuple = ()):
    """Rows of ``select`` (id first, ``id > %s`` as its last condition) by keyset."""
    last = 0
    while True:
        cursor.execute(select + ' ORDER BY "id" LIMIT %s', (*params, last, BATCH))
        rows = cursor.fetchall()
        if not rows:
            return
        if cursor.db.vendor != "postgresql":
            # A raw SQLite cursor reads naive UTC instants.
            rows = [
                tuple(v.replace(tzinfo=UTC) if isinstance(v, datetime) else v for v in row)
                for row in rows
            ]
        yield rows
        last = rows[-1][0]


def due_soon_backfill(calendar: WorkCalendar, connection=None) -> tuple[int, int]:
    """Store ``due_soon_at`` / ``apology_ask_at`` on every open dossier and
    ``due_soon_at`` / ``dossier_due_at`` on every open step, as the services
    would have; (dossiers, steps) written."""
    connection = connection or default_connection
    before = _Before(calendar)
    regular, same_day = due_soon_hours(), due_soon_hours(SAME_DAY_UNITS[0])
    ask = apology_ask_hours()
    dossiers = steps = 0
    marks = ", ".join(["%s"] * len(OPEN))
    with connection.cursor() as cursor:
        select = (
            f'SELECT "id", "due_at", "time_unit", "apology_issued" FROM "{DOSSIERS}" '  # noqa: S608
            f'WHERE "status" IN ({marks}) AND "due_at" IS NOT NULL AND "id" > %s'
        )
        for rows in _batches(cursor, select, OPEN):
            out = [
                (pk, before(due, same_day if unit in SAME_DAY_UNITS else regular),
                 None if issued else before(due, ask))
                for pk, due, unit, issued in rows
            ]  # fmt: skip
            _write(cursor, DOSSIERS, ("due_soon_at", "apology_ask_at"), out)
            dossiers += len(out)
        select = (
            f'SELECT "id", "due_at" FROM "{STEPS}" '  # noqa: S608
            'WHERE "completed_at" IS NULL AND "due_at" IS NOT NULL AND "id" > %s'
        )
        for rows in _batches(cursor, select):
            out = [(pk, before(due, regular)) for pk, due in rows]
            _write(cursor, STEPS, ("due_soon_at",), out)
            steps += len(rows)
        # The copy of a running dossier's due instant (services.deadlines.dossier_due_copy).
        cursor.execute(
            f'UPDATE "{STEPS}" SET "dossier_due_at" = ('  # noqa: S608
            f'SELECT d."due_at" FROM "{DOSSIERS}" d WHERE d."id" = "{STEPS}"."dossier_id" '
            'AND d."completed_at" IS NULL) WHERE "completed_at" IS NULL'
        )
    return dossiers, steps


def deadline_instants_recompute(now: datetime, calendar: WorkCalendar) -> tuple[int, int]:
    """After the province changes a notice (``DUE_SOON_WORKING_HOURS``,
    ``DUE_SOON_SAME_DAY_HOURS``, ``APOLOGY_REMINDER_WORKING_HOURS``): store the
    instants again on every open dossier and step from their due instants
    (recomputed, never shifted), lower the "due soon" flags the new notice no
    longer supports, and make the next sweep read every open row, so that rows
    whose new instant is already past are flagged at once. (dossiers, steps)."""
    from ..models import OPEN_STATUSES, Dossier, SweepMark
    from .overdue import MARK

    written = due_soon_backfill(calendar)
    Dossier.objects.filter(
        status__in=OPEN_STATUSES, due_soon=True, is_overdue=False, due_soon_at__gt=now
    ).update(due_soon=False)
    SweepMark.objects.filter(name=MARK).delete()
    return written
