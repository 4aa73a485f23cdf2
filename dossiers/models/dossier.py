"""The dossier (hồ sơ) and its append-only history."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Channel(models.IntegerChoices):
    """As the national portal codes it (KenhThucHien)."""

    IN_PERSON = 1, _("Trực tiếp")
    ONLINE = 2, _("Trực tuyến")
    POSTAL = 3, _("Bưu chính công ích")


class Status(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Chờ tiếp nhận")
    AWAITING_COMPLETION = "awaiting_completion", _("Chờ bổ sung trước khi tiếp nhận")
    REFUSED = "refused", _("Từ chối tiếp nhận")
    RECEIVED = "received", _("Đã tiếp nhận")
    IN_PROCESSING = "in_processing", _("Đang xử lý")
    AWAITING_SUPPLEMENT = "awaiting_supplement", _("Chờ bổ sung hồ sơ")
    REJECTED = "rejected", _("Không đủ điều kiện giải quyết")
    RESULT_READY = "result_ready", _("Đã có kết quả")
    RETURNED = "returned", _("Đã trả kết quả")
    WITHDRAWN = "withdrawn", _("Đã rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")
    ARCHIVED = "archived", _("Đã lưu trữ")


# The processing clock runs in these states; deadlines are swept only here.
OPEN_STATUSES = (Status.RECEIVED, Status.IN_PROCESSING, Status.AWAITING_SUPPLEMENT)
# Rows the deadline sweep has flagged. The flags are deliberately in no index
# (nor any index's condition): the sweep's flips are then heap-only (HOT)
# updates that touch none of the table's indexes (dossiers migration 0011).
FLAGGED = Q(due_soon=True) | Q(is_overdue=True)
TERMINAL_STATUSES = (
    Status.REFUSED,
    Status.REJECTED,
    Status.RESULT_READY,
    Status.RETURNED,
    Status.WITHDRAWN,
    Status.STOPPED,
    Status.ARCHIVED,
)


# Ended without a result: nothing is owed any more (open payment requests are cancelled).
CLOSED_WITHOUT_RESULT = (Status.REFUSED, Status.REJECTED, Status.WITHDRAWN, Status.STOPPED)


def new_lookup_token() -> str:
    return secrets.token_urlsafe(16)


class Dossier(models.Model):
    """One application, with a snapshot of every rule value used for its deadline.

    The procedure version is kept as received: amendments never change an
    open dossier's deadline, forms or fees.
    """

    code = models.CharField(_("mã hồ sơ"), max_length=64, unique=True, null=True, blank=True)
    procedure_version = models.ForeignKey(
        "procedures.ProcedureVersion",
        verbose_name=_("thủ tục (phiên bản)"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    status = models.CharField(
        _("trạng thái"), max_length=24, choices=Status.choices, default=Status.DRAFT
    )
    channel = models.PositiveSmallIntegerField(_("kênh nộp"), choices=Channel.choices)
    submitted_by_officer = models.BooleanField(_("cán bộ nộp thay"), default=False)

    # --- who ---------------------------------------------------------------------
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản người nộp"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
    )
    applicant_name = models.CharField(_("tên tổ chức, cá nhân"), max_length=255)
    applicant_id_number = models.CharField(_("số định danh / mã số thuế"), max_length=20)
    applicant_phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    representative_name = models.CharField(_("người được ủy quyền"), max_length=255, blank=True)
    representative_id_number = models.CharField(
        _("số định danh người được ủy quyền"), max_length=20, blank=True
    )
    representative_address = models.CharField(
        _("địa chỉ người được ủy quyền"), max_length=500, blank=True
    )
    representative_email = models.EmailField(_("thư điện tử người được ủy quyền"), blank=True)
    representative_phone = models.CharField(
        _("điện thoại người được ủy quyền"), max_length=20, blank=True
    )
    representative_authorisation = models.CharField(_("giấy ủy quyền"), max_length=255, blank=True)
    request_content = models.TextField(_("nội dung yêu cầu giải quyết"), blank=True)
    form_data = models.JSONField(_("dữ liệu tờ khai"), default=dict, blank=True)
    result_delivery = models.CharField(
        _("nhận kết quả"),
        max_length=16,
        choices=[
            ("desk", _("Tại Bộ phận Một cửa")),
            ("postal", _("Qua bưu chính")),
            ("online", _("Trực tuyến")),
        ],
        default="desk",
    )
    vneid_verified = models.BooleanField(_("đã xác thực VNeID"), default=False)
    # Level of assurance of the applicant's sign-in when the dossier was sent.
    assurance_level = models.CharField(_("mức độ bảo đảm xác thực"), max_length=16, blank=True)
    population_db_used = models.BooleanField(_("dùng dữ liệu CSDL dân cư"), default=False)

    # --- where -------------------------------------------------------------------
    receiving_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="received_dossiers",
    )
    # The unit code as it was on the day of receipt (units merge and rename).
    receiving_agency_code = models.CharField(max_length=32, blank=True)
    sets_count = models.PositiveSmallIntegerField(_("số bộ hồ sơ"), default=1)

    # --- time (computed once by the calendar service and stored) --------------
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("thời điểm nộp"), null=True, blank=True)
    # Online dossiers must be accepted within N working hours (configurable).
    reception_due_at = models.DateTimeField(_("hạn tiếp nhận"), null=True, blank=True)
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), null=True, blank=True)
    clock_started_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(_("ngày hẹn trả"), null=True, blank=True)
    original_due_at = models.DateTimeField(_("ngày hẹn trả ban đầu"), null=True, blank=True)
    # Stored with ``due_at`` by services.deadlines.dossier_due_set (never
    # shifted): when the dossier becomes due soon, and when its head is asked
    # about an apology (None once one was issued). The sweep compares them
    # with the clock.
    due_soon_at = models.DateTimeField(null=True, blank=True, editable=False)
    apology_ask_at = models.DateTimeField(null=True, blank=True, editable=False)
    completed_at = models.DateTimeField(_("thời điểm kết thúc xử lý"), null=True, blank=True)
    returned_at = models.DateTimeField(_("thời điểm trả kết quả"), null=True, blank=True)
    time_limit = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    time_unit = models.CharField(max_length=16, blank=True)
    deadline_mode = models.CharField(max_length=16, blank=True)
    cutoff_time = models.TimeField(null=True, blank=True)
    supplement_count = models.PositiveSmallIntegerField(_("số lần yêu cầu bổ sung"), default=0)
    due_soon = models.BooleanField(_("sắp đến hạn"), default=False)
    is_overdue = models.BooleanField(_("quá hạn"), default=False)
    apology_issued = models.BooleanField(_("đã có phiếu xin lỗi"), default=False)
    # When the sweep asked the head to decide on an apology (once per deadline).
    apology_requested_at = models.DateTimeField(null=True, blank=True, editable=False)

    refusal_reason = models.TextField(_("lý do từ chối"), blank=True)

    # --- processing (dossier-lifecycle §5-§7) --------------------------------------
    processing_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan giải quyết"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="processed_dossiers",
    )
    assigned_specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chuyên viên thụ lý"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_dossiers",
    )
    current_step = models.ForeignKey(
        "dossiers.DossierStep",
        verbose_name=_("bước hiện tại"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    result_code = models.CharField(_("mã kết quả"), max_length=80, blank=True)
    result_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    return_method = models.CharField(
        _("hình thức trả kết quả"),
        max_length=16,
        choices=[
            ("desk", _("Tại Bộ phận Một cửa")),
            ("postal", _("Qua bưu chính")),
            ("online", _("Trực tuyến")),
        ],
        blank=True,
    )
    returned_to = models.CharField(_("người nhận kết quả"), max_length=255, blank=True)
    # Why processing stopped (withdrawal or agency decision), for form 05.
    stop_reason = models.TextField(_("lý do dừng xử lý"), blank=True)
    stop_requested_at = models.DateTimeField(_("thời điểm đề nghị dừng"), null=True, blank=True)
    stop_request_channel = models.CharField(_("kênh đề nghị dừng"), max_length=64, blank=True)
    lookup_token = models.CharField(
        max_length=32, default=new_lookup_token, unique=True, editable=False
    )
    sync_status = models.CharField(max_length=16, default="pending", editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    # --- search keys (dossiers.search_keys) ------------------------------------------
    # Written by database triggers from the applicant's name, phone and ID number
    # on every insert and every update of those columns, whatever the write path;
    # never set them in Python.
    search_name = models.CharField(max_length=255, blank=True, default="", editable=False)
    search_phone = models.CharField(max_length=20, blank=True, default="", editable=False)
    search_id = models.CharField(max_length=20, blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-created_at", "-pk"]
        permissions = [("view_all_dossiers", _("Xem mọi hồ sơ (kiểm tra, thống kê)"))]
        indexes = [
            models.Index(
                fields=["receiving_agency", "status", "-submitted_at"], name="dossier_desk_queue"
            ),
            models.Index(fields=["applicant", "-created_at"], name="dossier_applicant"),
            # Period scans of the indicators, the register and the periodic report.
            models.Index(fields=["received_at"], name="dossier_received_at"),
            models.Index(fields=["completed_at"], name="dossier_completed_at"),
            models.Index(
                fields=["due_at"],
                name="dossier_open_due",
                condition=Q(status__in=["received", "in_processing", "awaiting_supplement"]),
            ),
            models.Index(
                fields=["processing_agency", "due_at"],
                name="dossier_open_agency_due",
                condition=Q(status__in=["received", "in_processing", "awaiting_supplement"]),
            ),
            # The sweep's compare-and-set ranges (services.overdue). ``due_at``
            # second: the rows already past their due instant are passed over
            # inside the index, without reading the table.
            models.Index(
                fields=["due_soon_at", "due_at"],
                name="dossier_open_due_soon",
                condition=Q(status__in=["received", "in_processing", "awaiting_supplement"]),
            ),
            models.Index(
                fields=["apology_ask_at", "due_at"],
                name="dossier_open_apology_ask",
                condition=Q(status__in=["received", "in_processing", "awaiting_supplement"]),
            ),
            models.Index(
                fields=["submitted_at"],
                name="dossier_waiting_reception",
                condition=Q(status="submitted"),
            ),
            # Staff search (selectors_search): exact phone and ID number. The
            # name's words index (migration 0020) and the reversed code's index
            # (0015) are PostgreSQL-only.
            models.Index(fields=["search_phone"], name="dossier_search_phone"),
            models.Index(fields=["search_id"], name="dossier_search_id"),
        ]

    def __str__(self) -> str:
        return self.code or f"#{self.pk} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class StatusHistory(models.Model):
    """Append-only: one row per transition (who, when, from, to, note)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="history")
    action = models.CharField(_("hành động"), max_length=32)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("thời điểm"))
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("lịch sử xử lý")
        verbose_name_plural = _("lịch sử xử lý")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["dossier", "at"], name="history_dossier_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.from_status}→{self.to_status}"


class ClockPause(models.Model):
    """A ledger of paused intervals; ``due_at`` is derived from it, never patched."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="pauses")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=16, default="supplement")

    class Meta:
        ordering = ["started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(ended_at__isnull=True), name="one_open_pause"
            )
        ]

    def __str__(self) -> str:
        return f"{self.started_at} – {self.ended_at or '…'}"


class DossierCodeFormat(models.Model):
    """A dated code template (Circular 01/2018 Art. 19; Circular 03/2025 Art. 13)."""

    valid_from = models.DateField(_("áp dụng từ ngày"), unique=True)
    template = models.CharField(
        _("mẫu mã"),
        max_length=100,
        help_text=_("Biến: {agency}, {yymmdd}, {seq}. Ví dụ {agency}-{yymmdd}-{seq}."),
    )
    sequence_digits = models.PositiveSmallIntegerField(_("số chữ số thứ tự"), default=4)
    source = models.CharField(_("căn cứ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("định dạng mã hồ sơ")
        verbose_name_plural = _("định dạng mã hồ sơ")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"{self.valid_from:%d/%m/%Y}: {self.template}"


class DailySequence(models.Model):
    """Per receiving unit and day: the last sequence number issued.

    Incremented inside the reception transaction, so a rolled-back reception
    gives its number back: no gaps, no duplicates.
    """

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="one_sequence_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}: {self.last_value}"


class NationalStatusMap(models.Model):
    """How an internal status is reported to the national portal (configurable:
    the national numeric codes are not published in the sources read)."""

    status = models.CharField(max_length=24, choices=Status.choices, unique=True)
    national_label = models.CharField(_("trạng thái trên Cổng DVCQG"), max_length=100, blank=True)
    national_code = models.CharField(_("mã trạng thái"), max_length=16, blank=True)
    synced = models.BooleanField(_("đồng bộ"), default=True)

    class Meta:
        verbose_name = _("ánh xạ trạng thái quốc gia")
        verbose_name_plural = _("ánh xạ trạng thái quốc gia")

    def __str__(self) -> str:
        return f"{self.status} → {self.national_label or '—'}"
