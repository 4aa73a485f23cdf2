"""A dossier's due time: computed by the calendar service, stored on the row."""

from __future__ import annotations

from datetime import datetime

from tthc_portal.workdays.calendar import DeadlineMode, DeadlineRule, Pause, TimeUnit
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


def compute_due(dossier: Dossier) -> datetime | None:
    """Clock start + budget + paused working time (None while paused)."""
    rule = dossier_rule(dossier)
    if rule is None or dossier.received_at is None:
        return None
    pauses = [Pause(p.started_at, p.ended_at, p.reason) for p in dossier.pauses.all()]
    return get_calendar().due_at(dossier.received_at, rule, pauses)


def refresh_due(dossier: Dossier) -> list[str]:
    """Recompute ``due_at`` from the pause ledger. An apology's new date wins."""
    if dossier.apology_issued:
        return []
    dossier.due_at = compute_due(dossier)
    return ["due_at"]
