"""Outside systems and how the portal's codes map onto theirs (all editable data)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TargetKind(models.TextChoices):
    HUB = "hub", _("Hệ thống điều phối của Cổng DVCQG")
    PAYGOV = "paygov", _("Nền tảng thanh toán PayGov")
    DATASTORE = "datastore", _("Kho dữ liệu của tổ chức, cá nhân")
    RECEIPTS = "receipts", _("Nhà cung cấp biên lai điện tử")


class Transport(models.TextChoices):
    SERVICE = "service", _("Một điểm tích hợp, tham số service (kiểu 2020)")
    REST = "rest", _("REST qua LGSP, OAuth2 client credentials")


class Target(models.Model):
    """One outside system the portal talks to. Paths, timeouts, retry and
    circuit-breaker settings are per target because every province receives its
    own specification from the operator (national-sync.md §1)."""

    code = models.SlugField(_("mã"), max_length=32, unique=True)
    kind = models.CharField(_("loại"), max_length=16, choices=TargetKind.choices)
    name = models.CharField(_("tên"), max_length=200)
    base_url = models.URLField(_("địa chỉ gốc"), max_length=300)
    transport = models.CharField(
        _("kiểu kết nối"), max_length=8, choices=Transport.choices, default=Transport.REST
    )
    # Overrides of the default paths and service names (integrations/PROTOCOL.md).
    paths = models.JSONField(_("đường dẫn, tên dịch vụ"), default=dict, blank=True)
    # Extra per-target settings (e.g. the PayGov partner code, the push token's hash).
    options = models.JSONField(_("tùy chọn"), default=dict, blank=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    connect_timeout = models.FloatField(_("thời gian chờ kết nối (giây)"), default=5)
    read_timeout = models.FloatField(_("thời gian chờ phản hồi (giây)"), default=60)
    max_attempts = models.PositiveSmallIntegerField(
        _("số lần thử tối đa trước khi dừng"), default=12
    )
    backoff_base = models.FloatField(_("giãn cách thử lại ban đầu (giây)"), default=30)
    backoff_max = models.FloatField(_("giãn cách thử lại tối đa (giây)"), default=3600)
    breaker_threshold = models.PositiveSmallIntegerField(
        _("số lỗi liên tiếp thì ngắt mạch"), default=5
    )
    breaker_cooldown = models.FloatField(_("thời gian ngắt mạch (giây)"), default=60)
    log_retention_days = models.PositiveSmallIntegerField(_("lưu nhật ký (ngày)"), default=90)
    # Circuit breaker: closed → open after N consecutive transport failures;
    # after the cooldown one probe is let through (half-open).
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    circuit_open_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("hệ thống liên thông")
        verbose_name_plural = _("hệ thống liên thông")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class UnitCredential(models.Model):
    """Credentials are per unit (``madonvi``). Secrets are stored encrypted with
    a key derived from SECRET_KEY (``integrations.secrets``)."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="credentials")
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        help_text=_("Để trống: dùng cho mọi đơn vị chưa có tài khoản riêng."),
    )  # fmt: skip
    unit_code = models.CharField(_("mã đơn vị (madonvi)"), max_length=64)
    username = models.CharField(_("tên đăng nhập / client id"), max_length=200)
    secret_encrypted = models.TextField(_("mật khẩu / client secret (mã hóa)"), editable=False)

    class Meta:
        verbose_name = _("tài khoản kết nối")
        verbose_name_plural = _("tài khoản kết nối")
        constraints = [
            models.UniqueConstraint(fields=["target", "agency"], name="one_credential_per_unit"),
            models.UniqueConstraint(
                fields=["target"], condition=Q(agency__isnull=True), name="one_default_credential"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target.code}/{self.unit_code}"


class MapKind(models.TextChoices):
    PROCEDURE = "procedure", _("Thủ tục")
    UNIT = "unit", _("Đơn vị")
    SECTOR = "sector", _("Lĩnh vực")
    RESULT = "result", _("Mã kết quả")
    FEE = "fee", _("Mã phí, lệ phí")


class CodeMap(models.Model):
    """Local code ↔ the target's code. An unmapped value never falls back to a
    guess: the item waits in the unmapped queue (``UnmappedItem``)."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="code_maps")
    kind = models.CharField(_("loại mã"), max_length=16, choices=MapKind.choices)
    local = models.CharField(_("mã tại tỉnh"), max_length=100)
    remote = models.CharField(_("mã tại hệ thống liên thông"), max_length=100)
    label = models.CharField(_("tên"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("ánh xạ mã")
        verbose_name_plural = _("ánh xạ mã")
        ordering = ["target", "kind", "local"]
        constraints = [
            models.UniqueConstraint(fields=["target", "kind", "local"], name="codemap_local"),
        ]
        indexes = [models.Index(fields=["target", "kind", "remote"], name="codemap_remote")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.local} → {self.remote}"


class UnmappedItem(models.Model):
    """A value the target (or the portal) does not know, with what it blocked."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="unmapped")
    kind = models.CharField(_("loại mã"), max_length=16, choices=MapKind.choices)
    value = models.CharField(_("giá trị"), max_length=200)
    direction = models.CharField(
        _("chiều"), max_length=8, choices=[("out", _("Gửi đi")), ("in", _("Nhận về"))]
    )
    context = models.JSONField(_("ngữ cảnh"), default=dict, blank=True)
    count = models.PositiveIntegerField(_("số lần gặp"), default=1)
    first_seen = models.DateTimeField(_("lần đầu"), auto_now_add=True)
    last_seen = models.DateTimeField(_("lần gần nhất"), auto_now=True)
    resolved_at = models.DateTimeField(_("đã xử lý lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("mã chưa ánh xạ")
        verbose_name_plural = _("mã chưa ánh xạ")
        ordering = ["-last_seen"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "kind", "value", "direction"],
                condition=Q(resolved_at__isnull=True),
                name="one_open_unmapped",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.value}"
