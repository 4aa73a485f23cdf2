"""Staff inbox items for work handed to a person (issue #15 item 11).

A receiver of ``dossier_transitioned``: it runs inside the handover's
transaction, so the notices and their e-mails roll back with it. The kernel
inbox (``tthc_portal.notifications``) knows nothing of dossiers; the wording,
link and recipients are decided here.

Who is told:

* ``assign`` → the person given the step;
* ``transfer`` / ``complete_step`` to a head's step → that step's assignee,
  else the heads of its unit (a sign-off waiting); to an assigned specialist
  step → that specialist (an assignment);
* ``consult`` → the heads of the consulted unit;
* ``answer_consult`` → the specialist who asked;
* ``send_back`` → the receiver of the earlier step (its holder, else the
  members of its unit with the step's role).

Each notice's dedupe key names the step row and the person, so a repeated
event adds nothing while a new handover (a new step row) does.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.selectors import staff_with_role
from tthc_portal.notifications.models import StaffNoticeKind
from tthc_portal.notifications.services import staff_notice_send

from .models import Dossier, DossierStep, StepKind, StepOutcome

HANDOVERS = {"transfer", "complete_step"}


def _holders(step: DossierStep) -> list:
    """The step's assignee, or everyone who may take it from the unit's queue."""
    if step.assignee_id is not None:
        return [step.assignee]
    return list(staff_with_role(step.agency, step.role))


def _send(dossier: Dossier, step: DossierStep, kind: str, users, title: str, detail: str = ""):
    url = reverse("processing:dossier", args=[dossier.pk])
    for user in users:
        if user is None or not user.is_active:
            continue
        staff_notice_send(
            user, kind, title, url, f"dossier:{dossier.pk}:{kind}:step{step.pk}:u{user.pk}",
            dossier_code=dossier.code or "", due_at=step.due_at, detail=detail,
            topic=f"dossiers.dossier:{dossier.pk}:staff",
        )  # fmt: skip


def _label(dossier: Dossier) -> str:
    return dossier.code or _("hồ sơ số %(pk)s") % {"pk": dossier.pk}


def _on_handover(dossier: Dossier, actor) -> None:
    step = dossier.current_step
    if step is None:
        return
    if step.role == Role.DEPARTMENT_HEAD:
        title = _("Hồ sơ %(code)s chờ lãnh đạo xử lý: %(step)s")
        _send(dossier, step, StaffNoticeKind.SIGNOFF, _holders(step),
              title % {"code": _label(dossier), "step": step.name})  # fmt: skip
    elif step.assignee_id is not None and step.assignee_id != getattr(actor, "pk", None):
        title = _("Hồ sơ %(code)s được giao cho bạn: %(step)s")
        _send(dossier, step, StaffNoticeKind.ASSIGNMENT, [step.assignee],
              title % {"code": _label(dossier), "step": step.name})  # fmt: skip


def _on_assign(dossier: Dossier, actor) -> None:
    # step_assign does not pass the step: the open steps this actor assigned
    # (usually one); the dedupe key keeps earlier assignees from a repeat.
    steps = dossier.steps.filter(
        completed_at__isnull=True, assignee__isnull=False, assigned_by=actor
    ).select_related("assignee")
    for step in steps:
        title = _("Hồ sơ %(code)s được giao cho bạn: %(step)s")
        _send(dossier, step, StaffNoticeKind.ASSIGNMENT, [step.assignee],
              title % {"code": _label(dossier), "step": step.name})  # fmt: skip


def _on_consult(dossier: Dossier, note: str) -> None:
    consult = (
        dossier.steps.filter(kind=StepKind.CONSULT, completed_at__isnull=True)
        .select_related("agency", "parent__agency")
        .order_by("-pk")
        .first()
    )
    if consult is None:
        return
    asking = consult.parent.agency.name if consult.parent_id else ""
    title = _("Đề nghị cho ý kiến về hồ sơ %(code)s của %(agency)s")
    _send(dossier, consult, StaffNoticeKind.CONSULT_REQUEST,
          staff_with_role(consult.agency, Role.DEPARTMENT_HEAD),
          title % {"code": _label(dossier), "agency": asking}, detail=note)  # fmt: skip


def _on_answer(dossier: Dossier, note: str) -> None:
    consult = (
        dossier.steps.filter(kind=StepKind.CONSULT, outcome=StepOutcome.ANSWERED)
        .select_related("agency", "handed_over_by", "parent__assignee")
        .order_by("-completed_at", "-pk")
        .first()
    )
    if consult is None:
        return
    asker = consult.handed_over_by or (consult.parent.assignee if consult.parent_id else None)
    title = _("%(agency)s đã trả lời xin ý kiến về hồ sơ %(code)s")
    _send(dossier, consult, StaffNoticeKind.CONSULT_ANSWER, [asker],
          title % {"code": _label(dossier), "agency": consult.agency.name},
          detail=note)  # fmt: skip


def _on_send_back(dossier: Dossier, note: str) -> None:
    step = dossier.current_step
    if step is None:
        return
    title = _("Hồ sơ %(code)s bị trả lại bước: %(step)s")
    _send(dossier, step, StaffNoticeKind.SENT_BACK, _holders(step),
          title % {"code": _label(dossier), "step": step.name},
          detail=_("Lý do: %(note)s") % {"note": note})  # fmt: skip


def staff_notices_on_transition(sender, dossier: Dossier, history, action: str, **kwargs) -> None:
    """Receiver of ``dossier_transitioned`` (connected in ``DossiersConfig.ready``)."""
    if action not in HANDOVERS | {"assign", "consult", "answer_consult", "send_back"}:
        return
    actor = history.actor
    # Stored text: the office's language, not the language of the request that acted.
    with translation.override(settings.LANGUAGE_CODE):
        if action in HANDOVERS:
            _on_handover(dossier, actor)
        elif action == "assign":
            _on_assign(dossier, actor)
        elif action == "consult":
            _on_consult(dossier, history.note)
        elif action == "answer_consult":
            _on_answer(dossier, history.note)
        else:
            _on_send_back(dossier, history.note)
