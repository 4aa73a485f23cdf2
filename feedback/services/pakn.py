"""PAKN: submission, the one transition service, and the actions built on it."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.validators import EmailValidator, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.models import Dossier
from dossiers.services.uploads import UploadRejected, check_upload
from procedures.models import Procedure
from tthc_portal.accounts.models import phone_validator
from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.models import Agency
from tthc_portal.agencies.selectors import agencies_for_user, province_root, staff_with_role
from tthc_portal.audit.services import audit_record
from tthc_portal.notifications.services import notify_from_template
from tthc_portal.text import fold
from tthc_portal.workdays.services import get_calendar

from ..models import (
    Category,
    Channel,
    Feedback,
    FeedbackAttachment,
    FeedbackHistory,
    FeedbackReaction,
    FeedbackSequence,
    Kind,
    Status,
    Subject,
    SubmitterKind,
)
from ..workflow import CAPABILITY_PERMS, PREVIOUS, TRANSITIONS
from . import FeedbackError, site_url
from .deadlines import deadlines_compute, pause_extend, policy_for, publish_due, schedule_refresh

logger = logging.getLogger(__name__)

REQUIRED_SUBMITTER_FIELDS = {
    "submitter_name": _("họ và tên (hoặc tên tổ chức)"),
    "submitter_address": _("địa chỉ"),
    "submitter_phone": _("số điện thoại"),
}


# --- codes ------------------------------------------------------------------------------


def feedback_code_allocate(day: date) -> str:
    """PAKN-YYMMDD-NNNN, numbered per day under the row lock of the UPDATE."""
    FeedbackSequence.objects.bulk_create(
        [FeedbackSequence(day=day, last_value=0)], ignore_conflicts=True
    )
    FeedbackSequence.objects.filter(day=day).update(last_value=F("last_value") + 1)
    value = FeedbackSequence.objects.filter(day=day).values_list("last_value", flat=True).get()
    return f"PAKN-{day:%y%m%d}-{value:04d}"


# --- submission -------------------------------------------------------------------------


def _clean(data: dict[str, Any], name: str) -> str:
    """One-line fields lose repeated spaces; the content keeps its line breaks."""
    value = str(data.get(name) or "")
    return value.strip() if name == "content" else " ".join(value.split())


def submission_errors(data: dict[str, Any]) -> dict[str, list[str]]:
    """Decree 20/2008 Art. 7 (as amended by Decree 92/2017): name, address,
    phone number, and email or postal address; the content clearly stated.
    Anonymous or incomplete submissions are not accepted: each missing item
    gets a message saying why."""
    errors: dict[str, list[str]] = {}
    for name, label in REQUIRED_SUBMITTER_FIELDS.items():
        if not _clean(data, name):
            errors[name] = [
                _(
                    "Vui lòng nhập %(label)s. PAKN không ghi rõ người gửi sẽ không được tiếp nhận "
                    "(Nghị định 20/2008/NĐ-CP, Điều 7)."
                )
                % {"label": label}
            ]
    phone = _clean(data, "submitter_phone").replace(" ", "").replace(".", "")
    if phone:
        try:
            phone_validator(phone)
        except ValidationError as error:
            errors["submitter_phone"] = [str(m) for m in error.messages]
    email = _clean(data, "submitter_email")
    if email:
        try:
            EmailValidator(message=_("Địa chỉ thư điện tử không hợp lệ."))(email)
        except ValidationError as error:
            errors["submitter_email"] = [str(m) for m in error.messages]
    if not email and not _clean(data, "submitter_postal_address"):
        errors["submitter_email"] = [
            _(
                "Vui lòng nhập thư điện tử hoặc địa chỉ nhận thư qua bưu chính "
                "để nhận kết quả xử lý."
            )
        ]
    if not _clean(data, "title"):
        errors["title"] = [_("Vui lòng nhập tiêu đề phản ánh, kiến nghị.")]
    content = _clean(data, "content")
    if len(content) < 20:
        errors["content"] = [
            _("Vui lòng trình bày rõ nội dung phản ánh, kiến nghị (ít nhất 20 ký tự).")
        ]
    return errors


def _resolve_links(data: dict[str, Any]) -> dict[str, Any]:
    """Optional links: a dossier code is linked when it matches, else kept as typed
    (so the form never tells a stranger whether a code exists)."""
    links: dict[str, Any] = {}
    dossier_code = "".join(str(data.get("dossier_code") or "").split()).upper()
    links["dossier_code"] = dossier_code
    links["dossier"] = (
        Dossier.objects.filter(code=dossier_code).only("pk").first() if dossier_code else None
    )
    procedure_code = str(data.get("procedure_code") or "").strip()
    procedure = None
    if procedure_code:
        procedure = (
            Procedure.objects.filter(code=procedure_code).select_related("current_version").first()
        )
    if procedure is None and links["dossier"] is not None:
        procedure = (
            Procedure.objects.filter(versions__dossiers=links["dossier"])
            .select_related("current_version")
            .first()
        )
    links["procedure"] = procedure
    links["procedure_code"] = procedure_code or (procedure.code if procedure else "") or ""
    version = procedure.current_version if procedure is not None else None
    links["field"] = data.get("field") or (version.field if version is not None else None)
    links["about_agency"] = data.get("about_agency")
    return links


def _store_attachments(item: Feedback, uploads: Sequence[Any], limit: int) -> None:
    if len(uploads) > limit:
        raise FeedbackError(
            _("Chỉ được gửi kèm tối đa %(n)s tệp.") % {"n": limit},
            fields={"attachments": [_("Chỉ được gửi kèm tối đa %(n)s tệp.") % {"n": limit}]},
        )
    stored: list[str] = []
    try:
        for upload in uploads:
            try:
                checked = check_upload(upload)
            except UploadRejected as error:
                raise FeedbackError(
                    error.message, fields={"attachments": [error.message]}
                ) from None
            attachment = FeedbackAttachment(
                feedback=item,
                original_filename=checked.filename,
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
            )
            attachment.file.save(checked.filename, ContentFile(checked.content), save=False)
            stored.append(attachment.file.name)
            attachment.save()
    except Exception:
        # Nothing half-stored remains when one of the files is refused.
        for name in stored:
            FeedbackAttachment.file.field.storage.delete(name)
        raise


@transaction.atomic
def feedback_submit(
    *,
    data: dict[str, Any],
    attachments: Sequence[Any] = (),
    actor=None,
    channel: str = Channel.PORTAL,
    receiving_agency: Agency | None = None,
    received_at: datetime | None = None,
    follow_up_of: Feedback | None = None,
) -> Feedback:
    """Receive one PAKN from the public form, the API, or a staff member
    entering a letter, call, email or a transfer.

    ``data`` keys: submitter_kind, submitter_name, submitter_address,
    submitter_phone, submitter_email, submitter_postal_address, title,
    content, kind, consent_publish_identity, dossier_code, procedure_code,
    about_agency (Agency), transferred_from.
    """
    errors = submission_errors(data)
    if errors:
        raise FeedbackError(
            _("Chưa thể gửi phản ánh, kiến nghị: thông tin chưa đầy đủ."),
            [message for messages in errors.values() for message in messages],
            errors,
        )
    staff_entry = channel != Channel.PORTAL or receiving_agency is not None
    if staff_entry:
        if actor is None or not actor.is_authenticated:
            raise PermissionDenied("feedback.enter")
        receiving_agency = receiving_agency or province_root()
        if (
            not agencies_for_user(actor, "view_agency_records")
            .filter(pk=receiving_agency.pk)
            .exists()
        ):
            raise PermissionDenied("feedback.enter")
    else:
        receiving_agency = province_root()
    if receiving_agency is None:
        raise FeedbackError(_("Chưa cấu hình cơ quan tiếp nhận PAKN của tỉnh."))
    if channel == Channel.TRANSFER and not _clean(data, "transferred_from"):
        raise FeedbackError(
            _("Vui lòng ghi rõ cơ quan đã chuyển PAKN đến."),
            fields={"transferred_from": [_("Vui lòng ghi rõ cơ quan đã chuyển PAKN đến.")]},
        )
    if follow_up_of is not None and follow_up_of.status != Status.PUBLISHED:
        raise FeedbackError(_("Chỉ phản ánh tiếp được về kết quả xử lý đã công khai."))
    now = timezone.now()
    received_at = received_at or now
    if received_at > now:
        raise FeedbackError(_("Thời điểm tiếp nhận không được ở tương lai."))
    links = _resolve_links(data)
    user = actor if actor is not None and actor.is_authenticated and not staff_entry else None
    item = Feedback(
        code=feedback_code_allocate(timezone.localdate(received_at)),
        kind=data.get("kind") or Kind.FEEDBACK,
        channel=channel,
        transferred_from=_clean(data, "transferred_from")[:255],
        title=_clean(data, "title")[:255],
        content=_clean(data, "content"),
        submitter_kind=data.get("submitter_kind") or SubmitterKind.INDIVIDUAL,
        submitter_name=_clean(data, "submitter_name")[:255],
        submitter_address=_clean(data, "submitter_address")[:500],
        submitter_phone=_clean(data, "submitter_phone").replace(" ", "").replace(".", "")[:20],
        submitter_email=_clean(data, "submitter_email")[:254],
        submitter_postal_address=_clean(data, "submitter_postal_address")[:500],
        submitter_user=user,
        consent_publish_identity=bool(data.get("consent_publish_identity")),
        entered_by=actor if staff_entry else None,
        dossier=links["dossier"],
        dossier_code=links["dossier_code"],
        procedure=links["procedure"],
        procedure_code=links["procedure_code"][:40],
        about_agency=links["about_agency"],
        field=links["field"],
        follow_up_of=follow_up_of,
        receiving_agency=receiving_agency,
        agency=receiving_agency,
        received_at=received_at,
        clock_start_at=received_at,
    )
    item.staff_search = fold(
        " ".join([item.code, item.title, item.submitter_name, item.dossier_code])
    )
    calendar = get_calendar()
    deadlines_compute(item, calendar)
    schedule_refresh(item, calendar)
    item.save()
    policy = policy_for(timezone.localdate(received_at))
    _store_attachments(item, list(attachments), policy.max_attachments)
    FeedbackHistory.objects.create(
        feedback=item,
        action="submit",
        from_status="",
        to_status=item.status,
        actor=actor if actor is not None and actor.is_authenticated else None,
        agency=receiving_agency,
        at=received_at,
        note=_("Kênh: %(c)s") % {"c": Channel(channel).label},
    )
    audit_record(
        actor=actor,
        action="feedback.submit",
        target=item,
        after={
            "code": item.code,
            "channel": channel,
            "dossier": item.dossier_id,
            "follow_up_of": follow_up_of.pk if follow_up_of else None,
            "attachments": len(attachments),
        },
    )
    notify_submitter(item, "feedback.received", "submit")
    return item


def feedback_follow_up(
    *, original: Feedback, data: dict[str, Any], attachments: Sequence[Any] = (), actor=None
) -> Feedback:
    """A new PAKN about the published result of ``original`` (counts against 5.3)."""
    data = {**data}
    defaults = {
        "procedure_code": original.procedure_code,
        "dossier_code": original.dossier_code,
        "about_agency": original.answer_agency or original.agency,
    }
    for name, value in defaults.items():
        if not data.get(name):
            data[name] = value
    return feedback_submit(data=data, attachments=attachments, actor=actor, follow_up_of=original)


# --- the one transition service ---------------------------------------------------------


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
    if not actor_capabilities(actor, locked, token) & transition.actors:
        raise PermissionDenied(action)
    if locked.status not in transition.sources:
        raise FeedbackError(
            _("Không thể “%(action)s”: PAKN đang ở trạng thái “%(status)s”.")
            % {"action": transition.label, "status": locked.get_status_display()}
        )
    when = at or timezone.now()
    if when < locked.received_at:
        raise FeedbackError(_("Thời điểm xử lý không được trước thời điểm tiếp nhận."))
    locked._transition_at = when  # read by ``apply`` helpers below
    before = locked.status
    previous_agency = locked.agency_id
    fields = set(apply(locked) or ()) if apply else set()
    target = transition.target
    if target == PREVIOUS:
        target = locked.status_before_supplement or Status.RECEIVED_PENDING
    if target is not None and target != locked.status:
        locked.status = target
        fields.add("status")
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
    if transition.notify_submitter:
        notify_submitter(locked, transition.notify_submitter, action)
    if transition.notify_agency:
        notify_agency(locked, transition.notify_agency, action)
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


@transaction.atomic
def feedback_react(
    *,
    item: Feedback,
    value: str,
    user=None,
    session_key: str | None = None,
    at: datetime | None = None,
) -> FeedbackReaction:
    """Like or dislike a published answer: one reaction per account, or per
    browser session for anonymous visitors. Reacting again changes it."""
    if value not in ("like", "dislike"):
        raise FeedbackError(_("Vui lòng chọn hài lòng hoặc không hài lòng."))
    if item.status != Status.PUBLISHED:
        raise FeedbackError(_("Chỉ đánh giá được kết quả xử lý đã công khai."))
    owner: dict[str, Any]
    if user is not None and user.is_authenticated:
        owner = {"user": user}
    elif session_key:
        owner = {"user": None, "session_key": session_key}
    else:
        raise FeedbackError(_("Không xác định được phiên làm việc; vui lòng bật cookie."))
    when = at or timezone.now()
    existing = FeedbackReaction.objects.select_for_update().filter(feedback=item, **owner).first()
    if existing is not None:
        if existing.value != value:
            existing.value = value
            existing.save(update_fields=["value", "updated_at"])
        return existing
    try:
        with transaction.atomic():
            reaction = FeedbackReaction.objects.create(
                feedback=item, value=value, created_at=when, **owner
            )
    except IntegrityError:  # the same person clicked twice at once
        reaction = FeedbackReaction.objects.get(feedback=item, **owner)
        FeedbackReaction.objects.filter(pk=reaction.pk).update(value=value)
        reaction.value = value
    return reaction


# --- notifications ------------------------------------------------------------------------


def tracking_path(item: Feedback) -> str:
    return reverse("feedback:track", kwargs={"token": item.lookup_token})


def notify_submitter(item: Feedback, key: str, action: str) -> None:
    context = {
        "code": item.code,
        "title": item.title,
        "name": item.submitter_name,
        "status": item.get_status_display(),
        "reason": item.refusal_reason,
        "request": item.supplement_request,
        "answer": item.answer,
        "recipient": item.external_recipient,
        "link": site_url(tracking_path(item)),
        "public_link": site_url(reverse("feedback:published_detail", kwargs={"code": item.code})),
        "handle_due_at": timezone.localtime(item.handle_due_at),
    }
    notify_from_template(
        key,
        context,
        email=item.submitter_email,
        phone=item.submitter_phone,
        dedupe_key=f"feedback:{item.pk}:{action}:{item.history.count()}",
        topic=f"feedback.feedback:{item.pk}",
    )


def notify_agency(item: Feedback, key: str, action: str) -> None:
    recipients = {
        user.pk: user
        for role in (Role.DEPARTMENT_HEAD, Role.SPECIALIST)
        for user in staff_with_role(item.agency, role)
    }
    context = {
        "code": item.code,
        "title": item.title,
        "agency": item.agency.name,
        "handle_due_at": timezone.localtime(item.handle_due_at),
        "link": site_url(reverse("feedback:staff_detail", kwargs={"pk": item.pk})),
    }
    step = item.history.count()
    for user in recipients.values():
        notify_from_template(
            key,
            context,
            email=user.email,
            dedupe_key=f"feedback:{item.pk}:{action}:{step}:{user.pk}",
            topic=f"feedback.feedback:{item.pk}",
        )
