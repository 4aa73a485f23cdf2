"""Retention periods, legal holds, disposal lists and the minimal record kept.

Law on Archives 33/2024/QH15 and Circular 06/2025/TT-BNV (desk-operations §4).
The retention periods of one-stop dossiers were not found in the sources
(unconfirmed): they are dated configuration rows per procedure version, with a
province-wide default in ``records.defaults``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

UNCONFIRMED = _(
    "Chưa xác nhận: thời hạn bảo quản hồ sơ một cửa do Bộ, ngành quy định; "
    "cần Sở Nội vụ của tỉnh xác nhận."
)


class RetentionRule(models.Model):
    """How long a procedure version's dossiers and results are kept, from a date on."""

    procedure_version = models.ForeignKey(
        "procedures.ProcedureVersion",
        verbose_name=_("thủ tục (phiên bản)"),
        on_delete=models.CASCADE,
        related_name="retention_rules",
    )
    valid_from = models.DateField(_("áp dụng từ ngày"))
    dossier_years = models.PositiveSmallIntegerField(
        _("thời hạn bảo quản hồ sơ (năm)"), help_text=UNCONFIRMED
    )
    # Empty: kept permanently (results creating a lasting status).
    result_years = models.PositiveSmallIntegerField(
        _("thời hạn bảo quản kết quả (năm)"),
        null=True,
        blank=True,
        help_text=_("Để trống: bảo quản vĩnh viễn. ") + UNCONFIRMED,
    )
    source = models.CharField(_("căn cứ"), max_length=255, blank=True, help_text=UNCONFIRMED)

    class Meta:
        verbose_name = _("thời hạn bảo quản")
        verbose_name_plural = _("thời hạn bảo quản")
        ordering = ["procedure_version", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure_version", "valid_from"], name="one_retention_rule_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.procedure_version_id} {self.valid_from:%d/%m/%Y}: {self.dossier_years}"


class LegalHold(models.Model):
    """A dossier that must not be destroyed (inspection, dispute, lawsuit) until lifted."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="legal_holds"
    )
    reason = models.TextField(_("lý do"))
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(_("thời điểm đặt"))
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(_("thời điểm gỡ"), null=True, blank=True)
    lift_reason = models.TextField(_("lý do gỡ"), blank=True)

    class Meta:
        verbose_name = _("lệnh giữ hồ sơ")
        verbose_name_plural = _("lệnh giữ hồ sơ")
        ordering = ["-placed_at"]
        indexes = [
            models.Index(
                fields=["dossier"], name="legal_hold_active", condition=Q(lifted_at__isnull=True)
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} ({'gỡ' if self.lifted_at else 'đang giữ'})"


class ListStatus(models.TextChoices):
    PROPOSED = "proposed", _("Chờ rà soát")
    REVIEWED = "reviewed", _("Chờ phê duyệt")
    APPROVED = "approved", _("Đã phê duyệt, chờ hủy")
    DESTROYED = "destroyed", _("Đã hủy")
    CANCELLED = "cancelled", _("Đã hủy bỏ đề xuất")


class DisposalList(models.Model):
    """One month's list of an agency's closed dossiers past retention."""

    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    period = models.DateField(_("kỳ đề xuất (tháng)"))
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=ListStatus.choices, default=ListStatus.PROPOSED
    )
    proposed_at = models.DateTimeField(_("thời điểm lập"))
    explanatory_note = models.TextField(_("bản thuyết minh"), blank=True)
    council_minutes = models.TextField(
        _("ý kiến của hội đồng xác định giá trị tài liệu"), blank=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=64, blank=True)
    destroyed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("danh mục hồ sơ đề nghị hủy")
        verbose_name_plural = _("danh mục hồ sơ đề nghị hủy")
        ordering = ["-period", "agency__name"]
        permissions = [
            ("review_disposallist", _("Rà soát danh mục hồ sơ hết giá trị")),
            ("approve_disposallist", _("Phê duyệt hủy hồ sơ hết giá trị")),
            ("manage_legalhold", _("Đặt, gỡ lệnh giữ hồ sơ")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["agency", "period"], name="one_disposal_list_a_month")
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.period:%m/%Y}"


class DisposalItem(models.Model):
    """A dossier on a list; the reviewer may take it off with a reason."""

    disposal_list = models.ForeignKey(DisposalList, on_delete=models.CASCADE, related_name="items")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("thời điểm kết thúc"))
    retention_years = models.PositiveSmallIntegerField(_("thời hạn bảo quản (năm)"))
    # Decided with the proposal: the result's own period (often permanent) has not passed,
    # so its signed PDF survives the destruction of the rest of the dossier.
    keep_result = models.BooleanField(_("giữ lại kết quả"), default=True)
    removed = models.BooleanField(_("đã loại khỏi danh mục"), default=False)
    removed_reason = models.TextField(_("lý do loại"), blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    # Set by the destruction run: a hold or complaint that came after approval skips it.
    skipped_reason = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("hồ sơ trong danh mục hủy")
        verbose_name_plural = _("hồ sơ trong danh mục hủy")
        ordering = ["closed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["disposal_list", "dossier"], name="dossier_once_per_disposal_list"
            )
        ]

    def __str__(self) -> str:
        return f"{self.disposal_list_id}: {self.dossier_id}"


class DisposalHistory(models.Model):
    """Append-only: one row per transition of a list (who, when, from, to, note)."""

    disposal_list = models.ForeignKey(
        DisposalList, on_delete=models.CASCADE, related_name="history"
    )
    action = models.CharField(max_length=16)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.from_status}→{self.to_status}"


class PaperKind(models.TextChoices):
    """The destruction dossier of Circular 06/2025."""

    LIST = "list", _("Danh mục hồ sơ đề nghị hủy kèm bản thuyết minh")
    MINUTES = "minutes", _("Biên bản họp Hội đồng xác định giá trị tài liệu")
    DECISION = "decision", _("Quyết định hủy tài liệu hết giá trị")
    RECORD = "record", _("Biên bản hủy tài liệu hết giá trị")


def paper_path(instance: DisposalPaper, filename: str) -> str:
    return f"records/{instance.disposal_list_id}/{instance.kind}.pdf"


class DisposalPaper(models.Model):
    """One PDF of the destruction dossier, kept with its list (at least 20 years)."""

    disposal_list = models.ForeignKey(DisposalList, on_delete=models.CASCADE, related_name="papers")
    kind = models.CharField(_("loại"), max_length=16, choices=PaperKind.choices)
    file = models.FileField(upload_to=paper_path, max_length=255)
    signed = models.BooleanField(_("đã ký số"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tài liệu hồ sơ hủy")
        verbose_name_plural = _("tài liệu hồ sơ hủy")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["disposal_list", "kind"], name="one_paper_of_a_kind")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class DisposedDossier(models.Model):
    """The mark of a dossier reduced to its statistical record (code, procedure,
    dates, outcome stay on the dossier row; its files and personal fields are gone)."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="disposal"
    )
    disposal_list = models.ForeignKey(DisposalList, on_delete=models.PROTECT, related_name="+")
    disposed_at = models.DateTimeField(_("thời điểm hủy"))
    files_destroyed = models.PositiveIntegerField(_("số tệp đã hủy"), default=0)
    # The result's own period had not passed: its signed PDF is kept.
    result_kept = models.BooleanField(_("giữ lại kết quả"), default=False)

    class Meta:
        verbose_name = _("hồ sơ đã hủy")
        verbose_name_plural = _("hồ sơ đã hủy")

    def __str__(self) -> str:
        return str(self.dossier_id)
