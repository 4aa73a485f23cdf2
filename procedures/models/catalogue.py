"""The procedure catalogue: stable procedures and their dated versions."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tthc_portal.workdays.calendar import DeadlineMode, DeadlineRule, TimeUnit


class Level(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")
    PROVINCE_AND_COMMUNE = "province_and_commune", _("Cấp tỉnh, cấp xã")
    DISTRICT = "district", _("Cấp huyện (trước 01/7/2025)")


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")
    NONE = "none", _("Không cung cấp trực tuyến")


class TimeKind(models.TextChoices):
    SIMPLE = "simple", _("Một thời hạn")
    MULTI_STAGE = "multi_stage", _("Nhiều giai đoạn")
    OUTCOME_DEPENDENT = "outcome_dependent", _("Theo kết quả giải quyết")


TIME_UNIT_CHOICES = [
    (TimeUnit.WORKING_DAYS.value, _("ngày làm việc")),
    (TimeUnit.WORKING_HOURS.value, _("giờ làm việc")),
    (TimeUnit.CALENDAR_DAYS.value, _("ngày")),
    (TimeUnit.SAME_DAY.value, _("trong ngày")),
    (TimeUnit.IMMEDIATE.value, _("ngay khi nhận đủ hồ sơ")),
]
DEADLINE_MODE_CHOICES = [
    (DeadlineMode.WORKING_HOURS.value, _("Tính theo giờ làm việc")),
    (DeadlineMode.WHOLE_DAY.value, _("Tính theo ngày (không tính ngày tiếp nhận)")),
]


class ApplicantType(models.TextChoices):
    CITIZEN = "citizen", _("Công dân Việt Nam")
    BUSINESS = "business", _("Doanh nghiệp")
    ORGANISATION = "organisation", _("Tổ chức")
    FOREIGNER = "foreigner", _("Người nước ngoài")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SUBMITTED = "submitted", _("Đã trình lãnh đạo")
    APPROVED = "approved", _("Lãnh đạo đã phê duyệt")
    PUBLISHED = "published", _("Đã công bố")
    RETIRED = "retired", _("Hết hiệu lực")


class Field(models.Model):
    """Lĩnh vực: the subject area a procedure belongs to."""

    code = models.CharField(_("mã lĩnh vực"), max_length=32, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255)
    name_folded = models.CharField(max_length=255, editable=False, default="")

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        from tthc_portal.text import fold

        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)


class Procedure(models.Model):
    """The stable identity of a procedure across its versions.

    ``code`` is the national base code (e.g. 1.001612); province-specific
    procedures may have none until the national database assigns one, so it
    is nullable and unique only when present. ``current_version`` is the one
    version in force today, maintained by the activation job.
    """

    # NULL, not "", so the partial unique constraint ignores code-less procedures.
    code = models.CharField(_("mã TTHC"), max_length=32, null=True, blank=True)  # noqa: DJ001
    code_suffix = models.CharField(
        _("hậu tố mã địa phương"),
        max_length=32,
        blank=True,
        help_text=_("Phần sau mã cơ sở, ví dụ 000.00.00.H48."),
    )
    current_version = models.OneToOneField(
        "procedures.ProcedureVersion",
        verbose_name=_("phiên bản đang áp dụng"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    abolished_on = models.DateField(_("bãi bỏ từ ngày"), null=True, blank=True)
    reception_locked = models.BooleanField(_("khóa tiếp nhận hồ sơ mới"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(code__isnull=False), name="procedure_code_unique"
            ),
        ]

    def __str__(self) -> str:
        name = self.current_version.name if self.current_version_id else ""
        return f"{self.localised_code or '—'} {name}".strip()

    @property
    def localised_code(self) -> str:
        if not self.code:
            return ""
        return f"{self.code}.{self.code_suffix}" if self.code_suffix else self.code


# Content fields frozen once a version is published (lifecycle fields may still move).
LIFECYCLE_FIELDS = frozenset(
    {"status", "valid_to", "published_at", "retired_at", "publication_task", "updated_at"}
)


class ProcedureVersion(models.Model):
    """A dated snapshot of a procedure's content, with its internal workflow.

    A dossier keeps the version it was received under, so published versions
    never change: editing means a new draft version.
    """

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản số"))
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    valid_from = models.DateField(_("có hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hết hiệu lực từ"), null=True, blank=True)

    # --- the seven constituent parts (Decree 63/2010 Art. 8(2)) -------------
    name = models.CharField(_("tên thủ tục"), max_length=500)
    steps_text = models.TextField(_("trình tự thực hiện"), blank=True)
    channel_in_person = models.BooleanField(_("nộp trực tiếp"), default=True)
    channel_online = models.BooleanField(_("nộp trực tuyến"), default=False)
    channel_postal = models.BooleanField(_("nộp qua bưu chính công ích"), default=False)
    channels_text = models.TextField(_("cách thức thực hiện (diễn giải)"), blank=True)
    # components: ComponentRequirement rows; time: the fields below
    applicant_types = models.JSONField(_("đối tượng thực hiện"), default=list, blank=True)
    implementing_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan thực hiện"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="implemented_versions",
    )
    implementing_agency_text = models.CharField(
        _("cơ quan thực hiện (theo quyết định công bố)"), max_length=500, blank=True
    )

    # --- classification ----------------------------------------------------------
    field = models.ForeignKey(
        Field, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="versions"
    )
    level = models.CharField(_("cấp thực hiện"), max_length=24, choices=Level.choices)
    deciding_authority = models.CharField(
        _("cơ quan có thẩm quyền quyết định"), max_length=500, blank=True
    )
    coordinating_agencies = models.ManyToManyField(
        "agencies.Agency", verbose_name=_("cơ quan phối hợp"), blank=True, related_name="+"
    )

    # --- time ------------------------------------------------------------------
    time_kind = models.CharField(
        _("loại thời hạn"), max_length=20, choices=TimeKind.choices, default=TimeKind.SIMPLE
    )
    time_limit = models.DecimalField(
        _("thời hạn giải quyết"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Với nhiều giai đoạn: tổng các giai đoạn; theo kết quả: thời hạn dài nhất."),
    )
    time_unit = models.CharField(
        _("đơn vị thời hạn"), max_length=16, choices=TIME_UNIT_CHOICES, default="working_days"
    )
    deadline_mode = models.CharField(
        _("cách tính hạn"),
        max_length=16,
        choices=DEADLINE_MODE_CHOICES,
        default=DeadlineMode.WORKING_HOURS.value,
    )
    cutoff_time = models.TimeField(
        _("giờ chốt buổi chiều"),
        null=True,
        blank=True,
        help_text=_("Nhận sau giờ này thì tính từ ngày làm việc tiếp theo (ví dụ 15:00)."),
    )
    time_text = models.TextField(_("thời hạn (theo văn bản)"), blank=True)
    time_stages = models.JSONField(_("các giai đoạn"), default=list, blank=True)
    time_outcomes = models.JSONField(_("thời hạn theo kết quả"), default=list, blank=True)
    payment_stage = models.CharField(
        _("thời điểm thu phí"),
        max_length=16,
        choices=[
            ("on_submission", _("Khi nộp hồ sơ")),
            ("before_return", _("Trước khi trả kết quả")),
        ],
        default="on_submission",
    )
    supplement_clock_rule = models.CharField(
        _("khi bổ sung hồ sơ"),
        max_length=8,
        choices=[("pause", _("Tạm dừng tính thời gian")), ("restart", _("Tính lại từ đầu"))],
        default="pause",
    )

    # --- result, online service, flags ------------------------------------------
    result_text = models.TextField(_("kết quả thực hiện"), blank=True)
    paper_result = models.BooleanField(
        _("kết quả là giấy tờ"),
        default=True,
        help_text=_("Khi đúng, hồ sơ trực tuyến chỉ được tính khi có kết quả điện tử."),
    )
    online_level = models.CharField(
        _("mức độ trực tuyến"), max_length=8, choices=OnlineLevel.choices, default=OnlineLevel.NONE
    )
    full_online_eligible = models.BooleanField(_("đủ điều kiện toàn trình"), default=False)
    conditions = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    boundary_free = models.BooleanField(_("không phụ thuộc địa giới hành chính"), default=False)
    is_internal = models.BooleanField(_("TTHC nội bộ"), default=False)
    internal_scope = models.CharField(
        _("phạm vi nội bộ"),
        max_length=16,
        blank=True,
        choices=[
            ("between_bodies", _("Giữa các cơ quan hành chính")),
            ("within_body", _("Trong nội bộ cơ quan")),
        ],
    )
    is_province_specific = models.BooleanField(_("TTHC đặc thù của tỉnh"), default=False)
    territorial_scope = models.CharField(_("phạm vi áp dụng"), max_length=255, blank=True)

    # --- publication ---------------------------------------------------------------
    change_type = models.CharField(_("loại công bố"), max_length=16, blank=True)
    publication_task = models.ForeignKey(
        "procedures.PublicationTask",
        verbose_name=_("nhiệm vụ công bố"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="versions",
    )
    decision_number = models.CharField(_("số quyết định công bố"), max_length=64, blank=True)
    decision_date = models.DateField(_("ngày quyết định công bố"), null=True, blank=True)
    source_document = models.TextField(_("văn bản nguồn"), blank=True)
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("thay thế phiên bản"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
    )
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    # Hash of the imported source row: re-importing identical data is a no-op.
    source_hash = models.CharField(max_length=64, blank=True, editable=False)
    search_text = models.TextField(editable=False, default="")
    name_folded = models.CharField(max_length=500, editable=False, default="")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("ý kiến của lãnh đạo"), blank=True)

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="version_number_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gt=models.F("valid_from")),
                name="version_validity_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "valid_from"], name="version_status_from"),
            models.Index(fields=["field", "level"], name="version_field_level"),
            models.Index(fields=["implementing_agency", "status"], name="version_agency_status"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.number})"

    def save(self, *args, **kwargs) -> None:
        loaded = getattr(self, "_loaded_status", None)
        if loaded in (VersionStatus.PUBLISHED, VersionStatus.RETIRED):
            update_fields = kwargs.get("update_fields")
            if update_fields is None or not set(update_fields) <= LIFECYCLE_FIELDS:
                raise ValueError("A published version is immutable; create a new draft version.")
        super().save(*args, **kwargs)
        self._loaded_status = self.status

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_status = instance.status if "status" in field_names else None
        return instance

    # --- derived values ------------------------------------------------------------
    @property
    def is_editable(self) -> bool:
        return self.status == VersionStatus.DRAFT

    def deadline_rule(self) -> DeadlineRule | None:
        """The rule a dossier snapshots at reception, or None when no time is set."""
        if self.time_unit in (TimeUnit.SAME_DAY, TimeUnit.IMMEDIATE):
            limit = Decimal(0)
        elif self.time_limit is None:
            return None
        else:
            limit = self.time_limit
        return DeadlineRule(
            limit=limit,
            unit=TimeUnit(self.time_unit),
            mode=DeadlineMode(self.deadline_mode),
            cutoff=self.cutoff_time,
        )

    @property
    def channels(self) -> list[str]:
        return [
            name
            for name, on in (
                ("in_person", self.channel_in_person),
                ("online", self.channel_online),
                ("postal", self.channel_postal),
            )
            if on
        ]

    @property
    def accepts_online(self) -> bool:
        return self.channel_online and self.online_level in (OnlineLevel.FULL, OnlineLevel.PARTIAL)


class FeeKind(models.TextChoices):
    FEE = "fee", _("Phí")
    CHARGE = "charge", _("Lệ phí")


class FeeItem(models.Model):
    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="fees")
    kind = models.CharField(_("loại"), max_length=8, choices=FeeKind.choices, default=FeeKind.FEE)
    name = models.CharField(_("khoản thu"), max_length=255)
    amount_vnd = models.PositiveBigIntegerField(_("mức thu (đồng)"), null=True, blank=True)
    online_amount_vnd = models.PositiveBigIntegerField(
        _("mức thu khi nộp trực tuyến (đồng)"), null=True, blank=True
    )
    unit = models.CharField(_("đơn vị tính"), max_length=64, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    # Tiered fees: the applicant's case selects exactly one alternative.
    is_alternative = models.BooleanField(_("mức thu theo trường hợp"), default=False)

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class LegalBasis(models.Model):
    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="legal_bases"
    )
    title = models.TextField(_("văn bản"))
    effective_date = models.DateField(_("ngày có hiệu lực"), null=True, blank=True)

    class Meta:
        verbose_name = _("căn cứ pháp lý")
        verbose_name_plural = _("căn cứ pháp lý")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title[:80]


class CopyKind(models.TextChoices):
    ORIGINAL = "original", _("Bản chính")
    CERTIFIED_COPY = "certified_copy", _("Bản sao chứng thực")
    COPY = "copy", _("Bản sao")
    ORIGINAL_OR_COPY = "original_or_copy", _("Bản chính hoặc bản sao")


class DataSource(models.TextChoices):
    POPULATION_DB = "population_db", _("Cơ sở dữ liệu quốc gia về dân cư")
    DATA_STORE = "data_store", _("Kho dữ liệu của tổ chức, cá nhân trên Cổng DVCQG")
    EARLIER_RESULT = "earlier_result", _("Kết quả giải quyết TTHC trước đó")


class ComponentRequirement(models.Model):
    """One document the applicant must provide (thành phần hồ sơ)."""

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="components"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    name = models.TextField(_("tên giấy tờ"))
    copy_kind = models.CharField(
        _("loại bản"), max_length=20, choices=CopyKind.choices, default=CopyKind.ORIGINAL
    )
    count = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    required = models.BooleanField(_("bắt buộc"), default=True)
    form_template = models.FileField(
        _("mẫu đơn, tờ khai"), upload_to="form-templates/%Y/", blank=True
    )
    must_digitise = models.BooleanField(_("phải số hóa"), default=True)
    note = models.TextField(_("ghi chú"), blank=True)
    # Resolution 66.7/2025/NQ-CP: the component is satisfied by a look-up, not an upload.
    data_source = models.CharField(
        _("thay thế bằng dữ liệu"), max_length=16, choices=DataSource.choices, blank=True,
        help_text=_("Nghị quyết 66.7/2025/NQ-CP: không yêu cầu nộp giấy tờ; cán bộ tra cứu."),
    )  # fmt: skip
    # Result codes (MaKetQua) of earlier procedures that this component accepts.
    accepted_result_codes = models.JSONField(
        _("mã kết quả được chấp nhận"), default=list, blank=True
    )

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name[:80]


# Re-exported: the templatetags and the API import BudgetUnit from this module. Imported
# last so the models register in the same order as when they were defined here.
from .workflow import BudgetUnit as BudgetUnit  # noqa: E402
from .workflow import WorkflowStep as WorkflowStep  # noqa: E402
