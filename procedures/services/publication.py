"""Publication control: ministry decisions become dated tasks for departments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.models import Agency
from tthc_portal.agencies.selectors import province_root, staff_with_role
from tthc_portal.audit.services import audit_record
from tthc_portal.notifications.models import Channel
from tthc_portal.notifications.services import notification_enqueue
from tthc_portal.workdays.calendar import WorkCalendar
from tthc_portal.workdays.services import get_calendar

from ..models import (
    ChangeType,
    DeadlineKey,
    MinistryDecision,
    Procedure,
    PublicationDeadlineRule,
    PublicationItem,
    PublicationTask,
    TaskStatus,
)
from ..publication_dates import deadline_state as _state  # the board's rule is 1.2's
from . import ProcedureError, require_agency_perm
from .publication_tasks import task_apply, task_check, task_lock, task_refresh_status
from .validation import UNCLASSIFIED_FIELD_NAME
from .versions import version_create_draft, version_transition

DUE_SOON_WORKING_DAYS = 1


def shift_working_days(calendar: WorkCalendar, anchor: date, offset: int) -> date:
    """anchor ± N working days, on dates (publication deadlines are whole days)."""
    day = anchor
    step = timedelta(days=1 if offset >= 0 else -1)
    remaining = abs(offset)
    while remaining:
        day += step
        if calendar.is_working_day(day):
            remaining -= 1
    return day


def deadline_rule(key: str, on: date) -> PublicationDeadlineRule:
    rule = (
        PublicationDeadlineRule.objects.filter(key=key, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .order_by("-valid_from")
        .first()
    )
    if rule is None:
        raise ProcedureError(_("Chưa cấu hình quy tắc thời hạn “%(key)s”.") % {"key": key})
    return rule


def compute_due(key: str, anchor: date, calendar: WorkCalendar | None = None) -> date:
    rule = deadline_rule(key, anchor)
    return shift_working_days(calendar or get_calendar(), anchor, rule.offset_working_days)


@dataclass(frozen=True)
class ItemInput:
    change_type: str
    responsible_agency: Agency
    procedure_code: str = ""
    procedure_name: str = ""
    procedure: Procedure | None = None


@transaction.atomic
def ministry_decision_record(
    *,
    actor,
    number: str,
    decision_date: date,
    issuing_body: str,
    legal_basis_effective_date: date | None,
    summary: str,
    items: list[ItemInput],
) -> MinistryDecision:
    """Record a ministry's decision and open one task per responsible department."""
    province = province_root()
    require_agency_perm(actor, "control_publication", province)
    if not items:
        raise ProcedureError(_("Quyết định phải có ít nhất một thủ tục."))
    if decision_date > timezone.localdate():
        # A future date would start every publication deadline late and make the
        # province's decision look early (criterion 1.1).
        raise ProcedureError(
            _("Ngày ban hành quyết định của Bộ (%(date)s) không được sau ngày hôm nay.")
            % {"date": f"{decision_date:%d/%m/%Y}"}
        )
    decision = MinistryDecision.objects.create(
        number=number,
        decision_date=decision_date,
        issuing_body=issuing_body,
        legal_basis_effective_date=legal_basis_effective_date,
        summary=summary,
        recorded_by=actor,
    )
    calendar = get_calendar()
    list_due = compute_due(DeadlineKey.LIST, decision_date, calendar)
    workflow_due = compute_due(DeadlineKey.WORKFLOW, decision_date, calendar)
    decision_due = (
        compute_due(DeadlineKey.DECISION, legal_basis_effective_date, calendar)
        if legal_basis_effective_date
        else None
    )
    tasks: dict[int, PublicationTask] = {}
    for item in items:
        procedure = item.procedure
        if procedure is None and item.procedure_code:
            procedure = Procedure.objects.filter(code=item.procedure_code).first()
        if item.change_type != ChangeType.NEW and procedure is None:
            raise ProcedureError(
                _("Không tìm thấy thủ tục mã %(code)s trong danh mục để %(change)s.")
                % {
                    "code": item.procedure_code or "—",
                    "change": ChangeType(item.change_type).label.lower(),
                }
            )
        agency = item.responsible_agency
        if agency.pk not in tasks:
            tasks[agency.pk] = PublicationTask.objects.create(
                ministry_decision=decision,
                agency=agency,
                list_due=list_due,
                workflow_due=workflow_due,
                decision_due=decision_due,
            )
        name = item.procedure_name or (
            procedure.current_version.name if procedure and procedure.current_version_id else ""
        )
        PublicationItem.objects.create(
            ministry_decision=decision,
            task=tasks[agency.pk],
            procedure=procedure,
            procedure_code=item.procedure_code or (procedure.code if procedure else "") or "",
            procedure_name=name,
            change_type=item.change_type,
            responsible_agency=agency,
        )
    audit_record(
        actor=actor,
        action="ministry_decision.record",
        target=decision,
        after={"number": number, "items": len(items), "tasks": len(tasks)},
    )
    for task in tasks.values():
        for head in staff_with_role(task.agency, Role.DEPARTMENT_HEAD):
            notification_enqueue(
                channel=Channel.EMAIL,
                recipient=head.email,
                subject=_("Nhiệm vụ công bố TTHC theo %(n)s") % {"n": number},
                body=_("Hạn công bố danh mục: %(d1)s; hạn quy trình nội bộ: %(d2)s.")
                % {"d1": f"{list_due:%d/%m/%Y}", "d2": f"{workflow_due:%d/%m/%Y}"},
                topic=f"procedures.task:{task.pk}",
            )
    return decision


@transaction.atomic
def item_start_draft(*, actor, item: PublicationItem):
    """Open (or return) the draft version that answers one item of a task."""
    item = (
        PublicationItem.objects.select_for_update(of=("self",))
        .select_related("task")
        .get(pk=item.pk)
    )
    task = item.task
    require_agency_perm(actor, "draft_procedures", task.agency)
    if item.version_id:
        return item.version
    if item.change_type == ChangeType.ABOLISHED:
        raise ProcedureError(_("Thủ tục bị bãi bỏ không cần dự thảo phiên bản mới."))
    base = item.procedure.current_version if item.procedure else None
    if base is None and item.procedure is not None:
        base = item.procedure.versions.order_by("-number").first()
    content = {} if base else {"name": item.procedure_name, "implementing_agency": task.agency}
    if base is None:
        from .importing import _field_for

        # A new procedure starts unclassified; the specialist picks the field.
        content["field"] = _field_for(UNCLASSIFIED_FIELD_NAME)
        content["level"] = "province"
    version = version_create_draft(
        actor=actor,
        procedure=item.procedure,
        base=base,
        task=task,
        content=content,
        code=item.procedure_code or None,
    )
    version.change_type = item.change_type
    version.save(update_fields=["change_type"])
    item.version = version
    if item.procedure is None:
        item.procedure = version.procedure
    item.save(update_fields=["version", "procedure"])
    task_refresh_status(task)
    return version


@transaction.atomic
def version_transition_in_task(*, actor, version, action: str, note: str = ""):
    version = version_transition(actor=actor, version=version, action=action, note=note)
    if version.publication_task_id:
        task_refresh_status(version.publication_task)
    return version


def _chairman_dates_check(
    task: PublicationTask, decision_date: date, effective_date: date, today: date
) -> None:
    """The chairman's decision publishes what a ministry decided: it cannot predate
    that decision, be signed in the future, or take effect before it is signed."""
    ministry = task.ministry_decision
    if decision_date > today:
        raise ProcedureError(
            _("Ngày quyết định công bố (%(date)s) không được sau ngày hôm nay.")
            % {"date": f"{decision_date:%d/%m/%Y}"}
        )
    if decision_date < ministry.decision_date:
        raise ProcedureError(
            _(
                "Ngày quyết định công bố (%(date)s) không được trước ngày quyết định "
                "của Bộ %(number)s (%(ministry)s)."
            )
            % {
                "date": f"{decision_date:%d/%m/%Y}",
                "number": ministry.number,
                "ministry": f"{ministry.decision_date:%d/%m/%Y}",
            }
        )
    if effective_date < decision_date:
        raise ProcedureError(
            _("Ngày có hiệu lực (%(effective)s) không được trước ngày ký quyết định (%(date)s).")
            % {"effective": f"{effective_date:%d/%m/%Y}", "date": f"{decision_date:%d/%m/%Y}"}
        )


@transaction.atomic
def task_chairman_decision_record(
    *,
    actor,
    task: PublicationTask,
    number: str,
    decision_date: date,
    effective_date: date,
    today: date | None = None,
) -> PublicationTask:
    """The chairman signed: publish every approved version and schedule abolitions."""
    task = task_lock(task)
    task_check(actor, task, "decide")
    today = today or timezone.localdate()
    _chairman_dates_check(task, decision_date, effective_date, today)
    for item in task.items.select_related("version", "procedure"):
        if item.change_type == ChangeType.ABOLISHED:
            Procedure.objects.filter(pk=item.procedure_id).update(abolished_on=effective_date)
            continue
        version_transition(
            actor=actor,
            version=item.version,
            action="publish",
            decision_number=number,
            decision_date=decision_date,
            effective_date=effective_date,
            today=today,
        )
        if item.change_type == ChangeType.REPLACED and item.procedure_id:
            Procedure.objects.filter(pk=item.procedure_id).update(abolished_on=effective_date)
    calendar = get_calendar()
    values = {
        "chairman_decision_number": number,
        "chairman_decision_date": decision_date,
        "effective_date": effective_date,
        "posting_due": compute_due(DeadlineKey.POSTING, decision_date, calendar),
        "lock_due": compute_due(DeadlineKey.LOCK, decision_date, calendar),
        # The portal posts the content the moment the decision is recorded.
        "posted_on": today,
    }
    task = task_apply(
        actor=actor,
        task=task,
        action="decide",
        values=values,
        today=today,
        audit={"number": number, "date": decision_date, "effective": effective_date},
    )
    from .versions import versions_activate

    versions_activate(
        today=today, procedure_ids=list(task.items.values_list("procedure_id", flat=True))
    )
    return task


# --- the board -------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineState:
    key: str
    label: str
    due: date | None
    done: date | None
    state: str  # pending | due_soon | overdue | on_time | late | n/a

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def css(self) -> str:
        return {"on_time": "ok", "late": "bad", "overdue": "bad", "due_soon": "warn"}.get(
            self.state, "muted"
        )


STATE_LABELS = {
    "pending": gettext_lazy("Trong hạn"),
    "due_soon": gettext_lazy("Sắp đến hạn"),
    "overdue": gettext_lazy("Quá hạn"),
    "on_time": gettext_lazy("Hoàn thành đúng hạn"),
    "late": gettext_lazy("Hoàn thành trễ hạn"),
    "n/a": gettext_lazy("Không áp dụng"),
}


def task_deadlines(
    task: PublicationTask, today: date, calendar: WorkCalendar
) -> list[DeadlineState]:
    def soon(due):
        return shift_working_days(calendar, due, -DUE_SOON_WORKING_DAYS) if due else None

    rows = [
        (DeadlineKey.LIST, task.list_due, task.chairman_decision_date),
        (DeadlineKey.WORKFLOW, task.workflow_due, task.workflow_done_on),
        (DeadlineKey.DECISION, task.decision_due, task.chairman_decision_date),
        (DeadlineKey.POSTING, task.posting_due, task.posted_on),
    ]
    return [
        DeadlineState(key, DeadlineKey(key).label, due, done, _state(due, done, today, soon(due)))
        for key, due, done in rows
    ]


def task_overall_state(states: list[DeadlineState]) -> str:
    order = ["overdue", "late", "due_soon", "pending", "on_time", "n/a"]
    present = {s.state for s in states}
    return next(state for state in order if state in present)


def publication_tasks_sweep(*, today: date | None = None) -> dict[str, int]:
    """Beat job: raise due-soon / overdue alerts once per level (compare-and-set).

    The alerts are written in the site's language, whatever language the calling
    thread last served a page in."""
    with translation.override(settings.LANGUAGE_CODE):
        return _publication_tasks_sweep(today=today)


def _publication_tasks_sweep(*, today: date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    calendar = get_calendar()
    counts = {"due_soon": 0, "overdue": 0}
    open_tasks = PublicationTask.objects.exclude(status=TaskStatus.PUBLISHED).select_related(
        "agency", "ministry_decision"
    )
    for task in open_tasks:
        overall = task_overall_state(task_deadlines(task, today, calendar))
        level = overall if overall in ("due_soon", "overdue") else None
        if level is None or task.alert_level == level:
            continue
        if level == "due_soon" and task.alert_level == "overdue":
            continue
        won = PublicationTask.objects.filter(pk=task.pk, alert_level=task.alert_level).update(
            alert_level=level, alerted_at=timezone.now()
        )
        if not won:
            continue
        counts[level] += 1
        recipients = list(staff_with_role(task.agency, Role.DEPARTMENT_HEAD)) + list(
            staff_with_role(task.agency, Role.PROVINCIAL_STAFF)
        )
        subject = (
            _("QUÁ HẠN công bố TTHC: %(a)s – %(n)s")
            if level == "overdue"
            else _("Sắp đến hạn công bố TTHC: %(a)s – %(n)s")
        ) % {"a": task.agency.name, "n": task.ministry_decision.number}
        for user in {u.pk: u for u in recipients}.values():
            notification_enqueue(
                channel=Channel.EMAIL,
                recipient=user.email,
                subject=subject,
                body=_("Hạn công bố danh mục %(d1)s, hạn quy trình nội bộ %(d2)s.")
                % {"d1": f"{task.list_due:%d/%m/%Y}", "d2": f"{task.workflow_due:%d/%m/%Y}"},
                dedupe_key=f"pubtask:{task.pk}:{level}:{user.pk}",
                topic=f"procedures.task:{task.pk}",
            )
        audit_record(
            actor=None,
            action=f"publication_task.{level}",
            target=task,
            after={"level": level, "on": today},
        )
    return counts
