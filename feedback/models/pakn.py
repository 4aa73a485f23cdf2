"""(b) Feedback on administrative regulations, PAKN (Decree 20/2008, Decree 92/2017).

Every deadline is computed once by the calendar service and stored on the
row, as is every instant the four timeliness checks of criterion 5.2 need,
so the index and the sweep are plain indexed comparisons in SQL.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext


class Status(models.TextChoices):
    RECEIVED_PENDING = "received_pending", _("Chờ tiếp nhận, phân loại")
    AWAITING_SUPPLEMENT = "awaiting_supplement", _("Chờ người gửi bổ sung")
    NOT_ACCEPTED = "not_accepted", _("Không tiếp nhận")
    FORWARDED = "forwarded", _("Đã chuyển cơ quan có thẩm quyền")
    IN_HANDLING = "in_handling", _("Đang xử lý")
    AWAITING_PUBLICATION = "awaiting_publication", _("Chờ công khai")
    PUBLISHED = "published", _("Đã công khai")


OPEN_STATUSES = (
    Status.RECEIVED_PENDING,
    Status.AWAITING_SUPPLEMENT,
    Status.IN_HANDLING,
    Status.AWAITING_PUBLICATION,
)
FINISHED_STATUSES = (Status.NOT_ACCEPTED, Status.FORWARDED, Status.PUBLISHED)


class Kind(models.TextChoices):
    FEEDBACK = "feedback", _("Phản ánh")
    PROPOSAL = "proposal", _("Kiến nghị")


class Channel(models.TextChoices):
    PORTAL = "portal", _("Cổng dịch vụ công của tỉnh")
    DVCQG = "dvcqg", _("Cổng Dịch vụ công quốc gia")
    LETTER = "letter", _("Văn bản, thư")
    PHONE = "phone", _("Điện thoại")
    EMAIL = "email", _("Thư điện tử")
    FAX = "fax", _("Fax")
    IN_PERSON = "in_person", _("Trực tiếp")
    TRANSFER = "transfer", _("Văn phòng Chính phủ, Bộ, tỉnh khác chuyển đến")


class Category(models.TextChoices):
    REGULATION_IN_SCOPE = "regulation_in_scope", _("Về quy định thuộc thẩm quyền")
    REGULATION_OUT_OF_SCOPE = "regulation_out_of_scope", _("Về quy định ngoài thẩm quyền")
    IMPLEMENTATION_BEHAVIOUR = (
        "implementation_behaviour",
        _("Về hành vi chậm trễ, gây phiền hà, không thực hiện, thực hiện sai quy định"),
    )
    NOT_ACCEPTED = "not_accepted", _("Không đủ điều kiện tiếp nhận")


class Subject(models.TextChoices):
    """Criterion 5.1's dimension, stored beside the category."""

    REGULATION = "regulation", _("Về quy định, chính sách, thủ tục hành chính")
    OFFICIAL_BEHAVIOUR = "official_behaviour", _("Về hành vi của cán bộ, công chức")


class SubmitterKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Cá nhân")
    ORGANISATION = "organisation", _("Tổ chức")


class AlertLevel(models.TextChoices):
    NONE = "none", _("Trong hạn")
    DUE_SOON = "due_soon", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Quá hạn")


def new_token() -> str:
    return secrets.token_urlsafe(16)


class Feedback(models.Model):
    code = models.CharField(_("mã PAKN"), max_length=32, unique=True)
    lookup_token = models.CharField(max_length=32, default=new_token, unique=True, editable=False)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices, default=Kind.FEEDBACK)
    channel = models.CharField(_("kênh tiếp nhận"), max_length=12, choices=Channel.choices)
    transferred_from = models.CharField(_("cơ quan chuyển đến"), max_length=255, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=24, choices=Status.choices, default=Status.RECEIVED_PENDING
    )
    category = models.CharField(_("phân loại"), max_length=32, choices=Category.choices, blank=True)
    subject = models.CharField(
        _("nội dung liên quan (5.1)"), max_length=24, choices=Subject.choices, blank=True
    )

    title = models.CharField(_("tiêu đề"), max_length=255)
    content = models.TextField(_("nội dung phản ánh, kiến nghị"))

    # --- who (Decree 20/2008 Art. 7 as amended by Decree 92/2017) --------------
    submitter_kind = models.CharField(
        _("người gửi là"),
        max_length=12,
        choices=SubmitterKind.choices,
        default=SubmitterKind.INDIVIDUAL,
    )
    submitter_name = models.CharField(_("họ và tên / tên tổ chức"), max_length=255)
    submitter_address = models.CharField(_("địa chỉ"), max_length=500)
    submitter_phone = models.CharField(_("số điện thoại"), max_length=20)
    submitter_email = models.EmailField(_("thư điện tử"), blank=True)
    submitter_postal_address = models.CharField(
        _("địa chỉ nhận thư qua bưu chính"), max_length=500, blank=True
    )
    submitter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback_items",
    )
    consent_publish_identity = models.BooleanField(
        _("đồng ý công khai họ tên khi công khai kết quả"), default=False
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ nhập"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    # --- what it is about (optional links) ------------------------------------
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ liên quan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback_items",
    )
    dossier_code = models.CharField(_("mã hồ sơ liên quan"), max_length=64, blank=True)
    procedure = models.ForeignKey(
        "procedures.Procedure",
        verbose_name=_("thủ tục liên quan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    procedure_code = models.CharField(_("mã thủ tục liên quan"), max_length=40, blank=True)
    about_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan bị phản ánh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    field = models.ForeignKey(
        "procedures.Field",
        verbose_name=_("lĩnh vực"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    follow_up_of = models.ForeignKey(
        "self",
        verbose_name=_("phản ánh tiếp về kết quả của"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
    )

    # --- where ----------------------------------------------------------------
    receiving_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan xử lý"),
        on_delete=models.PROTECT,
        related_name="feedback_items",
        help_text=_(
            "Đơn vị đang chịu trách nhiệm: cơ quan tiếp nhận, rồi cơ quan được chuyển xử lý."
        ),
    )
    external_recipient = models.CharField(
        _("chuyển đến cơ quan (ngoài tỉnh)"), max_length=255, blank=True
    )

    # --- handling texts ------------------------------------------------------------
    refusal_reason = models.TextField(_("lý do không tiếp nhận"), blank=True)
    supplement_request = models.TextField(_("nội dung đề nghị bổ sung"), blank=True)
    supplement_response = models.TextField(_("thông tin người gửi bổ sung"), blank=True)
    answer = models.TextField(_("kết quả xử lý, trả lời"), blank=True)
    answer_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan trả lời"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status_before_supplement = models.CharField(max_length=24, blank=True)

    # --- time: events ---------------------------------------------------------------
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"))
    clock_start_at = models.DateTimeField(
        _("mốc tính hạn xử lý"),
        help_text=_("Thời điểm tiếp nhận, hoặc lần chuyển đến gần nhất từ VPCP, Bộ, tỉnh khác."),
    )
    classified_at = models.DateTimeField(_("phân loại lúc"), null=True, blank=True)
    refused_at = models.DateTimeField(_("từ chối lúc"), null=True, blank=True)
    supplement_requested_at = models.DateTimeField(_("yêu cầu bổ sung lúc"), null=True, blank=True)
    supplement_received_at = models.DateTimeField(_("nhận bổ sung lúc"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("chuyển xử lý lúc"), null=True, blank=True)
    forwarded_out_at = models.DateTimeField(
        _("chuyển cơ quan có thẩm quyền lúc"), null=True, blank=True
    )
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    approved_at = models.DateTimeField(_("duyệt công khai lúc"), null=True, blank=True)
    published_at = models.DateTimeField(_("công khai lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)

    # --- time: deadlines (computed once with the calendar, stored) --------------
    pauses_clock = models.BooleanField(_("bổ sung tạm dừng thời hạn"), default=True)
    refuse_due_at = models.DateTimeField(_("hạn từ chối"))
    supplement_due_at = models.DateTimeField(_("hạn yêu cầu bổ sung"))
    forward_due_at = models.DateTimeField(_("hạn chuyển PAKN ngoài thẩm quyền"))
    handle_base_due_at = models.DateTimeField(_("hạn xử lý (chưa cộng thời gian tạm dừng)"))
    handle_due_at = models.DateTimeField(_("hạn xử lý"))
    publish_due_at = models.DateTimeField(_("hạn công khai"), null=True, blank=True)
    # The deadline the item is currently measured against, for the sweep.
    next_due_kind = models.CharField(max_length=20, blank=True)
    next_due_at = models.DateTimeField(_("hạn tiếp theo"), null=True, blank=True)
    due_soon_from = models.DateTimeField(null=True, blank=True)
    alert_level = models.CharField(
        _("cảnh báo"), max_length=10, choices=AlertLevel.choices, default=AlertLevel.NONE
    )
    alerted_at = models.DateTimeField(null=True, blank=True)

    # Folded (diacritic-free) text of the published question and answer.
    search_folded = models.TextField(editable=False, default="")
    # Folded code, title, submitter and dossier code, for the staff inbox.
    staff_search = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        ordering = ["-received_at", "-pk"]
        indexes = [
            # The sweep: open rows only.
            models.Index(
                fields=["next_due_at"],
                name="pakn_open_due",
                condition=Q(
                    status__in=[
                        "received_pending",
                        "awaiting_supplement",
                        "in_handling",
                        "awaiting_publication",
                    ]
                ),
            ),
            models.Index(
                fields=["due_soon_from"],
                name="pakn_open_soon",
                condition=Q(
                    status__in=[
                        "received_pending",
                        "awaiting_supplement",
                        "in_handling",
                        "awaiting_publication",
                    ],
                    alert_level="none",
                ),
            ),
            # The public page: published answers, newest first.
            models.Index(
                fields=["-published_at"], name="pakn_published", condition=Q(status="published")
            ),
            models.Index(fields=["agency", "received_at"], name="pakn_agency_received"),
            models.Index(fields=["receiving_agency", "status"], name="pakn_receiving_status"),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.title[:60]}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class FeedbackHistory(models.Model):
    """Append-only status history (who, when, from, to, note)."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="history")
    action = models.CharField(_("hành động"), max_length=32)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("thời điểm"))
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("lịch sử xử lý PAKN")
        verbose_name_plural = _("lịch sử xử lý PAKN")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["feedback", "at"], name="pakn_history_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.from_status}→{self.to_status}"

    @property
    def to_status_label(self) -> str:
        return str(Status(self.to_status).label) if self.to_status in Status.values else ""

    @property
    def action_label(self) -> str:
        from ..workflow import TRANSITIONS

        if self.action == "submit":
            return str(pgettext("history event", "Tiếp nhận"))
        transition = TRANSITIONS.get(self.action)
        return str(transition.label) if transition else self.action


def attachment_path(instance: FeedbackAttachment, filename: str) -> str:
    return f"feedback/{instance.feedback_id}/{uuid.uuid4().hex}"


class FeedbackAttachment(models.Model):
    """A file sent with the item; private, served only to staff who may see it."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=255)
    original_filename = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm PAKN")
        verbose_name_plural = _("tệp đính kèm PAKN")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_filename


class FeedbackReaction(models.Model):
    """A like or dislike of a published answer: one per person or per browser session."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="reactions")
    value = models.CharField(
        max_length=8, choices=[("like", _("Hài lòng")), ("dislike", _("Không hài lòng"))]
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # NULL (not "") for accounts: the per-session unique constraint ignores them.
    session_key = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("đánh giá kết quả PAKN")
        verbose_name_plural = _("đánh giá kết quả PAKN")
        constraints = [
            models.UniqueConstraint(
                fields=["feedback", "user"],
                condition=Q(user__isnull=False),
                name="one_reaction_per_user",
            ),
            models.UniqueConstraint(
                fields=["feedback", "session_key"],
                condition=Q(user__isnull=True),
                name="one_reaction_per_session",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(session_key__isnull=False),
                name="reaction_has_owner",
            ),
        ]
        indexes = [models.Index(fields=["feedback", "value"], name="reaction_value")]

    def __str__(self) -> str:
        return f"{self.feedback_id}: {self.value}"


class FeedbackSequence(models.Model):
    """The last PAKN number issued per day (incremented under a row lock)."""

    day = models.DateField(unique=True)
    last_value = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day}: {self.last_value}"
