"""A dossier's due time: computed by the calendar service, stored on the row.

Next to every stored due instant sit the instants the sweep compares with the
clock (healthchecks' ``alert_after``): when the row becomes "due soon" and
when the head is asked about an apology. They are computed here, from the
calendar, whenever the due instant is stored — never shifted — so the sweep is
one indexed compare-and-set per flag.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings

from tthc_portal.workdays.calendar import (
    DeadlineMode,
    DeadlineRule,
    Pause,
    TimeUnit,
    WorkCalendar,
)
from tthc_portal.workdays.services import get_calendar

from ..models import Dossier, DossierStep

SAME_DAY_UNITS = (TimeUnit.SAME_DAY, TimeUnit.IMMEDIATE)
_ONE_TICK = timedelta(microseconds=1)  # the database's resolution


def due_soon_hours(time_unit: str | None = None) -> float:
    """The one "due soon" rule (dossier-lifecycle §7): 1 working day before the
    due instant, or 3 working hours for same-day procedures (configurable)."""
    if time_unit in SAME_DAY_UNITS:
        return settings.TTHC.get("DUE_SOON_SAME_DAY_HOURS", 3)
    return settings.TTHC.get("DUE_SOON_WORKING_HOURS", 8)


def apology_ask_hours() -> float:
    """Heads are asked early enough that an apology is still allowed (it needs
    1 working day's notice): by default 2 working days before the deadline."""
    return settings.TTHC.get("APOLOGY_REMINDER_WORKING_HOURS", 16)


def finished_early(
    completed_at: datetime, due_at: datetime, calendar: WorkCalendar | None = None
) -> bool:
    """The one "early" rule (dossier-lifecycle §8, configurable): by default
    ``before_due_day`` — finished on a date before the due date (local time);
    ``before_due_time`` — anything before the due instant."""
    if settings.TTHC.get("EARLY_CONVENTION", "before_due_day") == "before_due_day":
        calendar = calendar or get_calendar()
        return calendar.local(completed_at).date() < calendar.local(due_at).date()
    return completed_at < due_at


def _previous_working_day(calendar: WorkCalendar, day: date) -> date:
    for _ in range(400):
        day -= timedelta(days=1)
        if calendar.is_working_day(day):
            return day
    raise ValueError("No working day in the calendar horizon")


def _periods_back(calendar: WorkCalendar, local: datetime):
    """Office periods (start, end) ending at or before ``local``, latest first;
    a period ``local`` falls inside is cut at ``local``."""
    day = local.date()
    periods = calendar.periods_on(day) if calendar.is_working_day(day) else []
    while True:
        for start, end in reversed(periods):
            if start < local:
                yield start, min(end, local)
        day = _previous_working_day(calendar, day)
        periods = calendar.periods_on(day)


def working_hours_before(
    due: datetime, hours: float | Decimal, calendar: WorkCalendar | None = None
) -> datetime:
    """The earliest instant ``t`` at which ``add_working_hours(t, hours) >= due``:
    "due within ``hours`` working hours" holds from ``t`` on, exactly as the
    run-time horizon ``due <= add_working_hours(now, hours)`` said it.

    Walks ``hours`` of office time back from ``due``. Landing on an opening,
    the instant is the previous closing (the office time in between is none).
    A due instant outside office time (or on an opening) is reached only by
    walking past the last closing before it, hence one tick after the landing.
    """
    calendar = calendar or get_calendar()
    remaining = timedelta(seconds=float(Decimal(str(hours)) * 3600))
    if remaining <= timedelta(0):
        return due
    local = calendar.local(due)
    inside = any(s < local <= e for s, e in calendar.periods_on(local.date()))
    landed_on_opening = False
    for start, end in _periods_back(calendar, local):
        if landed_on_opening:
            return end  # the closing before the opening we landed on
        available = end - start
        if remaining < available:
            landing = end - remaining
            return landing if inside else landing + _ONE_TICK
        if remaining == available:
            if not inside:
                return start + _ONE_TICK
            landed_on_opening = True
            continue
        remaining -= available
    raise AssertionError("unreachable")  # _periods_back never ends


def due_soon_from(
    due: datetime | None, time_unit: str | None = None, calendar: WorkCalendar | None = None
) -> datetime | None:
    """When a row due at ``due`` becomes "due soon" (None without a due instant)."""
    if due is None:
        return None
    return working_hours_before(due, due_soon_hours(time_unit), calendar)


def snapshot_rule(dossier: Dossier) -> list[str]:
    """Copy the version's deadline values onto the dossier (kept as received)."""
    version = dossier.procedure_version
    dossier.time_limit = version.time_limit
    dossier.time_unit = version.time_unit
    dossier.deadline_mode = version.deadline_mode
    dossier.cutoff_time = version.cutoff_time
    return ["time_limit", "time_unit", "deadline_mode", "cutoff_time"]


def dossier_rule(dossier: Dossier) -> DeadlineRule | None:
    if dossier.time_unit in (TimeUnit.SAME_DAY, TimeUnit.IMMEDIATE):
        limit = 0
    elif dossier.time_limit is None:
        return None
    else:
        limit = dossier.time_limit
    return DeadlineRule(
        limit=limit,
        unit=TimeUnit(dossier.time_unit or TimeUnit.WORKING_DAYS),
        mode=DeadlineMode(dossier.deadline_mode or DeadlineMode.WORKING_HOURS),
        cutoff=dossier.cutoff_time,
    )


def compute_due(
    dossier: Dossier, *, at_receipt: bool = False, calendar: WorkCalendar | None = None
) -> datetime | None:
    """Clock start + budget + paused working time (None while paused).
    ``at_receipt``: the pause ledger starts at receipt, so it is not read."""
    rule = dossier_rule(dossier)
    if rule is None or dossier.received_at is None:
        return None
    pauses = []
    if not at_receipt:
        pauses = [Pause(p.started_at, p.ended_at, p.reason) for p in dossier.pauses.all()]
    return (calendar or get_calendar()).due_at(dossier.received_at, rule, pauses)


def due_after_apology(dossier: Dossier, calendar: WorkCalendar | None = None) -> datetime | None:
    """After an apology its new date is the base, moved by the working time of
    the pauses that started after it (the citizen's time never counts)."""
    apology = dossier.apology
    later = [p for p in dossier.pauses.all() if p.started_at >= apology.issued_at]
    if any(p.ended_at is None for p in later):
        return None
    calendar = calendar or get_calendar()
    paused = sum(
        (calendar.working_time_between(p.started_at, p.ended_at) for p in later), timedelta(0)
    )
    return calendar.add_working_time(apology.new_due_at, paused) if paused else apology.new_due_at


def dossier_compute_due(dossier: Dossier, calendar: WorkCalendar | None = None) -> datetime | None:
    """``due_at`` from the stored inputs: the apology's date when one was
    issued, else receipt + budget + paused working time."""
    apology = getattr(dossier, "apology", None) if dossier.apology_issued else None
    if apology is None:
        return compute_due(dossier, calendar=calendar)
    return due_after_apology(dossier, calendar)


DUE_FIELDS = ["due_at", "due_soon_at", "apology_ask_at"]


def dossier_due_set(
    dossier: Dossier,
    due_at: datetime | None,
    *,
    original: bool = False,
    calendar: WorkCalendar | None = None,
) -> list[str]:
    """Store the dossier's due instant with the instants the sweep compares
    with the clock: due soon, and the head's apology question (not asked
    again once an apology was issued). With ``original``, also the appointment
    date given at receipt. Returns the changed field names, for
    ``save(update_fields=…)``."""
    if due_at is not None:
        calendar = calendar or get_calendar()
    dossier.due_at = due_at
    dossier.due_soon_at = due_soon_from(due_at, dossier.time_unit, calendar)
    dossier.apology_ask_at = (
        None
        if due_at is None or dossier.apology_issued
        else working_hours_before(due_at, apology_ask_hours(), calendar)
    )
    if original:
        dossier.original_due_at = due_at
        return [*DUE_FIELDS, "original_due_at"]
    return list(DUE_FIELDS)


def dossier_flags(dossier: Dossier, now: datetime) -> tuple[bool, bool]:
    """(due soon, overdue) as the sweep leaves them at ``now`` (an overdue row
    was due soon first, and keeps that flag)."""
    if dossier.due_at is None:
        return False, False
    return dossier.due_soon_at is not None and dossier.due_soon_at <= now, dossier.due_at <= now


def dossier_due_copy(dossier: Dossier) -> datetime | None:
    """The dossier's due instant as its open steps carry it: none once the
    dossier is completed (its clock stopped; the return step keeps its own)."""
    return dossier.due_at if dossier.completed_at is None else None


STEP_DUE_FIELDS = ["due_at", "due_soon_at", "dossier_due_at"]


def step_due_values(
    due_at: datetime | None, dossier_due_at: datetime | None, calendar: WorkCalendar | None = None
) -> dict:
    """A step's stored due instants, for ``DossierStep.objects.create(**…)``:
    its own due, when it becomes due soon (steps use the regular horizon), and
    a copy of its dossier's due (the worklist's light reads no dossier row)."""
    return {
        "due_at": due_at,
        "due_soon_at": due_soon_from(due_at, None, calendar),
        "dossier_due_at": dossier_due_at,
    }


def step_due_set(
    step: DossierStep,
    due_at: datetime | None,
    dossier_due_at: datetime | None,
    calendar: WorkCalendar | None = None,
) -> list[str]:
    """Store a step's due instants (see ``step_due_values``); the field names."""
    for name, value in step_due_values(due_at, dossier_due_at, calendar).items():
        setattr(step, name, value)
    return list(STEP_DUE_FIELDS)


def refresh_due(dossier: Dossier) -> list[str]:
    """Recompute ``due_at`` from the pause ledger, and the open steps with it
    (a step is never due after its dossier's clock says otherwise)."""
    from .steps import steps_recompute

    fields = dossier_due_set(dossier, dossier_compute_due(dossier))
    # A new deadline: flags and the apology reminder start afresh.
    dossier.due_soon = dossier.is_overdue = False
    dossier.apology_requested_at = None
    steps_recompute(dossier)
    return [*fields, "due_soon", "is_overdue", "apology_requested_at"]
