"""PAKN handling: the one transition service and the actions built on it."""

from __future__ import annotations

import hmac
from collections.abc import Callable, Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tthc_portal.agencies.models import Agency
from tthc_portal.audit.services import audit_record
from tthc_portal.lifecycle import ActorRefused, GuardFailed, StatusRefused
from tthc_portal.text import fold

from ...models import (
    Category,
    Feedback,
    FeedbackHistory,
    Status,
    Subject,
)
from ...workflow import CAPABILITY_PERMS, PAKN_LIFECYCLE, TRANSITIONS, PaknChange
from .. import FeedbackError
from ..deadlines import deadlines_compute, pause_extend, publish_due, schedule_refresh
from .notify import notify_agency, notify_submitter

# Recipients named in the table's ``notify`` → the outbox sender for each.
NOTIFIERS = {"submitter": notify_submitter, "agency": notify_agency}


def _has_any(actor, perms: Iterable[str], agency: Agency) -> bool:
    return any(actor.has_perm(f"agencies.{perm}", agency) for perm in perms)


def actor_capabilities(actor, item: Feedback, token: str | None = None) -> set[str]:
    capabilities: set[str] = set()
    if token and hmac.compare_digest(token.encode(), item.lookup_token.encode()):
        capabilities.add("submitter")
    if actor is None:
        capabilities.add("system")
        return capabilities
    if not actor.is_authenticated:
        return capabilities
    if item.submitter_user_id is not None and item.submitter_user_id == actor.pk:
        capabilities.add("submitter")
    if _has_any(actor, CAPABILITY_PERMS["office"], item.receiving_agency):
        capabilities.add("office")
    # The unit the item sits with handles it; the office handles only the items
    # it kept (it does not answer in a department's place).
    handler_perms = CAPABILITY_PERMS["handler"]
    if item.agency_id != item.receiving_agency_id:
        handler_perms = tuple(p for p in handler_perms if p not in CAPABILITY_PERMS["office"])
    if _has_any(actor, handler_perms, item.agency):
        capabilities.add("handler")
    return capabilities


def lock(item: Feedback | int) -> Feedback:
    pk = item.pk if isinstance(item, Feedback) else item
    return (
        Feedback.objects.select_for_update(of=("self",))
        .select_related("receiving_agency", "agency")
        .get(pk=pk)
    )


@transaction.atomic
def feedback_transition(
    *,
    actor,
    item: Feedback | int,
    action: str,
    note: str = "",
    apply: Callable[[Feedback], Iterable[str]] | None = None,
    at: datetime | None = None,
    token: str | None = None,
) -> Feedback:
    """Lock the row, check the table and the actor, apply, refresh the stored
    deadline, append history and an audit event, notify through the outbox.

    ``apply`` receives the locked item (after the checks) and returns the
    names of the fields it changed.
    """
    transition = TRANSITIONS[action]
    locked = lock(item)
    when = at or timezone.now()

    def stamp_and_apply(locked: Feedback) -> Iterable[str]:
        # Checked after the table: a refused action reports its own reason first.
        if when < locked.received_at:
            raise FeedbackError(_("Thời điểm xử lý không được trước thời điểm tiếp nhận."))
        locked._transition_at = when  # read by ``apply`` helpers below
        return apply(locked) or () if apply else ()

    previous_agency = locked.agency_id
    try:
        outcome = PAKN_LIFECYCLE.run(
            action,
            locked,
            PaknChange(actor=actor, at=when),
            capabilities=actor_capabilities(actor, locked, token),
            apply=stamp_and_apply,
        )
    except ActorRefused:
        raise PermissionDenied(action) from None
    except StatusRefused:
        raise FeedbackError(
            _("Không thể “%(action)s”: PAKN đang ở trạng thái “%(status)s”.")
            % {"action": transition.label, "status": locked.get_status_display()}
        ) from None
    except GuardFailed as failure:
        raise FeedbackError(
            _("Không thể “%(action)s”: %(reason)s")
            % {"action": transition.label, "reason": failure.reason}
        ) from None
    before = outcome.before
    fields = set(outcome.fields)
    # Every closing status stamps when handling ended, whichever action led there.
    if locked.status in (Status.NOT_ACCEPTED, Status.FORWARDED, Status.PUBLISHED):
        locked.finished_at = when
        fields.add("finished_at")
    fields.update(schedule_refresh(locked))
    locked.save(update_fields=[*sorted(fields), "updated_at"])
    FeedbackHistory.objects.create(
        feedback=locked,
        action=action,
        from_status=before,
        to_status=locked.status,
        actor=actor if actor is not None and actor.is_authenticated else None,
        agency=locked.agency,
        at=when,
        note=note,
    )
    audit_record(
        actor=actor,
        action=f"feedback.{action}",
        target=locked,
        before={"status": before, "agency": previous_agency},
        after={
            "status": locked.status,
            "note": note,
            **{f: getattr(locked, f) for f in sorted(fields) if f != "search_folded"},
        },
    )
    for recipient, key in outcome.notify.items():
        NOTIFIERS[recipient](locked, key, action)
    return locked


def _at(item: Feedback) -> datetime:
    return getattr(item, "_transition_at", None) or timezone.now()


# --- actions ------------------------------------------------------------------------------


def feedback_classify(
    *,
    actor,
    item: Feedback | int,
    category: str,
    subject: str = "",
    reason: str = "",
    field=None,
    at: datetime | None = None,
) -> Feedback:
    """Put the item in exactly one class (Decree 92/2017), and the 5.1 dimension.

    ``not_accepted`` refuses it with the reason (sent to the submitter).
    """
    if category not in Category.values:
        raise FeedbackError(_("Vui lòng chọn một loại phân loại PAKN."))
    if subject and subject not in Subject.values:
        raise FeedbackError(_("Nội dung liên quan (tiêu chí 5.1) không hợp lệ."))
    subject = subject or (
        Subject.OFFICIAL_BEHAVIOUR
        if category == Category.IMPLEMENTATION_BEHAVIOUR
        else Subject.REGULATION
    )
    reason = (reason or "").strip()

    def apply(locked: Feedback) -> list[str]:
        locked.category = category
        locked.subject = subject
        locked.classified_at = _at(locked)
        changed = ["category", "subject", "classified_at"]
        if field is not None:
            locked.field = field
            changed.append("field")
        if category == Category.NOT_ACCEPTED:
            locked.refusal_reason = reason
            locked.refused_at = _at(locked)
            changed += ["refusal_reason", "refused_at"]
        return changed

    if category == Category.NOT_ACCEPTED:
        if not reason:
            raise FeedbackError(
                _("Phải ghi rõ lý do không tiếp nhận để thông báo cho người gửi."),
                fields={"reason": [_("Phải ghi rõ lý do không tiếp nhận.")]},
            )
        return feedback_transition(
            actor=actor, item=item, action="refuse", apply=apply, note=reason, at=at
        )
    return feedback_transition(
        actor=actor,
        item=item,
        action="classify",
        apply=apply,
        note=str(Category(category).label),
        at=at,
    )


def feedback_refuse(*, actor, item: Feedback | int, reason: str, at=None) -> Feedback:
    return feedback_classify(
        actor=actor, item=item, category=Category.NOT_ACCEPTED, reason=reason, at=at
    )


def feedback_request_info(
    *, actor, item: Feedback | int, request: str, at: datetime | None = None
) -> Feedback:
    """Ask the submitter for more information: once per item."""
    request = (request or "").strip()
    if not request:
        raise FeedbackError(
            _("Vui lòng ghi rõ thông tin cần người gửi bổ sung."),
            fields={"request": [_("Vui lòng ghi rõ thông tin cần bổ sung.")]},
        )

    def apply(locked: Feedback) -> list[str]:
        if locked.supplement_requested_at is not None:
            raise FeedbackError(
                _("PAKN này đã được đề nghị bổ sung thông tin một lần; không đề nghị lần hai.")
            )
        locked.supplement_request = request
        locked.supplement_requested_at = _at(locked)
        locked.status_before_supplement = locked.status
        return ["supplement_request", "supplement_requested_at", "status_before_supplement"]

    return feedback_transition(
        actor=actor, item=item, action="request_info", apply=apply, note=request, at=at
    )


def feedback_supplement(
    *,
    item: Feedback | int,
    response: str,
    actor=None,
    token: str | None = None,
    at: datetime | None = None,
) -> Feedback:
    """The submitter's answer (through the tracking link, or entered by staff
    from a call or letter). The handling clock resumes."""
    response = (response or "").strip()
    if not response:
        raise FeedbackError(
            _("Vui lòng nhập thông tin bổ sung."),
            fields={"response": [_("Vui lòng nhập thông tin bổ sung.")]},
        )

    def apply(locked: Feedback) -> list[str]:
        locked.supplement_response = response
        locked.supplement_received_at = _at(locked)
        return ["supplement_response", "supplement_received_at", *pause_extend(locked)]

    return feedback_transition(
        actor=actor,
        item=item,
        action="supplement",
        apply=apply,
        note=response[:500],
        at=at,
        token=token,
    )


def feedback_forward(
    *, actor, item: Feedback | int, agency: Agency, note: str = "", at: datetime | None = None
) -> Feedback:
    """Transfer to the competent unit of the province (the provincial People's
    Committee's transfer letter). The 15-working-day clock keeps running: only
    a transfer from the Government Office, a ministry or another province
    restarts it (see ``feedback_receive_transfer``)."""
    if agency is None or not agency.is_active:
        raise FeedbackError(_("Vui lòng chọn đơn vị đang hoạt động để chuyển xử lý."))

    def apply(locked: Feedback) -> list[str]:
        if not locked.category:
            raise FeedbackError(_("Phải phân loại PAKN trước khi chuyển xử lý."))
        if locked.category == Category.NOT_ACCEPTED:
            raise FeedbackError(_("PAKN không đủ điều kiện tiếp nhận không được chuyển xử lý."))
        province = locked.receiving_agency
        if not agency.path.startswith(province.path) and agency.pk != province.pk:
            raise FeedbackError(
                _(
                    "Đơn vị nhận phải thuộc tỉnh; cơ quan ngoài tỉnh dùng "
                    "“Chuyển cơ quan có thẩm quyền”."
                )
            )
        locked.agency = agency
        locked.forwarded_at = _at(locked)
        return ["agency", "forwarded_at"]

    return feedback_transition(
        actor=actor,
        item=item,
        action="forward",
        apply=apply,
        note=note or _("Chuyển %(a)s xử lý") % {"a": agency.name},
        at=at,
    )


def feedback_forward_out(
    *, actor, item: Feedback | int, recipient: str, note: str = "", at: datetime | None = None
) -> Feedback:
    """Send an item outside the province's authority to the competent body
    (a ministry, another province, the Government Office) — within 5 WD."""
    recipient = (recipient or "").strip()
    if not recipient:
        raise FeedbackError(
            _("Vui lòng ghi rõ cơ quan có thẩm quyền nhận PAKN."),
            fields={"recipient": [_("Vui lòng ghi rõ cơ quan nhận.")]},
        )

    def apply(locked: Feedback) -> list[str]:
        if locked.category not in (
            Category.REGULATION_OUT_OF_SCOPE,
            Category.IMPLEMENTATION_BEHAVIOUR,
        ):
            raise FeedbackError(
                _(
                    "Chỉ chuyển ra ngoài PAKN về quy định ngoài thẩm quyền "
                    "hoặc về hành vi thực hiện."
                )
            )
        locked.external_recipient = recipient[:255]
        locked.forwarded_out_at = _at(locked)
        return ["external_recipient", "forwarded_out_at"]

    return feedback_transition(
        actor=actor,
        item=item,
        action="forward_out",
        apply=apply,
        note=note or recipient,
        at=at,
    )


def feedback_return_to_office(
    *, actor, item: Feedback | int, note: str, at: datetime | None = None
) -> Feedback:
    """The unit sends an item back: not within its competence (internal return)."""
    note = (note or "").strip()
    if not note:
        raise FeedbackError(_("Vui lòng ghi rõ lý do trả lại."), fields={"note": [_("Bắt buộc.")]})

    def apply(locked: Feedback) -> list[str]:
        locked.agency = locked.receiving_agency
        return ["agency"]

    return feedback_transition(
        actor=actor, item=item, action="return_to_office", apply=apply, note=note, at=at
    )


def feedback_receive_transfer(
    *, actor, item: Feedback | int, from_body: str, at: datetime | None = None
) -> Feedback:
    """The item comes back transferred by the Government Office, a ministry or a
    province: the 2/5/15-working-day clocks restart from this transfer."""
    from_body = (from_body or "").strip()
    if not from_body:
        raise FeedbackError(_("Vui lòng ghi rõ cơ quan chuyển đến."))

    def apply(locked: Feedback) -> list[str]:
        when = _at(locked)
        locked.transferred_from = from_body[:255]
        locked.clock_start_at = when
        locked.agency = locked.receiving_agency
        locked.category = ""
        locked.finished_at = None
        locked.supplement_requested_at = None
        locked.supplement_received_at = None
        locked.refused_at = None
        return [
            "transferred_from",
            "clock_start_at",
            "agency",
            "category",
            "finished_at",
            "supplement_requested_at",
            "supplement_received_at",
            "refused_at",
            *deadlines_compute(locked),
        ]

    return feedback_transition(
        actor=actor, item=item, action="receive_transfer", apply=apply, note=from_body, at=at
    )


def feedback_answer(
    *, actor, item: Feedback | int, answer: str, at: datetime | None = None
) -> Feedback:
    """The handling unit's answer (its report back to the office)."""
    answer = (answer or "").strip()
    if len(answer) < 10:
        raise FeedbackError(
            _("Vui lòng nhập nội dung trả lời, kết quả xử lý."),
            fields={"answer": [_("Vui lòng nhập nội dung trả lời (ít nhất 10 ký tự).")]},
        )

    def apply(locked: Feedback) -> list[str]:
        locked.answer = answer
        locked.answer_agency = locked.agency
        locked.answered_by = actor
        locked.answered_at = _at(locked)
        return ["answer", "answer_agency", "answered_by", "answered_at"]

    return feedback_transition(
        actor=actor, item=item, action="answer", apply=apply, note=answer[:500], at=at
    )


def feedback_return_answer(
    *, actor, item: Feedback | int, note: str, at: datetime | None = None
) -> Feedback:
    """The approver returns the unit's answer for revision, with the reason; the
    text stays as the unit's draft and it answers again."""
    note = (note or "").strip()
    if not note:
        raise FeedbackError(
            _("Vui lòng ghi rõ nội dung cần hoàn thiện."), fields={"note": [_("Bắt buộc.")]}
        )

    def apply(locked: Feedback) -> list[str]:
        locked.answered_at = None
        locked.answered_by = None
        return ["answered_at", "answered_by"]

    return feedback_transition(
        actor=actor, item=item, action="return_answer", apply=apply, note=note, at=at
    )


def feedback_approve_publication(
    *, actor, item: Feedback | int, at: datetime | None = None, note: str = ""
) -> Feedback:
    """The office approves the answer: the item is handled ("awaiting
    publication"), and must be made public within the publication deadline."""

    def apply(locked: Feedback) -> list[str]:
        if not locked.answer:
            raise FeedbackError(_("Đơn vị xử lý chưa trả lời; chưa thể duyệt công khai."))
        when = _at(locked)
        locked.approved_at = when
        locked.publish_due_at = publish_due(locked, when)
        return ["approved_at", "publish_due_at"]

    return feedback_transition(
        actor=actor, item=item, action="approve_publication", apply=apply, note=note, at=at
    )


def published_search_text(item: Feedback) -> str:
    agency = item.answer_agency or item.agency
    parts = [item.code, item.title, item.content, item.answer, agency.name if agency else ""]
    if item.consent_publish_identity:
        parts.append(item.submitter_name)
    return fold(" ".join(parts))


def feedback_publish(*, actor, item: Feedback | int, at: datetime | None = None) -> Feedback:
    """Make the answer public (Decree 20/2008 Art. 19) on the page without login."""

    def apply(locked: Feedback) -> list[str]:
        locked.published_at = _at(locked)
        locked.search_folded = published_search_text(locked)
        return ["published_at", "search_folded"]

    return feedback_transition(actor=actor, item=item, action="publish", apply=apply, at=at)


# --- reactions ------------------------------------------------------------------------------
