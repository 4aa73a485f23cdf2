"""The dossier lifecycle as data (dossier-lifecycle.md §3).

Every status change goes through ``services.lifecycle.dossier_transition``,
which runs ``DOSSIER_LIFECYCLE`` (the kernel engine, ``tthc_portal.lifecycle``):
allowed source states, target state, who may perform it and the named effects
it applies. ``actors`` names capabilities checked by the service:

* ``applicant`` – the dossier's own applicant;
* ``desk`` – guardian ``receive_dossiers`` on the receiving agency;
* ``specialist`` / ``assigner`` / ``head`` – ``process_dossiers`` /
  ``assign_dossiers`` / ``approve_dossiers`` (on the step's unit for step actions);
* ``system`` – no user (beat jobs, callbacks).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from tthc_portal import lifecycle

from .models import Dossier
from .models import Status as S


@dataclass(frozen=True)
class Transition(lifecycle.Transition):
    """A kernel lifecycle row (``tthc_portal.lifecycle``). ``target=None``: the
    status does not change (flags only)."""

    @property
    def notify_applicant(self) -> bool:
        """Whether the citizen is told (through the outbox): the message is the
        template named after the action (``services.lifecycle.notify_applicant``)."""
        return bool(self.notify) and "applicant" in self.notify


@dataclass
class DossierChange:
    """What ``dossier_transition`` hands the lifecycle's effects: who acts, which
    action, and when."""

    actor: Any
    action: str
    at: datetime
    # Work an effect defers until the dossier, its history and its audit are
    # written: effects that write other rows (their audit follows the transition's).
    after_save: list[Callable[[], object]] = field(default_factory=list)


def _cancel_open_fees(dossier: Dossier, change: DossierChange) -> tuple[str, ...]:
    """A withdrawn, refused, stopped or ineligible dossier owes nothing more."""

    def cancel() -> None:
        # Lazy: the table is data that selectors, views and other apps read;
        # services import it, never the reverse at import time (no cycle).
        from .services.payments import payments_cancel_open

        payments_cancel_open(dossier, actor=change.actor, reason=change.action)

    change.after_save.append(cancel)
    return ()


EFFECTS = {"cancel_open_fees": _cancel_open_fees}
# Named on every transition into CLOSED_WITHOUT_RESULT (none starts from there).
CLOSES = ("cancel_open_fees",)


def _t(sources, target, actors, label, notify=False, effects=()) -> Transition:
    return Transition.row(
        sources, target, actors, label, effects=effects,
        notify={"applicant": ""} if notify else None,
    )  # fmt: skip


def _named(rows: dict[str, Transition]) -> dict[str, Transition]:
    """Name each applicant message after its action, as the service sends it."""
    return {
        action: replace(t, notify={"applicant": action}) if t.notify else t
        for action, t in rows.items()
    }


TRANSITIONS: dict[str, Transition] = _named(
    {
        # "system": the national portal (DVCQG) submits, completes, supplements and
        # withdraws on the citizen's behalf (integrations.inbound).
        "submit": _t({S.DRAFT}, S.SUBMITTED, {"applicant", "desk", "system"}, _("Nộp hồ sơ")),
        "resubmit": _t(
            {S.AWAITING_COMPLETION},
            S.SUBMITTED,
            {"applicant", "desk", "system"},
            _("Nộp lại hồ sơ"),
        ),
        "receive": _t({S.DRAFT, S.SUBMITTED}, S.RECEIVED, {"desk"}, _("Tiếp nhận hồ sơ"), True),
        "request_completion": _t(
            {S.DRAFT, S.SUBMITTED},
            S.AWAITING_COMPLETION,
            {"desk"},
            _("Yêu cầu bổ sung, hoàn thiện"),
            True,
        ),
        "refuse": _t(
            {S.DRAFT, S.SUBMITTED}, S.REFUSED, {"desk"}, _("Từ chối tiếp nhận"), True, CLOSES
        ),
        "transfer": _t({S.RECEIVED}, S.IN_PROCESSING, {"desk", "system"}, _("Chuyển xử lý")),
        # Steps of the internal workflow: the status stays, the holder changes (§3 rows 9-10).
        "assign": _t({S.IN_PROCESSING}, None, {"assigner"}, _("Phân công xử lý")),
        "complete_step": _t(
            {S.IN_PROCESSING},
            None,
            {"specialist", "head", "desk"},
            _("Hoàn thành, chuyển bước sau"),
        ),
        "send_back": _t({S.IN_PROCESSING}, None, {"specialist", "head"}, _("Trả lại bước trước")),
        "consult": _t(
            {S.IN_PROCESSING}, None, {"specialist", "head"}, _("Lấy ý kiến cơ quan khác")
        ),
        "answer_consult": _t(
            {S.IN_PROCESSING, S.AWAITING_SUPPLEMENT},
            None,
            {"specialist", "head"},
            _("Trả lời xin ý kiến"),
        ),
        "draft_supplement": _t(
            {S.IN_PROCESSING}, None, {"specialist", "head"}, _("Dự thảo yêu cầu bổ sung")
        ),
        "request_supplement": _t(
            {S.IN_PROCESSING}, S.AWAITING_SUPPLEMENT, {"head"}, _("Yêu cầu bổ sung hồ sơ"), True
        ),
        "attach_result": _t({S.IN_PROCESSING}, None, {"specialist", "head"}, _("Dự thảo kết quả")),
        "supplement": _t(
            {S.AWAITING_SUPPLEMENT},
            S.IN_PROCESSING,
            {"applicant", "desk", "system"},
            _("Bổ sung hồ sơ"),
        ),
        "reject": _t(
            {S.IN_PROCESSING},
            S.REJECTED,
            {"head"},
            _("Không đủ điều kiện giải quyết"),
            True,
            CLOSES,
        ),
        "approve": _t(
            {S.IN_PROCESSING}, S.RESULT_READY, {"head"}, _("Phê duyệt, ký kết quả"), True
        ),
        "return_result": _t(
            {S.RESULT_READY}, S.RETURNED, {"desk", "system"}, _("Trả kết quả"), True
        ),
        "withdraw": _t(
            {S.SUBMITTED, S.RECEIVED, S.IN_PROCESSING, S.AWAITING_SUPPLEMENT},
            S.WITHDRAWN,
            {"applicant", "desk", "system"},
            _("Rút hồ sơ"),
            True,
            CLOSES,
        ),
        "stop": _t(
            {S.AWAITING_SUPPLEMENT, S.IN_PROCESSING},
            S.STOPPED,
            {"head", "desk"},
            _("Dừng xử lý"),
            True,
            CLOSES,
        ),
        "issue_apology": _t(
            {S.IN_PROCESSING, S.AWAITING_SUPPLEMENT},
            None,
            {"head"},
            _("Phiếu xin lỗi, hẹn lại"),
            True,
        ),
        "archive": _t(
            {S.RETURNED, S.REJECTED, S.WITHDRAWN, S.STOPPED, S.REFUSED},
            S.ARCHIVED,
            {"system"},
            _("Lưu trữ"),
        ),
    }
)


DOSSIER_LIFECYCLE: lifecycle.Lifecycle[Dossier, DossierChange] = lifecycle.Lifecycle(
    name="dossier", table=TRANSITIONS, effects=EFFECTS
)


def actions_from(status: str) -> list[str]:
    return DOSSIER_LIFECYCLE.actions_from(status)


def actions_for(dossier: Dossier, capabilities: set[str] | None = None) -> list[str]:
    """The actions the table allows on this dossier now: its status and (given)
    the caller's capabilities (``services.lifecycle.actor_capabilities``)."""
    return DOSSIER_LIFECYCLE.allowed(dossier, capabilities)
