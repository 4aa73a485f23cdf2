"""Publication control: ministry decisions, tasks for departments, deadlines."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ChangeType(models.TextChoices):
    NEW = "new", _("Mới ban hành")
    AMENDED = "amended", _("Sửa đổi, bổ sung")
    REPLACED = "replaced", _("Thay thế")
    ABOLISHED = "abolished", _("Bãi bỏ")
    STANDARDISED = "standardised", _("Chuẩn hóa")


class DeadlineKey(models.TextChoices):
    """The deadlines a publication task is tracked against (publication.md §2)."""

    LIST = "list", _("Công bố danh mục của tỉnh")
    WORKFLOW = "workflow", _("Phê duyệt quy trình nội bộ")
    DECISION = "decision", _("Quyết định công bố trước ngày có hiệu lực")
    POSTING = "posting", _("Công khai sau quyết định công bố")
    LOCK = "lock", _("Khóa tiếp nhận thủ tục bị bãi bỏ")


class PublicationDeadlineRule(models.Model):
    """A dated, editable deadline rule: anchor date ± N working days.

    Defaults come from the Hưng Yên culture department's letter (4 and 7 WD)
    and the 766 operational rules (5 WD before effect, 5 WD to post).
    """

    ANCHORS = [
        ("ministry_decision", _("Ngày quyết định của Bộ")),
        ("legal_basis_effective", _("Ngày văn bản pháp luật có hiệu lực")),
        ("chairman_decision", _("Ngày quyết định công bố của Chủ tịch UBND tỉnh")),
    ]

    key = models.CharField(_("hạn"), max_length=16, choices=DeadlineKey.choices)
    anchor = models.CharField(_("mốc tính"), max_length=32, choices=ANCHORS)
    offset_working_days = models.IntegerField(
        _("số ngày làm việc"),
        help_text=_("Số dương: sau mốc; số âm: trước mốc."),
    )
    valid_from = models.DateField(_("áp dụng từ ngày"))
    valid_to = models.DateField(_("áp dụng đến ngày"), null=True, blank=True)
    source = models.CharField(_("căn cứ"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("quy tắc thời hạn công bố")
        verbose_name_plural = _("quy tắc thời hạn công bố")
        ordering = ["key", "-valid_from"]

    def __str__(self) -> str:
        return f"{self.get_key_display()}: {self.offset_working_days:+d} ngày làm việc"


class MinistryDecision(models.Model):
    """A ministry's (or a provincial legal text's) decision that triggers publication."""

    number = models.CharField(_("số quyết định"), max_length=64)
    decision_date = models.DateField(_("ngày ban hành"))
    issuing_body = models.CharField(_("cơ quan ban hành"), max_length=255)
    legal_basis_effective_date = models.DateField(
        _("ngày văn bản pháp luật có hiệu lực"), null=True, blank=True
    )
    summary = models.TextField(_("trích yếu"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quyết định công bố của Bộ")
        verbose_name_plural = _("quyết định công bố của Bộ")
        ordering = ["-decision_date", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} ({self.issuing_body}, {self.decision_date:%d/%m/%Y})"


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Chờ đơn vị dự thảo")
    DRAFTING = "drafting", _("Đang dự thảo")
    AWAITING_APPROVAL = "awaiting_approval", _("Chờ lãnh đạo phê duyệt")
    APPROVED = "approved", _("Chờ Chủ tịch UBND tỉnh quyết định")
    PUBLISHED = "published", _("Đã công bố")


class PublicationTask(models.Model):
    """The work one department owes for one ministry decision, with its deadlines.

    Due dates are computed once by the calendar service and stored; the sweep
    compares them with today and records alerts with compare-and-set.
    """

    ministry_decision = models.ForeignKey(
        MinistryDecision, on_delete=models.PROTECT, related_name="tasks"
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("đơn vị chủ trì"),
        on_delete=models.PROTECT,
        related_name="publication_tasks",
    )
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    list_due = models.DateField(_("hạn công bố danh mục"))
    workflow_due = models.DateField(_("hạn phê duyệt quy trình nội bộ"))
    decision_due = models.DateField(_("hạn ký quyết định công bố"), null=True, blank=True)
    posting_due = models.DateField(_("hạn công khai"), null=True, blank=True)
    lock_due = models.DateField(_("hạn khóa tiếp nhận"), null=True, blank=True)

    workflow_done_on = models.DateField(_("ngày phê duyệt quy trình"), null=True, blank=True)
    chairman_decision_number = models.CharField(
        _("số quyết định của Chủ tịch"), max_length=64, blank=True
    )
    chairman_decision_date = models.DateField(
        _("ngày quyết định của Chủ tịch"), null=True, blank=True
    )
    effective_date = models.DateField(_("ngày có hiệu lực"), null=True, blank=True)
    posted_on = models.DateField(_("ngày công khai"), null=True, blank=True)

    # Alert bookkeeping for the idempotent sweep.
    alert_level = models.CharField(
        _("cảnh báo"),
        max_length=12,
        choices=[
            ("none", pgettext_lazy("alert level", "Không")),
            ("due_soon", _("Sắp đến hạn")),
            ("overdue", _("Quá hạn")),
        ],
        default="none",
    )
    alerted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("nhiệm vụ công bố")
        verbose_name_plural = _("nhiệm vụ công bố")
        ordering = ["list_due", "pk"]
        indexes = [
            models.Index(
                fields=["list_due"],
                name="pubtask_open_due",
                condition=~Q(status="published"),
            ),
            models.Index(fields=["agency", "status"], name="pubtask_agency_status"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} – {self.ministry_decision.number}"


class PublicationItem(models.Model):
    """One procedure affected by a ministry decision."""

    ministry_decision = models.ForeignKey(
        MinistryDecision, on_delete=models.CASCADE, related_name="items"
    )
    task = models.ForeignKey(
        PublicationTask, on_delete=models.CASCADE, related_name="items", null=True, blank=True
    )
    procedure = models.ForeignKey(
        "procedures.Procedure", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    procedure_code = models.CharField(_("mã TTHC"), max_length=32, blank=True)
    procedure_name = models.CharField(_("tên thủ tục"), max_length=500)
    change_type = models.CharField(_("loại thay đổi"), max_length=16, choices=ChangeType.choices)
    responsible_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("đơn vị chủ trì"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.ForeignKey(
        "procedures.ProcedureVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="publication_items",
    )

    class Meta:
        verbose_name = _("thủ tục trong quyết định")
        verbose_name_plural = _("thủ tục trong quyết định")
        ordering = ["pk"]

    def __str__(self) -> str:
        return (
            f"{self.procedure_code or '—'} {self.procedure_name} ({self.get_change_type_display()})"
        )
