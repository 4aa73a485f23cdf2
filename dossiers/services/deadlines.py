"""A dossier's due time: computed by the calendar service, stored on the row."""

from __future__ import annotations

from datetime import datetime, timedelta

from tthc_portal.workdays.calendar import (
    DeadlineMode,
    DeadlineRule,
    Pause,
    TimeUnit,
    WorkCalendar,
)
from tthc_portal.workdays.services import get_calendar

from ..models import Dossier


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


def dossier_due_set(
    dossier: Dossier, due_at: datetime | None, *, original: bool = False
) -> list[str]:
    """Store the dossier's due instant (and, with ``original``, the appointment
    date given at receipt); the changed field names, for ``save(update_fields=…)``."""
    dossier.due_at = due_at
    if original:
        dossier.original_due_at = due_at
        return ["due_at", "original_due_at"]
    return ["due_at"]


def refresh_due(dossier: Dossier) -> list[str]:
    """Recompute ``due_at`` from the pause ledger, and the open steps with it
    (a step is never due after its dossier's clock says otherwise)."""
    from .steps import steps_recompute

    dossier.due_at = dossier_compute_due(dossier)
    # A new deadline: flags and the apology reminder start afresh.
    dossier.due_soon = dossier.is_overdue = False
    dossier.apology_requested_at = None
    steps_recompute(dossier)
    return ["due_at", "due_soon", "is_overdue", "apology_requested_at"]
