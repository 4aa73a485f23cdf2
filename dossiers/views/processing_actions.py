"""The actions of the processing page, as data: for each one, the lifecycle
transition it performs (``dossiers.workflow.TRANSITIONS``: its label and the
statuses it starts from), when the page offers it, its form, and the service
it calls.

Every action is a POST to ``/xu-ly/ho-so/<pk>/<slug>/``. The form's choices
come from the dossier's state, not from the user's rights, so a person who
may not act reaches the service and gets its ``PermissionDenied`` (403). A
form with invalid input is shown again with its errors; a refused operation
(``DossierError``) redirects back to the page with the reason as a message,
so a refresh never sends it again. Destructive actions (``confirm``) first
show a page with their consequences.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _

from ..forms_processing import (
    ApologyForm,
    ApproveForm,
    AssignForm,
    CompleteForm,
    ConsultAnswerForm,
    ConsultForm,
    RejectForm,
    ResultGenerateForm,
    ResultUploadForm,
    SendBackForm,
    StopForm,
    SupplementDecisionForm,
    SupplementDraftForm,
)
from ..models import Dossier, Status
from ..selectors_casework import Casework, consult_agencies, dossier_light
from ..services import apology, closing, decisions, processing, results
from ..workflow import TRANSITIONS, actions_for

Data = Any  # request.POST / request.FILES or None for an unbound form


def _when(value) -> str:
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y") if value else "—"


def _step_initial(work: Casework) -> dict:
    return {"step": work.step.pk} if work.step is not None else {}


# --- forms -------------------------------------------------------------------------------


def _assign_form(work: Casework, dossier: Dossier, data: Data, files: Data) -> forms.Form:
    people = work.assignable
    if data is not None and work.step is not None and not people:
        people = list(processing.assignable_staff(work.step))
    current = work.step.assignee_id if work.step is not None else None
    return AssignForm(
        data, dossier=dossier, people=people, initial={**_step_initial(work), "assignee": current}
    )


def _complete_form(work: Casework, dossier: Dossier, data: Data, files: Data) -> forms.Form:
    return CompleteForm(
        data, dossier=dossier, people=work.next_assignable, initial=_step_initial(work)
    )


def _send_back_form(work: Casework, dossier: Dossier, data: Data, files: Data) -> forms.Form:
    return SendBackForm(
        data, dossier=dossier, targets=work.back_targets, initial=_step_initial(work)
    )


def _consult_form(work: Casework, dossier: Dossier, data: Data, files: Data) -> forms.Form:
    return ConsultForm(
        data, dossier=dossier, agencies=consult_agencies(work.step), initial=_step_initial(work)
    )


def _answer_form(work: Casework, dossier: Dossier, data: Data, files: Data) -> forms.Form:
    # On POST every open consultation is a valid choice: the service decides
    # whether this person may answer it.
    consultations = work.consultations if data is not None else work.answerable
    return ConsultAnswerForm(data, consultations=consultations)


def _supplement_form(work: Casework, dossier: Dossier, data: Data, files: Data) -> forms.Form:
    return SupplementDraftForm(
        data,
        requirements=list(dossier.procedure_version.components.order_by("order", "pk")),
        warning=decisions.supplement_warning(dossier),
    )


def _supplement_decision_form(work, dossier, data, files) -> forms.Form:
    draft = work.supplement_draft
    return SupplementDecisionForm(
        data,
        dossier=dossier,
        second=dossier.supplement_count >= 1,
        initial={"request": draft.pk} if draft is not None else {},
    )


def _plain(form_class) -> Callable[..., forms.Form]:
    def make(work: Casework, dossier: Dossier, data: Data, files: Data) -> forms.Form:
        return form_class(data, files) if files is not None else form_class(data)

    return make


def _apology_form(work: Casework, dossier: Dossier, data: Data, files: Data) -> forms.Form:
    return ApologyForm(data, due_at=dossier.due_at)


# --- services ----------------------------------------------------------------------------


def _assign(actor, dossier: Dossier, data: dict) -> str:
    step = processing.step_assign(actor=actor, step=data["step"], assignee=data["assignee_obj"])
    return _("Đã phân công %(name)s xử lý bước “%(step)s”.") % {
        "name": step.assignee.display_name,
        "step": step.name,
    }


def _complete(actor, dossier: Dossier, data: dict) -> str:
    following = processing.step_complete(
        actor=actor, step=data["step"], note=data["note"], assignee=data["assignee_obj"]
    )
    return _("Đã hoàn thành bước và chuyển hồ sơ sang bước “%(step)s” (hạn %(due)s).") % {
        "step": following.name,
        "due": _when(following.due_at),
    }


def _send_back(actor, dossier: Dossier, data: dict) -> str:
    target = processing.step_send_back(
        actor=actor, step=data["step"], to_order=data["to_order"], note=data["note"]
    )
    return _("Đã trả hồ sơ về bước “%(step)s”.") % {"step": target.name}


def _consult(actor, dossier: Dossier, data: dict) -> str:
    asked = processing.step_consult(
        actor=actor, step=data["step"], agency=data["agency"], question=data["question"]
    )
    return _("Đã gửi đề nghị xin ý kiến %(agency)s; hạn trả lời %(due)s.") % {
        "agency": data["agency"].name,
        "due": _when(asked.due_at),
    }


def _answer(actor, dossier: Dossier, data: dict) -> str:
    processing.consult_answer(actor=actor, step=data["consultation"], answer=data["answer"])
    return _("Đã gửi ý kiến trả lời.")


def _supplement_draft(actor, dossier: Dossier, data: dict) -> str:
    decisions.supplement_draft(
        actor=actor, dossier=dossier, items=data["items"], note=data["note"],
        justification=data.get("justification", ""),
    )  # fmt: skip
    return _("Đã lập dự thảo yêu cầu bổ sung gồm %(n)s nội dung, chờ lãnh đạo ký duyệt.") % {
        "n": len(data["items"])
    }


def _supplement_issue(actor, dossier: Dossier, data: dict) -> str:
    decisions.supplement_issue(
        actor=actor, request=data["request"], acknowledge_late=bool(data.get("acknowledge_late"))
    )
    return _(
        "Đã ban hành phiếu yêu cầu bổ sung hồ sơ; thời gian giải quyết tạm dừng đến khi công dân "
        "nộp bổ sung."
    )


def _supplement_discard(actor, dossier: Dossier, data: dict) -> str:
    decisions.supplement_discard(actor=actor, request=data["request"])
    return _("Đã hủy dự thảo yêu cầu bổ sung.")


def _reject(actor, dossier: Dossier, data: dict) -> str:
    decisions.dossier_reject(actor=actor, dossier=dossier, reason=data["reason"])
    return _("Đã ban hành thông báo hồ sơ không đủ điều kiện giải quyết.")


def _result_upload(actor, dossier: Dossier, data: dict) -> str:
    results.result_draft_upload(actor=actor, dossier=dossier, upload=data["file"])
    return _("Đã tải lên dự thảo kết quả; lãnh đạo ký số khi phê duyệt.")


def _result_generate(actor, dossier: Dossier, data: dict) -> str:
    results.result_draft_generate(actor=actor, dossier=dossier, content=data["content"])
    return _("Đã soạn dự thảo kết quả từ mẫu; lãnh đạo ký số khi phê duyệt.")


def _approve(actor, dossier: Dossier, data: dict) -> str:
    approved = decisions.dossier_approve(actor=actor, dossier=dossier, note=data["note"])
    if approved.status == Status.RETURNED:
        return _(
            "Đã phê duyệt và ký số kết quả %(code)s; kết quả điện tử đã được trả vào kho dữ liệu "
            "của công dân."
        ) % {"code": approved.result_code}
    return _("Đã phê duyệt và ký số kết quả %(code)s; Bộ phận Một cửa trả kết quả.") % {
        "code": approved.result_code
    }


def _apology(actor, dossier: Dossier, data: dict) -> str:
    letter = apology.apology_issue(
        actor=actor, dossier=dossier, reason=data["reason"], new_due_at=data["new_due_at"]
    )
    return _("Đã ban hành phiếu xin lỗi và hẹn lại ngày trả kết quả: %(due)s.") % {
        "due": _when(letter.new_due_at)
    }


def _stop(actor, dossier: Dossier, data: dict) -> str:
    closing.dossier_stop(actor=actor, dossier=dossier, reason=data["reason"])
    return _("Đã dừng xử lý hồ sơ và lập thông báo dừng giải quyết.")


# --- the registry --------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    name: str  # URL name and key of the form on the page
    slug: str  # path segment under /xu-ly/ho-so/<pk>/
    anchor: str  # the page's section, and the group the action is listed in
    transition: str  # key in dossiers.workflow.TRANSITIONS
    offered: Callable[[Casework], bool]
    form: Callable[[Casework, Dossier, Data, Data], forms.Form]
    run: Callable[[Any, Dossier, dict], str]
    files: bool = False
    # Ends the dossier without a result: a confirmation page states what follows.
    confirm: bool = False
    # Shown open on the page: the work this person is expected to do next.
    primary: Callable[[Casework, Dossier], bool] = lambda work, dossier: False

    @property
    def label(self) -> str:
        return str(TRANSITIONS[self.transition].label)

    def available(self, work: Casework, dossier: Dossier) -> bool:
        """The lifecycle table allows it from the dossier's status and this
        person's capabilities (``Casework``) allow it on the current step."""
        return self.transition in actions_for(dossier) and self.offered(work)


def _unassigned(work: Casework, dossier: Dossier) -> bool:
    # Nobody holds the step: giving it to someone is the next thing, unless the
    # head can decide it here and now (the approval step).
    return work.step is not None and work.step.assignee_id is None and not work.can_approve


def _late(work: Casework, dossier: Dossier) -> bool:
    # A letter is only useful before the appointment passes: due soon or late.
    return dossier_light(dossier) in ("due_soon", "overdue")


ACTIONS: tuple[Action, ...] = (
    Action("assign", "phan-cong", "xu-ly", "assign", lambda w: w.can_assign, _assign_form,
           _assign, primary=_unassigned),
    Action("complete", "chuyen-buoc", "xu-ly", "complete_step", lambda w: w.can_complete,
           _complete_form, _complete, primary=lambda w, d: True),
    Action("send_back", "tra-lai", "xu-ly", "send_back", lambda w: w.can_send_back,
           _send_back_form, _send_back),
    Action("consult", "xin-y-kien", "xu-ly", "consult", lambda w: w.can_consult, _consult_form,
           _consult),
    Action("answer", "tra-loi-y-kien", "y-kien", "answer_consult", lambda w: bool(w.answerable),
           _answer_form, _answer, primary=lambda w, d: True),
    Action("supplement_draft", "du-thao-bo-sung", "bo-sung", "draft_supplement",
           lambda w: w.can_draft_supplement, _supplement_form, _supplement_draft),
    Action("supplement_issue", "ban-hanh-bo-sung", "bo-sung", "request_supplement",
           lambda w: w.can_sign_supplement, _supplement_decision_form, _supplement_issue,
           primary=lambda w, d: True),
    Action("supplement_discard", "huy-bo-sung", "bo-sung", "request_supplement",
           lambda w: w.can_sign_supplement, _supplement_decision_form, _supplement_discard),
    Action("result_upload", "tai-len-ket-qua", "ket-qua", "attach_result",
           lambda w: w.can_draft_result, _plain(ResultUploadForm), _result_upload, files=True),
    Action("result_generate", "soan-ket-qua", "ket-qua", "attach_result",
           lambda w: w.can_draft_result, _plain(ResultGenerateForm), _result_generate,
           primary=lambda w, d: w.result_draft is None),
    Action("approve", "phe-duyet", "ket-qua", "approve", lambda w: w.can_approve,
           _plain(ApproveForm), _approve, primary=lambda w, d: True),
    Action("reject", "khong-du-dieu-kien", "quyet-dinh", "reject", lambda w: w.can_reject,
           _plain(RejectForm), _reject, confirm=True),
    Action("apology", "xin-loi", "xin-loi", "issue_apology",
           lambda w: w.can_apologise and not w.apology_problem, _apology_form, _apology,
           primary=_late),
    Action("stop", "dung-xu-ly", "quyet-dinh", "stop", lambda w: w.can_stop, _plain(StopForm),
           _stop, confirm=True),
)  # fmt: skip
ACTIONS_BY_NAME = {action.name: action for action in ACTIONS}
# The page's sections, in the order of the work: what each group of actions is for.
GROUPS: tuple[tuple[str, str], ...] = (
    ("xu-ly", _("Chuyển tiếp hồ sơ")),
    ("y-kien", _("Ý kiến cơ quan khác")),
    ("ket-qua", _("Kết quả giải quyết")),
    ("bo-sung", _("Yêu cầu bổ sung")),
    ("xin-loi", _("Hẹn lại ngày trả kết quả")),
    ("quyet-dinh", _("Kết thúc không có kết quả")),
)


def form_for(action: Action, work: Casework, dossier: Dossier, data=None, files=None):
    form = action.form(work, dossier, data, files)
    # Several forms share field names ("note", "reason") on one page: ids stay unique.
    form.auto_id = f"{action.name}-%s"
    return form


def forms_for(work: Casework, dossier: Dossier) -> dict[str, forms.Form]:
    """Unbound forms of the actions the page offers this user now."""
    return {
        action.name: form_for(action, work, dossier)
        for action in ACTIONS
        if action.available(work, dossier)
    }


@dataclass(frozen=True)
class Offered:
    """One line of the page's "what you can do now" list."""

    name: str
    label: str
    primary: bool
    confirm: bool


def actions_now(work: Casework, dossier: Dossier, offered: dict) -> list[dict]:
    """The offered actions grouped by section, in the order of the work; the
    discard of a supplement draft is listed with its sign-off, not apart."""
    groups = []
    for anchor, title in GROUPS:
        items = [
            Offered(a.name, a.label, a.primary(work, dossier), a.confirm)
            for a in ACTIONS
            if a.anchor == anchor and a.name in offered and a.name != "supplement_discard"
        ]
        if items:
            groups.append({"anchor": anchor, "title": title, "actions": items})
    return groups


def opened(work: Casework, dossier: Dossier, offered: dict) -> set[str]:
    """Names of the offered actions whose form starts open. When nothing on the
    current step waits for this person (a head watching a dossier held by a
    specialist), the apology letter is what they came for."""
    names = {a.name for a in ACTIONS if a.name in offered and a.primary(work, dossier)}
    if not names and "apology" in offered:
        names.add("apology")
    return names


__all__ = [
    "ACTIONS",
    "ACTIONS_BY_NAME",
    "GROUPS",
    "Action",
    "actions_now",
    "form_for",
    "forms_for",
    "opened",
]
