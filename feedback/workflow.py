"""The PAKN lifecycle as data (feedback.md, Statuses; provincial routing).

Every status change goes through ``services.pakn.feedback_transition``, which
runs ``PAKN_LIFECYCLE`` (the kernel engine, ``tthc_portal.lifecycle``): the
table, its named guards and the computed ``PREVIOUS`` target.
``actors`` names capabilities the service checks:

* ``office`` – the receiving unit's classifying staff: guardian
  ``CAPABILITY_PERMS["office"]`` on the item's *receiving* agency (the
  provincial office holds it over the whole province);
* ``handler`` – the unit the item was forwarded to: ``CAPABILITY_PERMS["handler"]``
  on the item's current agency (the office handles only the items it kept);
* ``submitter`` – the person who sent it: their account, or the secret
  tracking link sent to them;
* ``system`` – no user (beat jobs).

``target = PREVIOUS`` returns to the status saved when the clock was paused
(the submitter's answer to a request for more information).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from tthc_portal.lifecycle import Guard, Lifecycle, Transition

from .models import Status as S

PREVIOUS = "__previous__"

# Capability → guardian permissions on the agency (any of them grants it).
# The roles of tthc_portal.accounts.roles carry no PAKN-specific permission
# yet: the provincial office's procedure-control right stands for "receives
# and classifies PAKN", a unit's processing right for "handles PAKN".
CAPABILITY_PERMS: dict[str, tuple[str, ...]] = {
    "office": ("control_publication",),
    "handler": ("process_dossiers", "control_publication"),
    "viewer": ("view_agency_records",),
}


@dataclass(frozen=True)
class PaknChange:
    """What ``feedback_transition`` hands the lifecycle: who acts, and when."""

    actor: Any
    at: datetime


def _t(sources, target, actors, label, submitter="", agency="", requires=()) -> Transition:
    """A row; ``submitter`` / ``agency``: the MessageTemplate key each is sent."""
    notify = {k: v for k, v in (("submitter", submitter), ("agency", agency)) if v}
    return Transition.row(sources, target, actors, label, guards=requires, notify=notify or None)


# Conditions on the item that the status alone does not tell, with the reason
# given when one fails. Once the handling unit has answered, the item is no
# longer sent elsewhere or back to the submitter: the answer is approved, or
# returned to the unit for revision.
GUARDS: dict[str, Guard] = {
    "unanswered": Guard(
        lambda item: item.answered_at is None,
        _("Đơn vị xử lý đã trả lời; hãy duyệt hoặc trả lại câu trả lời để hoàn thiện."),
    ),
    "answered": Guard(
        lambda item: item.answered_at is not None,
        _("Đơn vị xử lý chưa trả lời."),
    ),
}


TRANSITIONS: dict[str, Transition] = {
    "classify": _t({S.RECEIVED_PENDING}, None, {"office"}, _("Phân loại")),
    "refuse": _t(
        {S.RECEIVED_PENDING},
        S.NOT_ACCEPTED,
        {"office"},
        _("Không tiếp nhận"),
        submitter="feedback.not_accepted",
    ),
    "request_info": _t(
        {S.RECEIVED_PENDING, S.IN_HANDLING},
        S.AWAITING_SUPPLEMENT,
        {"office", "handler"},
        _("Đề nghị bổ sung thông tin"),
        submitter="feedback.request_info",
        requires={"unanswered"},
    ),
    "supplement": _t(
        {S.AWAITING_SUPPLEMENT},
        PREVIOUS,
        {"submitter", "office", "handler"},
        _("Người gửi bổ sung thông tin"),
    ),
    "forward": _t(
        {S.RECEIVED_PENDING, S.IN_HANDLING},
        S.IN_HANDLING,
        {"office"},
        _("Chuyển đơn vị xử lý"),
        agency="feedback.assigned",
        requires={"unanswered"},
    ),
    "forward_out": _t(
        {S.RECEIVED_PENDING, S.IN_HANDLING},
        S.FORWARDED,
        {"office"},
        _("Chuyển cơ quan có thẩm quyền"),
        submitter="feedback.forwarded",
        requires={"unanswered"},
    ),
    "return_to_office": _t(
        {S.IN_HANDLING},
        S.RECEIVED_PENDING,
        {"handler"},
        _("Trả lại nơi tiếp nhận"),
        requires={"unanswered"},
    ),
    "receive_transfer": _t(
        {S.FORWARDED}, S.RECEIVED_PENDING, {"office"}, _("Nhận lại PAKN được chuyển đến")
    ),
    "answer": _t({S.IN_HANDLING}, None, {"handler"}, _("Trả lời, báo cáo kết quả xử lý")),
    # The approver sends the answer back for revision; it stays as the unit's draft.
    "return_answer": _t(
        {S.IN_HANDLING},
        None,
        {"office"},
        _("Trả lại để hoàn thiện câu trả lời"),
        agency="feedback.assigned",
        requires={"answered"},
    ),
    "approve_publication": _t(
        {S.IN_HANDLING},
        S.AWAITING_PUBLICATION,
        {"office"},
        _("Duyệt kết quả để công khai"),
        requires={"answered"},
    ),
    "publish": _t(
        {S.AWAITING_PUBLICATION},
        S.PUBLISHED,
        {"office"},
        _("Công khai kết quả"),
        submitter="feedback.published",
    ),
}


PAKN_LIFECYCLE: Lifecycle[Any, PaknChange] = Lifecycle(
    name="feedback",
    table=TRANSITIONS,
    guards=GUARDS,
    # The submitter's answer returns the item to where the clock was paused.
    targets={PREVIOUS: lambda item: item.status_before_supplement or S.RECEIVED_PENDING},
)


def actions_from(status: str) -> list[str]:
    return PAKN_LIFECYCLE.actions_from(status)


def actions_for(item: Any, capabilities: set[str] | None = None) -> list[str]:
    """The actions the table allows for this item now: its status and conditions,
    and (given) the caller's capabilities."""
    return PAKN_LIFECYCLE.allowed(item, capabilities)
