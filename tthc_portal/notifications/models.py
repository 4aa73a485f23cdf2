"""The notification outbox: rows written in the business transaction."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi lỗi, sẽ thử lại")
    DEAD = "dead", _("Gửi lỗi, đã dừng")


class OutboxMessage(models.Model):
    """One message to one recipient over one channel.

    Delivery is claimed with a compare-and-set on ``status`` so that two
    workers (or a retry racing the flush job) never both hand the same row to
    a gateway. ``dedupe_key`` makes the enqueue itself idempotent: the same
    business event queued twice yields one row.
    """

    channel = models.CharField(_("kênh"), max_length=8, choices=Channel.choices)
    recipient = models.CharField(_("người nhận"), max_length=255)
    subject = models.CharField(_("tiêu đề"), max_length=255, blank=True)
    body = models.TextField(_("nội dung"))
    dedupe_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    next_attempt_at = models.DateTimeField(_("thử lại lúc"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    provider_message_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    # What the message is about (e.g. "dossiers.dossier:42"), for the UI.
    topic = models.CharField(_("liên quan"), max_length=100, blank=True, db_index=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("hộp thư đi")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_due",
                condition=Q(status__in=["pending", "failed", "sending"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient}: {self.subject or self.body[:40]}"


class MessageTemplate(models.Model):
    """Editable wording of a notification, in Django template syntax.

    Keys are fixed by the code that sends (e.g. ``dossier.received``); staff
    edit subject and bodies in the admin without a release.
    """

    key = models.CharField(_("mã mẫu"), max_length=64, unique=True)
    description = models.CharField(_("dùng khi"), max_length=255, blank=True)
    subject = models.CharField(_("tiêu đề thư"), max_length=255)
    email_body = models.TextField(_("nội dung thư điện tử"))
    sms_body = models.CharField(_("nội dung SMS"), max_length=480, blank=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mẫu thông báo")
        verbose_name_plural = _("mẫu thông báo")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key


class StaffNoticeKind(models.TextChoices):
    ASSIGNMENT = "assignment", _("Được giao xử lý")
    SIGNOFF = "signoff", _("Chờ lãnh đạo duyệt")
    CONSULT_REQUEST = "consult_request", _("Đề nghị cho ý kiến")
    CONSULT_ANSWER = "consult_answer", _("Có ý kiến trả lời")
    SENT_BACK = "sent_back", _("Bị trả lại")


class StaffNotice(models.Model):
    """One item of a staff member's in-app inbox: work handed to that person.

    The kernel knows nothing of dossiers: the code and link are plain text,
    written by the app that raised the event. ``dedupe_key`` makes a repeated
    event (a retried request, the same handover twice) yield one notice.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_notices",
        verbose_name=_("người nhận"),
    )
    kind = models.CharField(_("loại"), max_length=20, choices=StaffNoticeKind.choices)
    title = models.CharField(_("nội dung"), max_length=255)
    url = models.CharField(_("liên kết"), max_length=500, blank=True)
    dossier_code = models.CharField(_("mã hồ sơ"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True)

    class Meta:
        verbose_name = _("thông báo công việc")
        verbose_name_plural = _("thông báo công việc")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="staff_notice_inbox"),
            # The header badge counts these on every page: keep the scan tiny.
            models.Index(
                fields=["user"], name="staff_notice_unread", condition=Q(read_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.title}"
