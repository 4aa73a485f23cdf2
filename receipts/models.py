"""Electronic fee receipts (biên lai thu phí, lệ phí điện tử), Decree 254/2026 and
Circular 91/2026.

A ``ReceiptSeries`` is one collection point's share of an organisation's number
range for one template symbol and receipt symbol (Art. 25: several collection points
split the range and each uses its part in ascending order). A ``Receipt`` is written
in the payment's transaction with its number already taken (the outbox row); the
worker then issues it at the provider, idempotently on ``key``."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

# A receipt number has at most 8 digits and restarts at 1 every 1 January (Art. 23(2)).
MAX_NUMBER = 99_999_999


class PaymentMethod(models.TextChoices):
    # Codes the providers use: TM cash, CK transfer, THE card, TTO online (desk-operations §2).
    CASH = "TM", _("Tiền mặt")
    TRANSFER = "CK", _("Chuyển khoản")
    CARD = "THE", _("Thẻ")
    ONLINE = "TTO", _("Thanh toán trực tuyến")


class ReceiptSeries(models.Model):
    """One collection point's part of the number range of a receipt symbol."""

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("cơ quan thu (bộ phận một cửa)"),
    )  # fmt: skip
    target = models.ForeignKey(
        "integrations.Target", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("nhà cung cấp biên lai điện tử"),
    )  # fmt: skip
    organisation_name = models.CharField(_("tên tổ chức thu phí, lệ phí"), max_length=255)
    tax_code = models.CharField(_("mã số thuế tổ chức thu"), max_length=14)
    template_symbol = models.CharField(_("ký hiệu mẫu biên lai"), max_length=8, default="EBL01")
    receipt_symbol = models.CharField(
        _("ký hiệu biên lai"), max_length=8,
        help_text=_("2 chữ số cuối của năm + T + 2 chữ cái do tổ chức chọn, ví dụ 26TAB."),
    )  # fmt: skip
    year = models.PositiveSmallIntegerField(_("năm"))
    point_code = models.CharField(_("mã điểm thu"), max_length=32)
    point_name = models.CharField(_("tên điểm thu"), max_length=255)
    range_start = models.PositiveIntegerField(_("từ số"))
    range_end = models.PositiveIntegerField(_("đến số"))
    next_number = models.PositiveIntegerField(_("số tiếp theo"))
    for_online = models.BooleanField(_("dùng cho thanh toán trực tuyến"), default=False)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("dải số biên lai của điểm thu")
        verbose_name_plural = _("dải số biên lai của điểm thu")
        ordering = ["tax_code", "receipt_symbol", "range_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["tax_code", "template_symbol", "receipt_symbol", "point_code"],
                name="receipt_series_one_range_per_point",
            ),
            models.CheckConstraint(
                condition=Q(range_start__gte=1)
                & Q(range_end__gte=F("range_start"))
                & Q(range_end__lte=MAX_NUMBER)
                & Q(next_number__gte=F("range_start"))
                & Q(next_number__lte=F("range_end") + 1),
                name="receipt_series_range_valid",
            ),
        ]

    def __str__(self) -> str:
        symbols = f"{self.template_symbol}/{self.receipt_symbol}"
        return f"{symbols} {self.point_code} ({self.range_start}–{self.range_end})"

    def clean(self) -> None:
        symbol = self.receipt_symbol or ""
        if len(symbol) != 5 or symbol[:2] != f"{self.year % 100:02d}" or symbol[2] != "T":
            raise ValidationError(
                {"receipt_symbol": _("Ký hiệu biên lai phải có dạng YYTAB với YY là năm.")}
            )
        overlapping = ReceiptSeries.objects.filter(
            tax_code=self.tax_code,
            template_symbol=self.template_symbol,
            receipt_symbol=self.receipt_symbol,
            range_start__lte=self.range_end,
            range_end__gte=self.range_start,
        ).exclude(pk=self.pk)
        if overlapping.exists():
            raise ValidationError(_("Dải số trùng với dải số của một điểm thu khác."))


class ReceiptStatus(models.TextChoices):
    PENDING = "pending", _("Đang chờ phát hành")
    ISSUING = "issuing", _("Đang gửi nhà cung cấp")
    ISSUED = "issued", _("Đã phát hành")
    FAILED = "failed", _("Phát hành không thành công")
    VOIDED = "voided", _("Đã hủy kỹ thuật")
    REPLACED = "replaced", _("Đã bị thay thế")


# A receipt in one of these states can no longer be corrected, replaced or shown as valid.
UNUSABLE = (ReceiptStatus.VOIDED, ReceiptStatus.REPLACED)


class Receipt(models.Model):
    # Idempotency key sent to the provider (Viettel transactionUuid, VNPT fkey): one per
    # receipt; a retry looks it up before issuing again.
    key = models.CharField(_("khóa giao dịch"), max_length=64, unique=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="fee_receipts"
    )
    payment = models.ForeignKey(
        "dossiers.Payment", on_delete=models.PROTECT, related_name="receipts"
    )
    series = models.ForeignKey(ReceiptSeries, on_delete=models.PROTECT, related_name="receipts")
    # Copied from the series so the printed receipt never changes with the configuration.
    tax_code = models.CharField(max_length=14)
    template_symbol = models.CharField(max_length=8)
    receipt_symbol = models.CharField(max_length=8)
    number = models.PositiveIntegerField(_("số biên lai"))
    method = models.CharField(_("hình thức thu"), max_length=4, choices=PaymentMethod.choices)
    # [{"fee": id, "name", "kind", "amount_vnd", "amount_words"}]
    fee_items = models.JSONField(_("các khoản phí, lệ phí"))
    amount_vnd = models.PositiveBigIntegerField(_("tổng số tiền (đồng)"))
    amount_words = models.CharField(_("số tiền bằng chữ"), max_length=300)
    payer_name = models.CharField(_("người nộp"), max_length=255, blank=True)
    payer_id_masked = models.CharField(_("số định danh (che)"), max_length=20, blank=True)
    status = models.CharField(
        max_length=10, choices=ReceiptStatus.choices, default=ReceiptStatus.PENDING
    )
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    reason = models.CharField(_("lý do"), max_length=500, blank=True)
    provider_ref = models.CharField(_("số hiệu tại nhà cung cấp"), max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    pdf = models.FileField(upload_to="receipts/%Y/%m/", blank=True)

    class Meta:
        verbose_name = _("biên lai điện tử")
        verbose_name_plural = _("biên lai điện tử")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # The database itself refuses a number handed out twice.
            models.UniqueConstraint(
                fields=["tax_code", "template_symbol", "receipt_symbol", "number"],
                name="receipt_number_unique",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status__in=["pending", "issuing"]),
                name="receipt_open_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.template_symbol} {self.receipt_symbol} {self.number_text}"

    @property
    def number_text(self) -> str:
        return f"{self.number:08d}"

    @property
    def usable(self) -> bool:
        return self.status == ReceiptStatus.ISSUED


class ReceiptNotice(models.Model):
    """Form 04/SS-CTĐT: a wrong name, address or amount in words with the right tax code
    and amount is corrected by a notice, without re-issuing (Circular 91, Art. 20)."""

    receipt = models.ForeignKey(Receipt, on_delete=models.PROTECT, related_name="notices")
    field = models.CharField(_("nội dung sai"), max_length=32)
    old_value = models.CharField(_("nội dung cũ"), max_length=500, blank=True)
    new_value = models.CharField(_("nội dung đúng"), max_length=500)
    reason = models.CharField(_("lý do"), max_length=500)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thông báo sai sót biên lai")
        verbose_name_plural = _("thông báo sai sót biên lai")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.receipt} {self.field}"
