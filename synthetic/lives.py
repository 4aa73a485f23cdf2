"""One dossier's life on the working-minute axis, from receipt to its end.

A life is simulated in full (as if nothing stopped it), then cut at the
present by the row writer: events after ``now`` have not happened yet, so a
dossier received recently is still open at the step it has reached, with the
due times the services would have stored. Every timing rule follows the
services: step due = start + budget; a supplement pauses the clock and moves
the open step's due by the paused time; the dossier's due = clock start +
limit + paused time (closing of the day in whole-day mode); an apology sets
one new date and keeps the original.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from tthc_portal.accounts.roles import Role

from . import profile
from .catalogue import ProcedureInfo, StepSpec

# Dossier outcomes a life can end in.
RETURNED, REJECTED, WITHDRAWN, STOPPED = "returned", "rejected", "withdrawn", "stopped"


@dataclass
class Draws:
    """Everything random about one life, drawn once so the life can be re-placed."""

    outcome: str
    late: bool
    fraction: float  # of the time limit used when on time
    overrun: int  # working minutes past the due time when late
    noise: list[float]
    supplements: list[tuple[float, int, bool]]  # (position in step, minutes, never answered)
    withdraw_at: float
    return_wait: int
    apology: str  # "before" | "after" | ""
    apology_extra: int
    draft_lead: list[int]
    desk: int
    return_desk: int
    head: int
    approver: int
    specialist: int
    delivery: str


@dataclass
class StepRun:
    spec: StepSpec
    kind: str
    agency_id: int
    start: int
    due: int | None  # working minute (an end instant); None when not counted
    zero_budget: bool = False
    end: int | None = None
    assignee: int | None = None
    assign_at: int | None = None  # when a head gave it to ``assignee`` (None: from the start)
    assigned_by: int | None = None
    handed_over_by: int | None = None
    completed_by: int | None = None
    outcome: str = ""
    # (resumed at, minutes): the due moves when the citizen hands the supplement in.
    shifts: list[tuple[int, int]] = field(default_factory=list)

    def due_at(self, cut: int) -> int | None:
        if self.due is None:
            return None
        return self.due + sum(minutes for resumed, minutes in self.shifts if resumed < cut)


@dataclass
class Life:
    received: int
    clock_start: int
    base_due: int
    whole_day: bool
    steps: list[StepRun] = field(default_factory=list)
    # (minute, action, from status, to status, actor, note)
    events: list[tuple[int, str, str, str, int | None, str]] = field(default_factory=list)
    pauses: list[list] = field(default_factory=list)  # [start, end | None]
    supplements: list[dict] = field(default_factory=list)
    apology: tuple[int, int, int] | None = None  # (issued, new due, head)
    approved: int | None = None
    ended: int | None = None  # terminal event (approval, rejection, stop, withdrawal)
    returned: int | None = None
    outcome: str = RETURNED
    specialist_assigned: int | None = None

    @property
    def last(self) -> int:
        return self.events[-1][0]

    def due_at(self, cut: int) -> int | None:
        """The dossier's stored due time as of ``cut`` (None while paused)."""
        paused = 0
        for start, end in self.pauses:
            if start < cut and (end is None or end >= cut):
                return None
        if self.apology is not None and self.apology[0] < cut:
            issued, new_due, _head = self.apology
            for start, end in self.pauses:
                if start >= issued and end is not None and end < cut:
                    paused += end - start
            return new_due + paused
        for _start, end in self.pauses:
            if end is not None and end < cut:
                paused += end - _start
        due = self.base_due + paused
        return self._closing(due) if paused and self.whole_day else due

    _closing = staticmethod(lambda w: w)


def draw(rng: random.Random, info: ProcedureInfo, outcome: str, units) -> Draws:
    """``units`` = (receiving unit, processing unit) with their officers."""
    receiving, processing = units
    if info.group in ("land", "construction"):
        on_time = profile.ON_TIME["land_construction"]
    else:
        on_time = profile.ON_TIME["commune" if info.level != "province" else "province"]
    supplements = []
    roll = rng.random()
    count = 1 if roll < profile.SUPPLEMENT_ONE else 2 if roll < (
        profile.SUPPLEMENT_ONE + profile.SUPPLEMENT_MORE
    ) else 0  # fmt: skip
    for _ in range(count):
        minutes = max(60, rng.randint(1, 10) * 480 + rng.randint(-120, 120))
        # Only a dossier otherwise heading for its result can end unanswered.
        never = outcome == RETURNED and rng.random() < profile.SUPPLEMENT_NEVER_BACK
        supplements.append((rng.uniform(0.1, 0.9), minutes, never))
        if never:
            outcome = STOPPED
            break
    apology_roll = rng.random()
    delivery = "desk"
    return Draws(
        outcome=outcome,
        late=rng.random() > on_time or len(supplements) > 1,
        fraction=rng.uniform(0.25, 1.0) if rng.random() < 0.7 else rng.uniform(0.85, 1.0),
        overrun=max(30, int(rng.lognormvariate(6.6, 1.0))),  # median ≈ 1.5 working days
        noise=[rng.lognormvariate(0, 0.5) for _ in range(6)],
        supplements=supplements,
        withdraw_at=rng.uniform(0.05, 0.9),
        return_wait=max(10, int(rng.lognormvariate(6.2, 1.0))),  # median ≈ 1 working day
        apology="before" if apology_roll < profile.APOLOGY_BEFORE else (
            "after" if apology_roll < profile.APOLOGY_BEFORE + profile.APOLOGY_AFTER else ""),
        apology_extra=rng.randint(1, 3) * 480,
        draft_lead=[rng.randint(20, 240) for _ in supplements],
        desk=rng.choice(receiving.desks),
        return_desk=rng.choice(receiving.desks),
        head=rng.choice(processing.heads),
        approver=rng.choice(processing.heads),
        specialist=rng.choices(processing.specialists, cum_weights=processing.specialist_cum)[0],
        delivery=delivery,
    )  # fmt: skip


def simulate(info: ProcedureInfo, received: int, clock_start: int, base_due: int, d: Draws,
             receiving_id: int, processing_id: int, names: dict[int, str],
             closing) -> Life:  # fmt: skip
    life = Life(received, clock_start, base_due, info.deadline_mode == "whole_day"
                and info.time_unit != "working_hours")  # fmt: skip
    life._closing = closing
    ev = life.events.append
    steps = info.steps
    reception, middle, back = steps[0], steps[1:-1], steps[-1]
    limit = max(len(steps) * 5, base_due - received)
    used = int(limit * (1.0 if d.late else d.fraction))
    counted = [reception, *middle]
    weights = [max(s.minutes, 30) * d.noise[i % 6] for i, s in enumerate(counted)]
    total = sum(weights)
    shares = [max(3, int(used * w / total)) for w in weights]
    appraise_at = next((i for i, s in enumerate(middle) if s.role == Role.SPECIALIST), 0)
    if d.late:
        shares[1 + appraise_at] += d.overrun

    def run(spec: StepSpec, kind: str, agency: int, start: int, **extra) -> StepRun:
        due = start + spec.minutes if spec.counted else None
        step = StepRun(spec, kind, agency, start, due, spec.counted and spec.minutes == 0,
                       **extra)  # fmt: skip
        life.steps.append(step)
        return step

    # Reception at the desk, then the transfer to the resolving unit.
    step = run(reception, "workflow", receiving_id, received, assignee=d.desk)
    t = received + shares[0]
    step.end, step.completed_by, step.outcome = t, d.desk, "completed"
    ev((t, "transfer", "received", "in_processing", d.desk, ""))
    holder = d.desk
    for index, spec in enumerate(middle):
        share = shares[1 + index]
        if spec.role == Role.SPECIALIST:
            assigned_before = life.specialist_assigned is not None
            step = run(spec, "workflow", processing_id, t, handed_over_by=holder,
                       assignee=d.specialist)  # fmt: skip
            # The head assigns at once on the transfer: a specialist step always has a holder.
            delay = 0
            if not assigned_before:
                # No assignment step in this workflow: the unit head assigns from the queue.
                step.assign_at, step.assigned_by = t + delay, d.head
                life.specialist_assigned = t + delay
                ev((t + delay, "assign", "in_processing", "in_processing", d.head,
                    f"Phân công: {names.get(d.specialist, '')}"))  # fmt: skip
            end = t + share
            for k, (position, minutes, never) in enumerate(d.supplements):
                floor = max(t + delay + 1, life.pauses[-1][1] + 1 if life.pauses else 0)
                paused_from = t + int(share * position) + sum(p[1] - p[0] for p in life.pauses)
                paused_from = max(floor + 1, paused_from)
                draft = max(floor, paused_from - d.draft_lead[k])
                ev((draft, "draft_supplement", "in_processing", "in_processing", d.specialist,
                    "Dự thảo yêu cầu bổ sung"))  # fmt: skip
                ev((paused_from, "request_supplement", "in_processing", "awaiting_supplement",
                    d.head, "Bổ sung giấy tờ còn thiếu"))  # fmt: skip
                request = {"drafted_at": draft, "drafted_by": d.specialist,
                           "requested_at": paused_from, "requested_by": d.head,
                           "completed_at": None, "second": k > 0}  # fmt: skip
                life.supplements.append(request)
                if never:
                    stop = paused_from + 20 * 480 + minutes
                    life.pauses.append([paused_from, stop])
                    reason = "Quá thời hạn bổ sung hồ sơ nhưng tổ chức, cá nhân không bổ sung"
                    ev((stop, "stop", "awaiting_supplement", "stopped", d.head, reason))
                    step.end, step.completed_by, step.outcome = stop, d.head, "closed"
                    life.ended, life.outcome = stop, STOPPED
                    return life
                resumed = paused_from + minutes
                life.pauses.append([paused_from, resumed])
                request["completed_at"] = resumed
                ev((resumed, "supplement", "awaiting_supplement", "in_processing", d.desk, ""))
                if step.due is not None and step.due_at(resumed) > paused_from:
                    step.shifts.append((resumed, minutes))
                end += minutes
            floor = max(t + delay + 1, life.pauses[-1][1] + 1 if life.pauses else 0)
            attach = max(floor, end - 15)
            end = max(end, attach + 1)
            if d.outcome != REJECTED:
                ev((attach, "attach_result", "in_processing", "in_processing", d.specialist,
                    "Soạn kết quả từ mẫu"))  # fmt: skip
            ev((end, "complete_step", "in_processing", "in_processing", d.specialist, ""))
            step.end, step.completed_by, step.outcome = end, d.specialist, "completed"
            holder, t = d.specialist, end
        elif spec is not middle[-1] or spec.role != Role.DEPARTMENT_HEAD:
            # A head's assignment (or review) step, taken from the unit's queue.
            step = run(spec, "workflow", processing_id, t, handed_over_by=holder)
            t += share
            step.end, step.completed_by, step.outcome = t, d.head, "completed"
            ev((t, "complete_step", "in_processing", "in_processing", d.head, ""))
            life.specialist_assigned = t
            holder = d.head
        else:
            step = run(spec, "workflow", processing_id, t, handed_over_by=holder)
            t += share
            step.end, step.completed_by = t, d.approver
            if d.outcome == REJECTED:
                step.outcome = "rejected"
                ev((t, "reject", "in_processing", "rejected", d.approver,
                    "Hồ sơ không đủ điều kiện giải quyết theo quy định"))  # fmt: skip
                life.ended, life.outcome = t, REJECTED
                return life
            step.outcome = "approved"
            ev((t, "approve", "in_processing", "result_ready", d.approver, ""))
            life.approved = life.ended = t
            holder = d.approver
    # The desk hands the result over (online: at once, by the system).
    step = run(back, "return", receiving_id, t, handed_over_by=holder)
    online = d.delivery == "online"
    life.returned = t if online else t + d.return_wait
    step.end, step.outcome = life.returned, "returned"
    step.completed_by = None if online else d.return_desk
    ev((life.returned, "return_result", "result_ready", "returned",
        None if online else d.return_desk, ""))  # fmt: skip
    return life


def withdraw(life: Life, at: int, actor: int | None) -> None:
    """The applicant withdraws at ``at``: what came later never happened."""
    status = "received"
    events = []
    for event in life.events:
        if event[0] >= at:
            break
        events.append(event)
        status = event[3]
    if status not in ("received", "in_processing", "awaiting_supplement"):
        return
    life.events = events
    life.events.append((at, "withdraw", status, "withdrawn", actor,
                        "Tổ chức, cá nhân đề nghị rút hồ sơ"))  # fmt: skip
    kept = []
    for step in life.steps:
        if step.start >= at:
            continue
        if step.end is None or step.end >= at:
            step.end, step.completed_by, step.outcome = at, actor, "closed"
        kept.append(step)
    life.steps = kept
    life.supplements = [s for s in life.supplements if s["drafted_at"] < at]
    for supplement in life.supplements:
        if supplement["requested_at"] >= at:
            supplement["requested_at"] = None
        if supplement["completed_at"] is not None and supplement["completed_at"] >= at:
            supplement["completed_at"] = None
    life.pauses = [[s, e if e < at else at] for s, e in life.pauses if s < at]
    life.approved = life.returned = None
    life.ended, life.outcome = at, WITHDRAWN


def apologise(life: Life, d: Draws) -> None:
    """Form 04 for a late dossier: one working day before the due time, or (for the
    data-quality checks) after it."""
    if not d.late or not d.apology or life.ended is None:
        return
    transferred = next((e[0] for e in life.events if e[1] == "transfer"), None)
    due = life.due_at(life.ended)
    if due is None or transferred is None:
        return
    issued = due - 480 if d.apology == "before" else due + max(30, d.overrun // 3)
    for _ in range(len(life.pauses) + 1):
        # Not while the clock stands still: there is no due time to move then.
        around = [s for s, e in life.pauses if s < issued and (e is None or e >= issued)]
        if not around:
            break
        issued = around[0]
    if issued <= transferred or issued >= life.ended or life.due_at(issued) is None:
        return
    new_due = life._closing(max(due, life.ended) + d.apology_extra)
    life.apology = (issued, new_due, d.approver)
    status = "in_processing"
    for event in life.events:
        if event[0] > issued:
            break
        status = event[3]
    life.events.append((issued, "issue_apology", status, status, d.approver,
                        "Hồ sơ cần thêm thời gian thẩm định"))  # fmt: skip
    life.events.sort(key=lambda e: e[0])
