"""After an edit of the holiday calendar: the stored deadlines that depend on
the edited days are computed again (issue #15 item 2).

Only what the edit can move is read: open dossiers whose window from receipt
to appointment spans an edited day, and open step rows whose own window does.
Each is computed again from its stored inputs (receipt, snapshot rule, pause
ledger, apology, step start and budget) on the calendar as it now stands —
never moved by a delta. Dossiers are handled in batches, each locked as the
lifecycle services lock one, so no transition is overwritten.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone

from tthc_portal.audit.services import audit_record
from tthc_portal.workdays.calendar import Pause, WorkCalendar
from tthc_portal.workdays.models import CalendarException
from tthc_portal.workdays.services import calendar_from_database

from ..models import OPEN_STATUSES, ClockPause, Dossier, DossierStep, Status
from .deadlines import (
    DUE_FIELDS,
    STEP_DUE_FIELDS,
    compute_due,
    dossier_compute_due,
    dossier_due_copy,
    dossier_due_set,
    dossier_flags,
    step_due_set,
)
from .steps import step_compute_due

logger = logging.getLogger(__name__)
BATCH = 500


@dataclass
class RecomputeReport:
    days: list[date]
    dossiers_read: int = 0
    dossiers_changed: int = 0
    steps_changed: int = 0
    changed_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "days": [day.isoformat() for day in self.days],
            "dossiers_read": self.dossiers_read,
            "dossiers_changed": self.dossiers_changed,
            "steps_changed": self.steps_changed,
        }


def _bounds(days: list[date], calendar: WorkCalendar) -> tuple[datetime, datetime]:
    """[opening of the first edited day, end of the last one) in local time."""
    first = datetime.combine(min(days), time.min, calendar.tz)
    last = datetime.combine(max(days), time.max, calendar.tz)
    return first, last


def affected_dossier_ids(days: list[date], calendar: WorkCalendar) -> list[int]:
    """Dossiers with a deadline the edit can move: open ones received before the
    edited day and due on or after it (paused ones by their original date), and
    those with an open step whose own window spans it."""
    first, last = _bounds(days, calendar)
    # The stored due-soon and apology-question instants are walked back from
    # the due instant, possibly to before receipt: an edit there moves them.
    begun = Q(received_at__lte=last) | Q(due_soon_at__lte=last) | Q(apology_ask_at__lte=last)
    window = begun & (Q(due_at__gte=first) | Q(due_at__isnull=True, original_due_at__gte=first))
    dossiers = set(
        Dossier.objects.filter(window, status__in=OPEN_STATUSES).values_list("pk", flat=True)
    )
    dossiers.update(
        DossierStep.objects.filter(
            Q(started_at__lte=last) | Q(due_soon_at__lte=last),
            completed_at__isnull=True,
            paused=False,
            due_at__gte=first,
        ).values_list("dossier_id", flat=True)
    )
    return sorted(dossiers)


def _recompute_batch(
    ids: tuple[int, ...], calendar: WorkCalendar, now: datetime, report: RecomputeReport
) -> None:
    dossiers = list(
        Dossier.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("apology")
        .prefetch_related(Prefetch("pauses", ClockPause.objects.order_by("started_at")))
        .order_by("pk")
    )
    pauses = {dossier.pk: list(dossier.pauses.all()) for dossier in dossiers}
    changed: list[Dossier] = []
    quiet: list[Dossier] = []
    for dossier in dossiers:
        if dossier.status not in OPEN_STATUSES:
            continue
        report.dossiers_read += 1
        before = {"due_at": dossier.due_at, "original_due_at": dossier.original_due_at}
        instants = (dossier.due_soon_at, dossier.apology_ask_at)
        due = dossier_compute_due(dossier, calendar)
        paused = dossier.status == Status.AWAITING_SUPPLEMENT
        if due is None and not paused:
            continue  # no rule to compute from: the stored value stands
        if not dossier.apology_issued and dossier.original_due_at is not None:
            # The receipt's appointment, kept for the index, follows the calendar
            # too until an apology records it for good.
            dossier.original_due_at = compute_due(dossier, at_receipt=True, calendar=calendar)
        dossier_due_set(dossier, due, calendar=calendar)
        after = {"due_at": dossier.due_at, "original_due_at": dossier.original_due_at}
        if after == before:
            if instants != (dossier.due_soon_at, dossier.apology_ask_at):
                # Same appointment, moved warnings: no audit, no new question.
                dossier.due_soon, dossier.is_overdue = dossier_flags(dossier, now)
                quiet.append(dossier)
            continue
        dossier.due_soon, dossier.is_overdue = dossier_flags(dossier, now)
        dossier.apology_requested_at = None  # a new deadline: the head is asked afresh
        changed.append(dossier)
        audit_record(
            actor=None, action="dossier.deadline_recomputed", target=dossier, before=before,
            after={**after, "calendar_days": [day.isoformat() for day in report.days]},
        )  # fmt: skip
    Dossier.objects.bulk_update(
        changed,
        [*DUE_FIELDS, "original_due_at", "due_soon", "is_overdue", "apology_requested_at"],
    )
    Dossier.objects.bulk_update(quiet, [*DUE_FIELDS[1:], "due_soon", "is_overdue"])
    report.dossiers_changed += len(changed)
    report.changed_ids += [dossier.pk for dossier in changed]
    report.steps_changed += _recompute_steps(dossiers, pauses, calendar)


def _recompute_steps(
    dossiers: list[Dossier],
    pauses: dict[int, list[ClockPause]],
    calendar: WorkCalendar,
) -> int:
    by_pk = {dossier.pk: dossier for dossier in dossiers}
    changed = []
    steps = DossierStep.objects.filter(
        dossier_id__in=list(by_pk), completed_at__isnull=True, paused=False
    )
    for step in steps:
        dossier = by_pk[step.dossier_id]
        ledger = pauses[step.dossier_id]
        closed = (
            None
            if any(p.ended_at is None for p in ledger)
            else [Pause(p.started_at, p.ended_at, p.reason) for p in ledger]
        )
        due = step_compute_due(step, closed, dossier.due_at, calendar, dossier)
        copy = dossier_due_copy(dossier)
        before = (step.due_at, step.due_soon_at, step.dossier_due_at)
        step_due_set(step, due, copy, calendar)
        if (step.due_at, step.due_soon_at, step.dossier_due_at) == before:
            continue
        changed.append(step)
    DossierStep.objects.bulk_update(changed, STEP_DUE_FIELDS)
    return len(changed)


def deadlines_recompute_for_days(
    days: list[date],
    *,
    exception_ids: list[int] | tuple[int, ...] = (),
    now: datetime | None = None,
) -> RecomputeReport:
    """Compute again every stored deadline the edited ``days`` can move; one
    audit event per dossier whose appointment moved, and one for the run."""
    days = sorted(set(days))
    report = RecomputeReport(days=days)
    if not days:
        return report
    now = now or timezone.now()
    # Straight from the database: the edit this follows must be in it, whatever
    # the shared cache says.
    calendar = calendar_from_database()
    ids = affected_dossier_ids(days, calendar)
    for start in range(0, len(ids), BATCH):
        chunk = tuple(ids[start : start + BATCH])
        with transaction.atomic():
            _recompute_batch(chunk, calendar, now, report)
    with transaction.atomic():
        audit_record(
            actor=None, action="calendar.deadlines_recomputed",
            target=_audit_target(days, exception_ids), after=report.as_dict(),
        )  # fmt: skip
    if report.dossiers_changed or report.steps_changed:
        logger.info("Deadlines recomputed after a calendar edit: %s", report.as_dict())
    return report


def _audit_target(days: list[date], exception_ids) -> CalendarException:
    """The edited row; a deleted one is named by the id its deletion was audited under."""
    row = CalendarException.objects.filter(date__in=days).order_by("date").first()
    if row is not None:
        return row
    stand_in = CalendarException(date=days[0], name="")
    stand_in.pk = exception_ids[0] if exception_ids else 0
    return stand_in


__all__ = ["RecomputeReport", "affected_dossier_ids", "deadlines_recompute_for_days"]
