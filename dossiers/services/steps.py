"""Step instances of the internal workflow: start, finish, timeliness.

Pure building blocks used inside ``dossier_transition``'s ``apply`` callbacks
(the dossier row is already locked); the public services that move a dossier
through its workflow live in :mod:`.processing`.
"""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from procedures.models import WorkflowStep
from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.models import Agency
from tthc_portal.workdays.calendar import Pause, WorkCalendar
from tthc_portal.workdays.services import get_calendar

from ..models import Channel, ClockPause, Dossier, DossierStep, StepKind, Timeliness
from .deadlines import (
    STEP_DUE_FIELDS,
    dossier_due_copy,
    finished_early,
    step_due_set,
    step_due_values,
)

# The guardian permission a step's role needs on the step's unit.
ROLE_PERMS = {
    Role.DESK_OFFICER: "receive_dossiers",
    Role.SPECIALIST: "process_dossiers",
    Role.DEPARTMENT_HEAD: "approve_dossiers",
}


def role_perm(role: str) -> str:
    return ROLE_PERMS.get(role, "process_dossiers")


def may_hold(user, step: DossierStep, has_perm=None) -> bool:
    """The step's holder: its assignee, or — while nobody is assigned — anyone
    with the step role's permission on the step's unit. ``has_perm(codename,
    agency)`` lets a page reuse one prefetched guardian checker."""
    if step.assignee_id is not None:
        return step.assignee_id == user.pk
    if has_perm is None:
        return user.has_perm(f"agencies.{role_perm(step.role)}", step.agency)
    return has_perm(role_perm(step.role), step.agency)


def processing_agency_for(dossier: Dossier) -> Agency:
    """The resolving agency: the version's implementing agency, else the receiving unit
    (commune procedures are implemented by whichever commune receives them)."""
    version = dossier.procedure_version
    if version.implementing_agency_id in (None, dossier.receiving_agency_id):
        # The receiving unit's row is already loaded (reception: one query fewer).
        return dossier.receiving_agency
    return version.implementing_agency


def workflow_of(dossier: Dossier) -> list[WorkflowStep]:
    return list(dossier.procedure_version.steps.order_by("order"))


def split_workflow(
    steps: list[WorkflowStep],
) -> tuple[WorkflowStep | None, list[WorkflowStep], WorkflowStep | None]:
    """(reception step, processing steps, return step).

    The one-stop desk opens and closes every workflow: a leading desk step is
    the reception, a trailing desk step the return of the result.
    """
    reception = steps[0] if steps and steps[0].actor_role == Role.DESK_OFFICER else None
    rest = steps[1:] if reception else steps
    hand_back = rest[-1] if rest and rest[-1].actor_role == Role.DESK_OFFICER else None
    middle = rest[:-1] if hand_back else rest
    return reception, middle, hand_back


def step_agency(dossier: Dossier, workflow_step: WorkflowStep | None, role: str) -> Agency:
    if workflow_step is not None and workflow_step.unit_id:
        return workflow_step.unit
    if role == Role.DESK_OFFICER:
        return dossier.receiving_agency
    return dossier.processing_agency or processing_agency_for(dossier)


def step_due(started_at: datetime, budget_hours: Decimal, counted: bool) -> datetime | None:
    if not counted:
        return None
    return get_calendar().add_working_hours(started_at, budget_hours)


# Glossary names of the channels (settings name them; the model stores numbers).
CHANNEL_NAMES = {"in_person": Channel.IN_PERSON, "online": Channel.ONLINE,
                 "postal": Channel.POSTAL}  # fmt: skip


def desk_transfer_cutoff() -> time:
    """Decree 309/2026 Art. 18(2): received after this, the desk transfers at
    the start of the next working day (TTHC["DESK_TRANSFER_CUTOFF"], "HH:MM")."""
    value = settings.TTHC.get("DESK_TRANSFER_CUTOFF") or "15:00"
    return value if isinstance(value, time) else time.fromisoformat(str(value).strip())


def desk_transfer_channels() -> frozenset[int]:
    """The channels whose desk step follows the same-day transfer rule. The
    decree speaks of dossiers received in person; whether online or postal
    dossiers follow it is unconfirmed (desk-operations §1), so it is a setting
    (TTHC["DESK_TRANSFER_CHANNELS"], glossary names); the others keep the
    workflow's budget for the desk step."""
    names = settings.TTHC.get("DESK_TRANSFER_CHANNELS", ("in_person",))
    if isinstance(names, str):
        names = names.split(",")
    return frozenset(CHANNEL_NAMES[name.strip()] for name in names if name.strip())


def desk_transfer_due(received_at: datetime, calendar: WorkCalendar | None = None) -> datetime:
    """When the desk must have transferred a dossier received at ``received_at``:
    the close of that working day, or — received after the cut-off (or after
    hours) on a working day — the opening of the next working day. Received on
    a day off, the dossier counts as received at the next opening. Every instant
    comes from the calendar (holidays, swapped and make-up days included)."""
    calendar = calendar or get_calendar()
    cutoff = desk_transfer_cutoff()
    local = calendar.local(received_at)
    start = calendar.clock_start(received_at, cutoff)
    if calendar.is_working_day(local.date()) and local.time() > cutoff:
        return start  # the next working day's opening
    return calendar.closing_of(calendar.local(start).date())


def desk_transfer_applies(
    dossier: Dossier, *, role: str, kind: str, workflow_step_id: int | None, started_at: datetime
) -> bool:
    """The reception step: the desk's workflow step opened at receipt (send-back
    never returns to it; the desk's closing step is a ``return`` step)."""
    return (
        kind == StepKind.WORKFLOW
        and role == Role.DESK_OFFICER
        and workflow_step_id is not None
        and dossier.received_at is not None
        and started_at == dossier.received_at
        and dossier.channel in desk_transfer_channels()
    )


def timeliness_of(completed_at: datetime, due_at: datetime | None) -> str:
    """Early / on time / late (dossier-lifecycle §8; the early convention is configurable:
    ``before_due_day`` = finished on a working day before the due date)."""
    if due_at is None:
        return ""
    if completed_at > due_at:
        return Timeliness.LATE
    return Timeliness.EARLY if finished_early(completed_at, due_at) else Timeliness.ON_TIME


def step_start(
    dossier: Dossier,
    workflow_step: WorkflowStep | None,
    *,
    at: datetime,
    handed_over_by=None,
    assignee=None,
    kind: str = StepKind.WORKFLOW,
) -> DossierStep:
    """Open the row for ``workflow_step`` and make it the dossier's current step."""
    role = workflow_step.actor_role if workflow_step else Role.SPECIALIST
    agency = step_agency(dossier, workflow_step, role)
    if assignee is None and role == Role.SPECIALIST and dossier.assigned_specialist_id:
        candidate = dossier.assigned_specialist
        if candidate.has_perm(f"agencies.{role_perm(role)}", agency):
            assignee = candidate
    if workflow_step is not None:
        budget, counted = workflow_step.budget_hours(), workflow_step.counted
        if counted and desk_transfer_applies(
            dossier, role=role, kind=kind, workflow_step_id=workflow_step.pk, started_at=at
        ):
            # The budget stays the workflow's (the budgets sum to the legal
            # time); the deadline is the decree's same-day transfer.
            due = desk_transfer_due(at)
        else:
            due = step_due(at, budget, counted)
    else:
        # A version without an internal workflow: one step holds the whole
        # remaining time, due with the dossier.
        budget, counted, due = Decimal(0), True, dossier.due_at
    step = DossierStep.objects.create(
        dossier=dossier,
        kind=kind,
        workflow_step=workflow_step,
        order=workflow_step.order if workflow_step else 0,
        name=workflow_step.name if workflow_step else _("Thẩm định, giải quyết hồ sơ"),
        role=role,
        agency=agency,
        assignee=assignee,
        handed_over_by=handed_over_by,
        started_at=at,
        budget_hours=budget,
        counted=counted,
        **step_due_values(due, dossier_due_copy(dossier)),
    )
    dossier.current_step = step
    return step


def step_finish(step: DossierStep, *, at: datetime, actor, outcome: str, note: str = "") -> None:
    step.completed_at = at
    step.completed_by = actor
    step.outcome = outcome
    step.timeliness = timeliness_of(at, step.due_at) if step.counted else ""
    if note:
        step.note = note
    if step.assignee_id is None and actor is not None:
        # Whoever took an unassigned step is its receiver on the control sheet.
        step.assignee = actor
    step.paused = False
    step.save(
        update_fields=[
            "completed_at", "completed_by", "outcome", "timeliness", "note", "assignee", "paused",
        ]
    )  # fmt: skip


def open_step(dossier: Dossier) -> DossierStep | None:
    return (
        dossier.steps.filter(completed_at__isnull=True)
        .exclude(kind=StepKind.CONSULT)
        .select_related("workflow_step", "agency")
        .first()
    )


def steps_close_all(dossier: Dossier, *, at: datetime, actor, outcome: str) -> None:
    """A dossier that ends (stopped, withdrawn, rejected) leaves no step open."""
    for step in dossier.steps.filter(completed_at__isnull=True):
        step_finish(step, at=at, actor=actor, outcome=outcome)
    dossier.current_step = None


def steps_pause(dossier: Dossier) -> None:
    """The dossier's open steps stop their clocks with it (supplement issued)."""
    dossier.steps.filter(completed_at__isnull=True).update(paused=True, dossier_due_at=None)


def step_shift_after_pause(step: DossierStep, paused_from: datetime, resumed_at: datetime) -> None:
    """The step's budget stands still while the dossier waits for the citizen.

    Kept for its callers: the due time is computed again from the step's stored
    inputs and the pause ledger (``step_compute_due``), never shifted.
    """
    del paused_from, resumed_at  # the pause ledger holds both
    step.paused = False
    dossier = step.dossier
    fields = step_due_set(
        step,
        step_compute_due(step, _closed_pauses(step.dossier_id), dossier.due_at),
        dossier_due_copy(dossier),
    )
    step.save(update_fields=[*fields, "paused"])


def _closed_pauses(dossier_id: int) -> list[Pause] | None:
    """The dossier's pause ledger, or None while a pause is open."""
    rows = list(ClockPause.objects.filter(dossier_id=dossier_id).values_list(
        "started_at", "ended_at", "reason"))  # fmt: skip
    if any(end is None for _start, end, _reason in rows):
        return None
    return [Pause(start, end, reason) for start, end, reason in rows]


def bound_to_dossier(step: DossierStep) -> bool:
    """A step opened without a workflow step holds the dossier's whole remaining
    time: it is due with the dossier."""
    return step.workflow_step_id is None and step.kind != StepKind.CONSULT


def _follows_desk_transfer(step: DossierStep, dossier: Dossier | None) -> bool:
    if step.kind != StepKind.WORKFLOW or step.role != Role.DESK_OFFICER:
        return False  # decided without reading the dossier (bulk recomputes)
    return desk_transfer_applies(
        dossier or step.dossier, role=step.role, kind=step.kind,
        workflow_step_id=step.workflow_step_id, started_at=step.started_at,
    )  # fmt: skip


def step_compute_due(
    step: DossierStep,
    pauses: list[Pause] | None,
    dossier_due: datetime | None,
    calendar: WorkCalendar | None = None,
    dossier: Dossier | None = None,
) -> datetime | None:
    """A step's due time from its stored inputs: start + budget + the working
    time of the dossier's pauses since the step started (dossier-lifecycle §8).
    The reception step's base is the same-day transfer (``desk_transfer_due``).

    ``pauses`` is the dossier's closed ledger (None while one is open: the
    stored value stands until the clock resumes). A consultation runs beside
    a supplement pause, so pauses do not move it. ``dossier`` spares a read
    of the step's dossier when the caller holds it.
    """
    if bound_to_dossier(step):
        return dossier_due
    if not step.counted:
        return None
    calendar = calendar or get_calendar()
    if step.kind == StepKind.CONSULT:
        budget = step.budget_hours or _consult_budget_hours()
        return calendar.add_working_hours(step.started_at, budget)
    if pauses is None:
        return step.due_at
    if _follows_desk_transfer(step, dossier):
        base = desk_transfer_due(step.started_at, calendar)
    else:
        base = calendar.add_working_hours(step.started_at, step.budget_hours)
    during = [
        Pause(max(p.start, step.started_at), p.end, p.reason)
        for p in pauses
        if p.end is not None and p.end > step.started_at
    ]
    paused = calendar.paused_working_time(during, until=base)
    return calendar.add_working_time(base, paused) if paused else base


def steps_recompute(dossier: Dossier, calendar: WorkCalendar | None = None) -> int:
    """Compute the open steps' due times again after the dossier's deadline or
    the calendar moved (from the calendar, never by adding a delta); the
    light follows from the new instants. Each open step's copy of the dossier's
    due follows it. Returns how many steps changed."""
    calendar = calendar or get_calendar()
    steps = list(dossier.steps.filter(completed_at__isnull=True, paused=False))
    if not steps:
        return 0
    pauses = _closed_pauses(dossier.pk)
    copy = dossier_due_copy(dossier)
    changed = []
    for step in steps:
        due = step_compute_due(step, pauses, dossier.due_at, calendar, dossier)
        if due != step.due_at:
            step_due_set(step, due, copy, calendar)
            changed.append(step)
        elif copy != step.dossier_due_at:
            step.dossier_due_at = copy
            changed.append(step)
    DossierStep.objects.bulk_update(changed, STEP_DUE_FIELDS)
    return len(changed)


def _consult_budget_hours() -> Decimal:
    return Decimal(str(settings.TTHC.get("CONSULT_BUDGET_DAYS", 3))) * 8


def consult_due(started_at: datetime) -> datetime:
    return get_calendar().add_working_hours(started_at, _consult_budget_hours())


__all__ = [
    "ROLE_PERMS",
    "bound_to_dossier",
    "consult_due",
    "desk_transfer_applies",
    "desk_transfer_channels",
    "desk_transfer_cutoff",
    "desk_transfer_due",
    "may_hold",
    "open_step",
    "processing_agency_for",
    "role_perm",
    "split_workflow",
    "step_compute_due",
    "step_finish",
    "step_shift_after_pause",
    "step_start",
    "steps_close_all",
    "steps_pause",
    "steps_recompute",
    "timeliness_of",
    "workflow_of",
]
