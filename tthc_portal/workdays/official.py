"""The official holiday calendar is reference data every installation has.

The file shipped with the portal (``TTHC["HOLIDAYS_FILE"]``) is installed after
every ``migrate`` (a ``post_migrate`` receiver), not by the demo seeding: a
production database that was only migrated must count Tết, 30/4 and 2/9. A
release is installed once (by checksum). Updating to a newer file changes the
rows the previous release wrote, but never a day staff have edited since, which
is reported instead. A year with no holiday rows is reported on the calendar
page and by ``check --deploy``.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tthc_portal.audit.services import audit_record

from .models import CalendarException, ExceptionKind, OfficialCalendarRelease
from .services import calendar_deadlines_schedule, calendar_mark_edited

logger = logging.getLogger(__name__)


@dataclass
class InstallResult:
    created: int = 0
    updated: int = 0
    kept: list[str] = field(default_factory=list)
    installed: bool = False


def _read(path: Path) -> tuple[str, list[dict]]:
    raw = path.read_bytes()
    data = json.loads(raw.decode("utf-8"))
    entries = [
        {
            "date": entry["date"],
            "kind": entry["kind"],
            "name": entry["name"][:255],
            "source": (entry.get("source") or "")[:500],
        }
        for entry in data["entries"]
    ]
    return hashlib.sha256(raw).hexdigest(), entries


def calendar_install_official(
    *, using: str = "default", path: str | Path | None = None
) -> InstallResult:
    """Install the shipped holiday file unless this exact release is installed.

    Rows are compared with what the previous release wrote: equal means nobody
    touched them, so the new release may replace them; different means staff
    changed the day, and their change wins (listed in ``kept``).
    """
    path = Path(path or settings.TTHC["HOLIDAYS_FILE"])
    checksum, entries = _read(path)
    result = InstallResult()
    with transaction.atomic(using=using):
        releases = OfficialCalendarRelease.objects.using(using)
        if releases.filter(checksum=checksum).exists():
            return result
        previous = releases.select_for_update().first()
        before = {e["date"]: e for e in (previous.entries if previous else [])}
        rows = {
            row.date.isoformat(): row
            for row in CalendarException.objects.using(using).filter(
                date__in=[date.fromisoformat(e["date"]) for e in entries]
            )
        }
        new_rows = []
        for entry in entries:
            row = rows.get(entry["date"])
            if row is None:
                new_rows.append(
                    CalendarException(
                        date=date.fromisoformat(entry["date"]),
                        kind=entry["kind"],
                        name=entry["name"],
                        source=entry["source"],
                    )
                )
                continue
            current = {"kind": row.kind, "name": row.name, "source": row.source}
            wanted = {k: entry[k] for k in ("kind", "name", "source")}
            if current == wanted:
                continue
            old = before.get(entry["date"])
            if old is not None and current == {k: old[k] for k in ("kind", "name", "source")}:
                for key, value in wanted.items():
                    setattr(row, key, value)
                row.save(using=using)
                result.updated += 1
            else:
                result.kept.append(entry["date"])
        # Added in bulk: the first installation has no deadline to move, and a
        # later release's new days (next year's Tết) are scheduled explicitly.
        CalendarException.objects.using(using).bulk_create(new_rows)
        result.created = len(new_rows)
        calendar_mark_edited()
        if previous is not None:
            for row in new_rows:
                calendar_deadlines_schedule(row.date)
        release = releases.create(
            checksum=checksum,
            years=sorted({int(e["date"][:4]) for e in entries}),
            entries=entries,
            kept=result.kept,
        )
        # The first installation is part of creating the database (like the
        # migrations themselves); a later release changes live data: audited.
        if previous is not None:
            audit_record(
                actor=None,
                action="calendar.official_install",
                target=release,
                after={
                    "file": path.name,
                    "created": result.created,
                    "updated": result.updated,
                    "kept": result.kept,
                },
            )
    result.installed = True
    if result.kept:
        logger.warning(
            "Official holiday file %s: %d day(s) edited by staff were kept: %s",
            path.name,
            len(result.kept),
            ", ".join(result.kept),
        )
    return result


def calendar_years_to_check(today: date | None = None) -> list[int]:
    """The current year, and the next one from the configured day of the year on.

    Dossiers received in December fall due in January: the next year's
    calendar is needed before the year turns.
    """
    today = today or timezone.localdate()
    month, day = (int(part) for part in settings.TTHC["CALENDAR_NEXT_YEAR_FROM"].split("-"))
    years = [today.year]
    if (today.month, today.day) >= (month, day):
        years.append(today.year + 1)
    return years


# The nightly fallback (``calendar_fill_from_package``) marks its rows so: they
# follow the generic rules, not the Government's announcement of that year.
GENERIC_SOURCE = "holidays package (generic rules)"


def calendar_missing_years(today: date | None = None, *, using: str = "default") -> list[int]:
    """Years that must be known by now and have no announced holiday row.

    A year filled only by the generic fallback still counts as missing: its
    compensatory days and swaps are guesses until staff enter the announcement.
    """
    years = calendar_years_to_check(today)
    known = set(
        CalendarException.objects.using(using)
        .filter(date__year__in=years, kind=ExceptionKind.HOLIDAY)
        .exclude(source=GENERIC_SOURCE)
        .values_list("date__year", flat=True)
    )
    return [year for year in years if year not in known]
