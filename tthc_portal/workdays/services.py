"""The one calendar service: every deadline in the portal is computed here."""

from __future__ import annotations

import json
import logging
import threading
import time as monotonic_clock
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

from tthc_portal.audit.services import audit_record
from tthc_portal.cache_safety import CACHE_ERRORS, CacheUnavailable, strict_cache

from .calendar import DeadlineMode, WorkCalendar, parse_office_hours
from .models import CalendarException, ExceptionKind

logger = logging.getLogger(__name__)

_GENERATION_KEY = "workdays:generation"
_local: dict[str, WorkCalendar] = {}
# While the shared cache is unreachable no process can learn of another's edit:
# each keeps a copy read from the database for this long, then reads it again.
FALLBACK_SECONDS = 30.0
_fallback: dict[str, tuple[float, WorkCalendar]] = {}
# Set while this process has an uncommitted calendar edit: a calendar built
# from it must not be cached, since a rollback would leave it behind.
_uncommitted_edit = threading.local()


def get_calendar() -> WorkCalendar:
    """The current calendar, rebuilt only after an exception row changes.

    The generation marker lives in the shared cache, so an edit made in the
    web process is seen by Celery workers on their next call.
    """
    if getattr(_uncommitted_edit, "pending", False):
        if connection.in_atomic_block:
            return _build_calendar()
        # The edit's transaction is over (committed or rolled back): rebuild.
        _uncommitted_edit.pending = False
        _local.clear()
    try:
        generation = _generation()
    except (CacheUnavailable, *CACHE_ERRORS):
        return _fallback_calendar()
    _fallback.clear()
    calendar = _local.get(generation)
    if calendar is None:
        calendar = _build_calendar()
        _local.clear()
        _local[generation] = calendar
    return calendar


def _generation() -> str:
    shared = strict_cache(cache)
    generation = shared.get(_GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        shared.set(_GENERATION_KEY, generation, None)
    return generation


def _fallback_calendar() -> WorkCalendar:
    """The calendar straight from the database while the cache is down.

    The generation-keyed copy is dropped: an edit made during the outage was not
    announced, so when the cache returns this process rebuilds once.
    """
    _local.clear()
    now = monotonic_clock.monotonic()
    held = _fallback.get("calendar")
    if held is not None and held[0] > now:
        return held[1]
    calendar = _build_calendar()
    _fallback["calendar"] = (now + FALLBACK_SECONDS, calendar)
    return calendar


def calendar_from_database() -> WorkCalendar:
    """A calendar read from the table now, bypassing every cached copy: for
    work that must see an edit just committed (deadline recomputation)."""
    return _build_calendar()


def _build_calendar() -> WorkCalendar:
    return WorkCalendar(
        dict(CalendarException.objects.values_list("date", "kind")),
        office_hours=parse_office_hours(settings.TTHC["OFFICE_HOURS"]),
        tz=settings.TIME_ZONE,
        immediate_grace=timedelta(hours=settings.TTHC["IMMEDIATE_GRACE_HOURS"]),
    )


def calendar_invalidate() -> None:
    _uncommitted_edit.pending = False
    _local.clear()
    _fallback.clear()
    try:
        strict_cache(cache).set(_GENERATION_KEY, uuid.uuid4().hex, None)
    except (CacheUnavailable, *CACHE_ERRORS) as exc:
        # Runs after commit: the edit is saved. Other processes read the database
        # again within FALLBACK_SECONDS while the cache is down.
        logger.warning("Calendar edit not announced, the cache is unreachable: %s", exc)


def calendar_forget_local() -> None:
    _uncommitted_edit.pending = False
    _local.clear()
    _fallback.clear()


def calendar_mark_edited() -> None:
    """Called on every exception row change, inside the editing transaction."""
    _local.clear()
    if not connection.in_atomic_block:
        calendar_invalidate()
    elif not getattr(_uncommitted_edit, "pending", False):
        _uncommitted_edit.pending = True
        transaction.on_commit(calendar_invalidate)


class _DeadlinesJob:
    """The days edited in one transaction, queued as one recomputation after
    it commits (a callable on Django's commit hooks)."""

    def __init__(self) -> None:
        self.days: set[date] = set()
        self.exception_ids: set[int] = set()

    def __call__(self) -> None:
        from .events import calendar_days_edited

        if getattr(_pending_job, "job", None) is self:
            _pending_job.job = None
        # The apps that store deadlines listen (dossiers queues its recomputation).
        calendar_days_edited.send(
            sender=CalendarException,
            days=sorted(self.days),
            exception_ids=sorted(self.exception_ids),
        )


_pending_job = threading.local()


def calendar_deadlines_schedule(day: date, exception_id: int | None = None) -> None:
    """Queue the recomputation of the deadlines an edited day can move.

    Every day edited in one transaction (a year loaded from the file) goes into
    one job, queued after the commit: the worker must read the edit, and a
    rolled-back edit moves nothing.
    """
    job = getattr(_pending_job, "job", None)
    # A rollback (of the transaction or a savepoint) drops the hook: start again.
    if job is None or not any(func is job for _ids, func, _robust in connection.run_on_commit):
        job = _DeadlinesJob()
        if connection.in_atomic_block:
            _pending_job.job = job
            transaction.on_commit(job, robust=True)
        else:
            job.days.add(day)
            job.exception_ids.update([exception_id] if exception_id is not None else [])
            job()
            return
    job.days.add(day)
    if exception_id is not None:
        job.exception_ids.add(exception_id)


def calendar_exception_save(
    *, actor, day: date, kind: str, name: str, source: str = ""
) -> CalendarException:
    with transaction.atomic():
        existing = CalendarException.objects.select_for_update().filter(date=day).first()
        before = (
            {"kind": existing.kind, "name": existing.name, "source": existing.source}
            if existing
            else None
        )
        exception, _ = CalendarException.objects.update_or_create(
            date=day, defaults={"kind": kind, "name": name, "source": source}
        )
        audit_record(
            actor=actor,
            action="calendar_exception.save",
            target=exception,
            before=before,
            after={"date": day, "kind": kind, "name": name, "source": source},
        )
    return exception


def calendar_exception_delete(*, actor, exception: CalendarException) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="calendar_exception.delete",
            target=exception,
            before={"date": exception.date, "kind": exception.kind, "name": exception.name},
        )
        exception.delete()


def calendar_load_file(path: str | Path | None = None) -> int:
    """Load the official holiday file; existing rows for those dates are replaced.

    Returns the number of rows written.
    """
    path = Path(path or settings.TTHC["HOLIDAYS_FILE"])
    data = json.loads(path.read_text(encoding="utf-8"))
    count = 0
    with transaction.atomic():
        for entry in data["entries"]:
            CalendarException.objects.update_or_create(
                date=date.fromisoformat(entry["date"]),
                defaults={
                    "kind": entry["kind"],
                    "name": entry["name"][:255],
                    "source": (entry.get("source") or "")[:500],
                },
            )
            count += 1
    return count


def calendar_fill_from_package(years: list[int]) -> int:
    """For years the official file lacks, fall back on the ``holidays`` package.

    Only years with no exception rows at all are filled, so announced swaps
    and make-up days entered by staff are never overwritten by the package's
    generic rules.
    """
    import holidays

    known_years = {d.year for d in CalendarException.objects.values_list("date", flat=True)}
    count = 0
    with transaction.atomic():
        for year in years:
            if year in known_years:
                continue
            known_years.add(year)
            # English labels are stable ("(observed)") so they decide the kind;
            # the Vietnamese ones are what staff read on the calendar page.
            english = holidays.country_holidays("VN", years=year, language="en_US")
            vietnamese = holidays.country_holidays("VN", years=year, language="vi")
            for day, label in sorted(english.items()):
                kind = (
                    ExceptionKind.DAY_OFF if "observed" in label.lower() else ExceptionKind.HOLIDAY
                )
                _, created = CalendarException.objects.get_or_create(
                    date=day,
                    defaults={
                        "kind": kind,
                        "name": vietnamese.get(day, label)[:255],
                        "source": "holidays package (generic rules)",
                    },
                )
                count += created
    return count


@dataclass(frozen=True)
class AddResult:
    clock_start: datetime
    due: datetime
    skipped: list[tuple[date, str]]


def calendar_add(
    start: datetime,
    value: Decimal,
    unit: str,
    *,
    mode: str = DeadlineMode.WORKING_HOURS,
    cutoff: time | None = None,
) -> AddResult:
    """Add ``value`` working days ("d") or hours ("h") to ``start``.

    Used by the staff calculator page and ``manage.py workdays add``: applies
    the cut-off and out-of-hours rules, then reports the days skipped.
    """
    calendar = get_calendar()
    clock_start = calendar.clock_start(start, cutoff)
    if unit == "h":
        due = calendar.add_working_hours(clock_start, value)
    elif mode == DeadlineMode.WHOLE_DAY:
        due = calendar.add_working_days(start, value, DeadlineMode.WHOLE_DAY)
        due = max(due, calendar.closing_of(clock_start.date()))
    else:
        due = calendar.add_working_days(clock_start, value, DeadlineMode.WORKING_HOURS)
    return AddResult(clock_start, due, calendar.skipped_days(start, due))
