"""Moving a received dossier through its internal workflow (§3 rows 8-10, §5).

Every service here changes the dossier through ``dossier_transition`` so each
handover is locked, checked against the transition table, written to the
history and the audit log. Step rows double as the control sheet (form 06).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.models import Agency

from ..models import Dossier, DossierStep, StepKind, StepOutcome
from . import DossierError
from .deadlines import dossier_due_copy, step_due_values
from .lifecycle import dossier_transition
from .steps import (
    consult_due,
    may_hold,
    open_step,
    processing_agency_for,
    role_perm,
    split_workflow,
    step_finish,
    step_start,
    workflow_of,
)


def reception_step_open(dossier: Dossier, *, actor, at) -> list[str]:
    """At receipt: the desk's own step is the control sheet's first row."""
    dossier.processing_agency = processing_agency_for(dossier)
    reception, _middle, _back = split_workflow(workflow_of(dossier))
    if reception is not None:
        step_start(dossier, reception, at=at, assignee=actor)
    return ["processing_agency", "current_step"]


def _require_holder(actor, step: DossierStep) -> None:
    if step.completed_at is not None:
        raise DossierError(_("Bước này đã được chuyển đi; hãy tải lại trang."))
    if not may_hold(actor, step):
        raise PermissionDenied("not the step's holder")


def _next_processing_step(dossier: Dossier, current: DossierStep | None):
    _reception, middle, _back = split_workflow(workflow_of(dossier))
    after = current.order if current is not None and current.workflow_step_id else -1
    return next((s for s in middle if s.order > after), None)


def approval_step_id(dossier: Dossier) -> int | None:
    """The last head step of the workflow: the head approves and signs there
    (earlier head steps — assignment, review — are completed and handed on).
    None when the workflow has no head step: a head may then approve at any step."""
    _reception, middle, _back = split_workflow(workflow_of(dossier))
    heads = [s for s in middle if s.actor_role == Role.DEPARTMENT_HEAD]
    return heads[-1].pk if heads else None


def approval_due_here(dossier: Dossier, step: DossierStep | None) -> bool:
    approval = approval_step_id(dossier)
    if approval is None:
        return True
    return step is not None and step.workflow_step_id == approval


@transaction.atomic
def dossier_transfer(*, actor, dossier: Dossier | int, at=None) -> Dossier:
    """The desk hands the received dossier to the resolving unit (§3 row 8)."""
    when = at or timezone.now()

    def apply(locked: Dossier):
        if locked.processing_agency_id is None:
            locked.processing_agency = processing_agency_for(locked)
        current = open_step(locked)
        if current is not None:
            step_finish(current, at=when, actor=actor, outcome=StepOutcome.COMPLETED)
        following = _next_processing_step(locked, current)
        step_start(locked, following, at=when, handed_over_by=actor)
        return ["processing_agency", "current_step"]

    return dossier_transition(actor=actor, dossier=dossier, action="transfer", apply=apply, at=when)


def _load_step(step: DossierStep | int) -> DossierStep:
    # Read without a lock: the dossier row is locked by dossier_transition and the
    # step row again inside each ``apply``.
    pk = step.pk if isinstance(step, DossierStep) else step
    return DossierStep.objects.select_related("agency", "workflow_step", "dossier").get(pk=pk)


@transaction.atomic
def step_assign(*, actor, step: DossierStep | int, assignee) -> DossierStep:
    """The head gives a step (and the dossier's later specialist steps) to a person."""
    step = _load_step(step)
    if not assignee.has_perm(f"agencies.{role_perm(step.role)}", step.agency):
        raise DossierError(
            _("%(name)s không có quyền xử lý bước này tại %(agency)s.")
            % {"name": assignee.display_name, "agency": step.agency}
        )

    def apply(locked: Dossier):
        current = DossierStep.objects.select_for_update().get(pk=step.pk)
        if current.completed_at is not None:
            raise DossierError(_("Bước này đã được chuyển đi; hãy tải lại trang."))
        current.assignee = assignee
        current.assigned_by = actor
        current.save(update_fields=["assignee", "assigned_by"])
        if current.role == Role.SPECIALIST:
            locked.assigned_specialist = assignee
            return ["assigned_specialist"]
        return []

    dossier_transition(
        actor=actor, dossier=step.dossier_id, action="assign", apply=apply, agency=step.agency,
        note=_("Phân công: %(name)s") % {"name": assignee.display_name},
    )  # fmt: skip
    step.refresh_from_db()
    return step


@transaction.atomic
def step_complete(*, actor, step: DossierStep | int, note: str = "", assignee=None) -> DossierStep:
    """Finish a step and hand the dossier to the next one of its workflow."""
    step = _load_step(step)
    if step.kind == StepKind.CONSULT:
        raise DossierError(_("Bước xin ý kiến được kết thúc bằng ý kiến trả lời."))
    holder: dict = {}

    def apply(locked: Dossier):
        current = DossierStep.objects.select_for_update().get(pk=step.pk)
        _require_holder(actor, current)
        if current.consultations.filter(completed_at__isnull=True).exists():
            raise DossierError(_("Còn ý kiến của cơ quan phối hợp chưa trả lời."))
        following = _next_processing_step(locked, current)
        at_approval = current.workflow_step_id and current.workflow_step_id == approval_step_id(
            locked
        )
        if following is None or at_approval:
            raise DossierError(
                _("Đây là bước phê duyệt: lãnh đạo phê duyệt, ký kết quả hoặc trả lại bước trước.")
            )
        step_finish(current, at=timezone.now(), actor=actor, outcome=StepOutcome.COMPLETED,
                    note=note)  # fmt: skip
        if assignee is not None and following.actor_role == Role.SPECIALIST:
            locked.assigned_specialist = assignee
        holder["next"] = step_start(
            locked, following, at=current.completed_at, handed_over_by=actor, assignee=assignee
        )
        return ["current_step", "assigned_specialist"]

    dossier_transition(
        actor=actor, dossier=step.dossier_id, action="complete_step", apply=apply,
        agency=step.agency, note=note,
    )  # fmt: skip
    return holder["next"]


@transaction.atomic
def step_send_back(*, actor, step: DossierStep | int, to_order: int, note: str) -> DossierStep:
    """Return the dossier to an earlier step (reviewer disagrees), with the reason."""
    step = _load_step(step)
    note = (note or "").strip()
    if not note:
        raise DossierError(_("Phải ghi rõ lý do trả lại."))
    holder: dict = {}

    def apply(locked: Dossier):
        current = DossierStep.objects.select_for_update().get(pk=step.pk)
        _require_holder(actor, current)
        _reception, middle, _back = split_workflow(workflow_of(locked))
        target = next((s for s in middle if s.order == to_order), None)
        if target is None or target.order >= current.order:
            raise DossierError(_("Chỉ có thể trả lại một bước xử lý trước bước hiện tại."))
        step_finish(current, at=timezone.now(), actor=actor, outcome=StepOutcome.SENT_BACK,
                    note=note)  # fmt: skip
        # The earlier holder gets it back (the last person who completed that step).
        previous = (
            locked.steps.filter(workflow_step=target, completed_at__isnull=False)
            .order_by("-completed_at")
            .first()
        )
        holder["next"] = step_start(
            locked, target, at=current.completed_at, handed_over_by=actor,
            assignee=previous.assignee if previous else None,
        )  # fmt: skip
        return ["current_step"]

    dossier_transition(
        actor=actor, dossier=step.dossier_id, action="send_back", apply=apply,
        agency=step.agency, note=note,
    )  # fmt: skip
    return holder["next"]


@transaction.atomic
def step_consult(*, actor, step: DossierStep | int, agency: Agency, question: str) -> DossierStep:
    """Ask another agency's opinion; its staff answer in their own queue.

    The time counts against the asking step's budget (§3 row 10); the
    consultation has its own due time so the other agency sees its deadline.
    """
    step = _load_step(step)
    question = (question or "").strip()
    if not question:
        raise DossierError(_("Phải nêu nội dung xin ý kiến."))
    if agency.pk == step.agency_id:
        raise DossierError(_("Hãy chọn một cơ quan khác để xin ý kiến."))
    holder: dict = {}

    def apply(locked: Dossier):
        current = DossierStep.objects.select_for_update().get(pk=step.pk)
        _require_holder(actor, current)
        when = timezone.now()
        holder["consult"] = DossierStep.objects.create(
            dossier=locked, kind=StepKind.CONSULT, parent=current, order=current.order,
            name=_("Xin ý kiến: %(agency)s") % {"agency": agency.name}, role=Role.SPECIALIST,
            agency=agency, handed_over_by=actor, started_at=when, counted=True,
            **step_due_values(consult_due(when), dossier_due_copy(locked)), request_text=question,
        )  # fmt: skip
        return []

    dossier_transition(
        actor=actor, dossier=step.dossier_id, action="consult", apply=apply,
        agency=step.agency, note=question,
    )  # fmt: skip
    return holder["consult"]


@transaction.atomic
def consult_answer(*, actor, step: DossierStep | int, answer: str) -> DossierStep:
    step = _load_step(step)
    answer = (answer or "").strip()
    if step.kind != StepKind.CONSULT:
        raise DossierError(_("Bước này không phải là xin ý kiến."))
    if not answer:
        raise DossierError(_("Phải ghi nội dung ý kiến trả lời."))

    def apply(locked: Dossier):
        current = DossierStep.objects.select_for_update().get(pk=step.pk)
        _require_holder(actor, current)
        step_finish(current, at=timezone.now(), actor=actor, outcome=StepOutcome.ANSWERED,
                    note=answer)  # fmt: skip
        return []

    dossier_transition(
        actor=actor, dossier=step.dossier_id, action="answer_consult", apply=apply,
        agency=step.agency, note=answer,
    )  # fmt: skip
    step.refresh_from_db()
    return step


def assignable_staff(step: DossierStep):
    """People who may hold ``step``: members of its unit with the step's permission."""
    from guardian.shortcuts import get_users_with_perms

    users = get_users_with_perms(
        step.agency, only_with_perms_in=[role_perm(step.role)], with_group_users=True
    )
    return (
        get_user_model()
        .objects.filter(pk__in=users.values("pk"), is_active=True)
        .order_by("last_name", "first_name", "username")
    )
