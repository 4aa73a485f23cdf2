"""PAKN intake: the public form and staff entry, follow-ups, public reactions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.validators import EmailValidator, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.models import Dossier
from dossiers.services.uploads import UploadRejected, check_upload
from procedures.models import Procedure
from tthc_portal.accounts.models import phone_validator
from tthc_portal.agencies.models import Agency
from tthc_portal.agencies.selectors import agencies_for_user, province_root
from tthc_portal.audit.services import audit_record
from tthc_portal.text import fold
from tthc_portal.workdays.services import get_calendar

from ...models import (
    Channel,
    Feedback,
    FeedbackAttachment,
    FeedbackHistory,
    FeedbackReaction,
    FeedbackSequence,
    Kind,
    Status,
    SubmitterKind,
)
from .. import FeedbackError
from ..deadlines import deadlines_compute, policy_for, schedule_refresh
from .notify import notify_submitter

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
