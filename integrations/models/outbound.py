"""Outbound synchronisation: the sync outbox, per-dossier state, attempt log, officer tasks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    HEADER = "header", _("Thông tin hồ sơ")
    PROGRESS = "progress", _("Tiến độ xử lý")


class EventStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    DEAD = "dead", _("Bị từ chối, chờ cán bộ xử lý")


class ReplyClass(models.TextChoices):
    OK = "ok", _("Thành công")
    EXISTS = "exists", _("Đã tồn tại (chuyển sang cập nhật)")
    VALIDATION = "validation", _("Dữ liệu không hợp lệ")
    AUTH = "auth", _("Lỗi xác thực")
    TIMEOUT = "timeout", _("Quá thời gian chờ")
    SERVER = "server", _("Lỗi máy chủ (5xx)")
    DOWN = "down", _("Không kết nối được")
    UNMAPPED = "unmapped", _("Mã chưa ánh xạ")
    NO_CODE = "no_code", _("Hồ sơ chưa có mã")


# Failures after which the same request may succeed later on its own.
TRANSIENT = (ReplyClass.AUTH, ReplyClass.TIMEOUT, ReplyClass.SERVER, ReplyClass.DOWN)
# Failures of the link itself (the circuit breaker counts these); an auth or
# validation reply proves the hub is up.
BREAKING_CLASSES = (ReplyClass.TIMEOUT, ReplyClass.SERVER, ReplyClass.DOWN)


class SyncEvent(models.Model):
    """One row of the sync outbox, written in the transition's transaction.

    ``progress`` rows are snapshots (what happened, when, who) numbered per
    dossier: (dossier code, ``seq``) is the idempotency key at the hub. A
    ``header`` row only says "the header changed"; the sender builds the header
    from the dossier when it sends, so at most one is pending per dossier."""

    target = models.ForeignKey("integrations.Target", on_delete=models.CASCADE, related_name="+")
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="sync_events"
    )
    kind = models.CharField(max_length=8, choices=EventKind.choices)
    seq = models.PositiveIntegerField(_("số thứ tự"))
    national_status = models.PositiveSmallIntegerField(null=True, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    occurred_at = models.DateTimeField(_("thời điểm phát sinh"))
    status = models.CharField(
        max_length=8, choices=EventStatus.choices, default=EventStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    error_class = models.CharField(max_length=12, choices=ReplyClass.choices, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    acked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sự kiện đồng bộ")
        verbose_name_plural = _("sự kiện đồng bộ")
        ordering = ["dossier_id", "seq", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "dossier", "seq"],
                condition=Q(kind="progress"),
                name="sync_progress_seq",
            ),
            # "The header changed" is said once until the sender takes it.
            models.UniqueConstraint(
                fields=["target", "dossier"],
                condition=Q(kind="header", status="pending"),
                name="sync_one_pending_header",
            ),
        ]
        indexes = [
            models.Index(
                fields=["target", "next_attempt_at"],
                name="sync_due",
                condition=Q(status__in=["pending", "sending"]),
            ),
            models.Index(fields=["dossier", "seq"], name="sync_dossier_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.seq} {self.kind} {self.status}"


class DossierSync(models.Model):
    """What the hub holds of one dossier, as acknowledged. The 766 criteria that
    read synced data (1.4, 3.3, 3.5, 3.6, 4.1, 4.4) read these flags."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.CASCADE, primary_key=True, related_name="sync"
    )
    created_on_hub = models.BooleanField(default=False)
    last_acked_seq = models.PositiveIntegerField(default=0)
    last_national_status = models.PositiveSmallIntegerField(null=True, blank=True)
    # A dead letter stops the dossier's queue (order) until an officer resyncs.
    blocked = models.BooleanField(default=False)
    claimed_until = models.DateTimeField(null=True, blank=True)
    header_acked_at = models.DateTimeField(null=True, blank=True)
    received_synced = models.BooleanField(_("đã đồng bộ ngày tiếp nhận"), default=False)
    fee_list_synced = models.BooleanField(_("đã đồng bộ danh sách phí khác 0"), default=False)
    payment_flag_synced = models.PositiveSmallIntegerField(
        _("đã đồng bộ cờ thanh toán trực tuyến"), null=True, blank=True
    )
    result_synced = models.BooleanField(_("đã đồng bộ kết quả điện tử"), default=False)
    store_component_synced = models.BooleanField(
        _("đã đồng bộ thành phần lấy từ kho"), default=False
    )

    class Meta:
        verbose_name = _("trạng thái đồng bộ hồ sơ")
        verbose_name_plural = _("trạng thái đồng bộ hồ sơ")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.last_acked_seq}"


class SyncAttempt(models.Model):
    """Every call to an outside system: request, response, latency, class."""

    target = models.ForeignKey("integrations.Target", on_delete=models.CASCADE, related_name="+")
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", db_constraint=False,
    )  # fmt: skip
    operation = models.CharField(max_length=40)
    url = models.CharField(max_length=300)
    request_body = models.TextField(blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True)
    reply_class = models.CharField(max_length=12, choices=ReplyClass.choices)
    latency_ms = models.FloatField()
    at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("lượt gọi liên thông")
        verbose_name_plural = _("nhật ký liên thông")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["dossier", "at"], name="attempt_dossier_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.operation} {self.reply_class}"


class SyncTask(models.Model):
    """A dead letter turned into work: the hub refused the data, an officer of
    the receiving unit corrects the dossier and resyncs."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="sync_tasks"
    )
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    operation = models.CharField(max_length=40)
    message = models.TextField(_("thông báo của hệ thống điều phối"))
    errors = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("việc cần xử lý do lỗi đồng bộ")
        verbose_name_plural = _("việc cần xử lý do lỗi đồng bộ")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["agency", "-created_at"],
                name="synctask_open",
                condition=Q(resolved_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.message[:60]}"
