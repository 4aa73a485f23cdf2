"""Files of a dossier: submitted components, generated papers, the personal store."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def component_path(instance: DossierComponent, filename: str) -> str:
    # Never the user's filename on disk: a random name in a per-dossier folder.
    return f"dossiers/{instance.dossier_id}/components/{uuid.uuid4().hex}"


def document_path(instance: DossierDocument, filename: str) -> str:
    return f"dossiers/{instance.dossier_id}/documents/{uuid.uuid4().hex}.pdf"


def personal_path(instance: PersonalDocument, filename: str) -> str:
    return f"personal/{instance.owner_id}/{uuid.uuid4().hex}"


class SourceForm(models.TextChoices):
    UPLOAD = "upload", _("Tải lên khi nộp trực tuyến")
    SCAN = "scan", _("Số hóa tại Bộ phận Một cửa")
    PERSONAL_STORE = "personal_store", _("Lấy từ kho dữ liệu cá nhân")
    NATIONAL_DB = "national_db", _("Khai thác từ cơ sở dữ liệu")


class DossierComponent(models.Model):
    """One document provided for a component requirement of the version."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="components"
    )
    requirement = models.ForeignKey(
        "procedures.ComponentRequirement",
        verbose_name=_("thành phần hồ sơ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    file = models.FileField(_("tệp"), upload_to=component_path, max_length=255)
    original_filename = models.CharField(_("tên tệp gốc"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    source_form = models.CharField(
        max_length=16, choices=SourceForm.choices, default=SourceForm.UPLOAD
    )
    is_digitised = models.BooleanField(_("đã số hóa"), default=False)
    digitised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    digitised_at = models.DateTimeField(null=True, blank=True)
    from_personal_store = models.BooleanField(_("lấy từ kho dữ liệu cá nhân"), default=False)
    is_reused = models.BooleanField(_("tái sử dụng dữ liệu đã số hóa"), default=False)
    personal_document = models.ForeignKey(
        "dossiers.PersonalDocument",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("giấy tờ trong hồ sơ")
        verbose_name_plural = _("giấy tờ trong hồ sơ")
        ordering = ["requirement__order", "pk"]

    def __str__(self) -> str:
        return self.name


class DocumentKind(models.TextChoices):
    RECEIPT = "01", _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
    SUPPLEMENT = "02", _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")
    REFUSAL = "03", _("Phiếu từ chối tiếp nhận giải quyết hồ sơ")
    APOLOGY = "04", _("Phiếu xin lỗi và đề nghị gia hạn thời gian giải quyết")
    STOP_NOTICE = "05", _("Thông báo dừng giải quyết hồ sơ")
    CONTROL_SHEET = "06", _("Phiếu kiểm soát quá trình giải quyết hồ sơ")
    NOT_ELIGIBLE = "tb", _("Thông báo hồ sơ không đủ điều kiện giải quyết")
    PAYMENT_RECEIPT = "bl", _("Biên lai thu phí, lệ phí")
    RESULT = "kq", _("Kết quả giải quyết")


class RenderStatus(models.TextChoices):
    PENDING = "pending", _("Đang chờ tạo")
    RENDERING = "rendering", _("Đang tạo")
    READY = "ready", _("Sẵn sàng")
    FAILED = "failed", _("Lỗi")


class DossierDocument(models.Model):
    """A paper the portal issues (forms 01–07, receipts, results) as a PDF."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("loại"), max_length=4, choices=DocumentKind.choices)
    number = models.CharField(_("số"), max_length=64, blank=True)
    # What the paper is about, e.g. the supplement request it prints.
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    file = models.FileField(upload_to=document_path, blank=True, max_length=255)
    status = models.CharField(
        max_length=12, choices=RenderStatus.choices, default=RenderStatus.PENDING
    )
    error = models.TextField(blank=True)
    # The text typed by the specialist when a result is drafted from the template.
    content = models.TextField(_("nội dung"), blank=True)
    # Set when the file carries the agency's digital signature (results).
    signed_by_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    # Số văn bản: "<n>/<kind>-<agency>" from the issuing agency's register of
    # the year (``RegisterSequence``), printed after "Số:" on a signed paper.
    register_number = models.CharField(
        _("số văn bản"), max_length=64, blank=True, default="", db_default=""
    )
    # The person who signed for the agency, and their title (chức vụ) as printed
    # in the signature block at the time (a later change of title is not history).
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signer_title = models.CharField(
        _("chức vụ người ký"), max_length=255, blank=True, default="", db_default=""
    )
    created_at = models.DateTimeField(auto_now_add=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    # Render bookkeeping. Staleness is judged from these, never from created_at:
    # a paper issued long ago (after an outage) may be rendering right now.
    # When a render job was last put on the broker (issue, retry, sweep).
    render_queued_at = models.DateTimeField(default=timezone.now)
    # When a worker claimed the render, and the Celery task id that claimed it:
    # the same job redelivered after its worker died may take its claim over.
    render_claimed_at = models.DateTimeField(null=True, blank=True)
    render_claimed_by = models.CharField(max_length=64, blank=True)
    # Claims so far: the fencing token of the current claim, and a bound so a
    # paper that kills every worker ends "failed" instead of looping.
    render_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("giấy tờ phát hành")
        verbose_name_plural = _("giấy tờ phát hành")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["dossier", "kind"], name="document_dossier_kind"),
            # The reclaim sweep reads only unfinished papers (a few rows).
            models.Index(
                fields=["status"],
                name="document_render_open",
                condition=models.Q(status__in=["pending", "rendering"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class PersonalDocument(models.Model):
    """The citizen's data store: earlier results and components, reusable."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="personal_documents"
    )
    title = models.CharField(_("tên giấy tờ"), max_length=500)
    file = models.FileField(upload_to=personal_path, max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    source_dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_result = models.BooleanField(_("là kết quả giải quyết"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("giấy tờ trong kho dữ liệu cá nhân")
        verbose_name_plural = _("kho dữ liệu cá nhân")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class RegisterSequence(models.Model):
    """Per issuing agency and year: the last number of its register of outgoing
    papers (sổ đăng ký văn bản đi; Decree 30/2020 Art. 15: numbered from 01 on
    1 January). Incremented inside the signing transaction, so a rolled-back
    signature gives its number back: no gaps, no duplicates."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("sổ đăng ký văn bản đi")
        verbose_name_plural = _("sổ đăng ký văn bản đi")
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="one_register_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year}: {self.last_value}"


class FormTemplate(models.Model):
    """One dated version of a paper's template (issue 19 item 0): the Ministry
    of Justice re-issues the one-stop forms, and a dossier's papers use the
    version in force on its reception day, so an old dossier reprints as it was.

    Either ``template_path`` (a template shipped with the portal, the seeded
    Circular 03/2025 set) or ``source`` (entered by an administrator, rendered
    in the sandbox of ``dossiers.services.pdf.templates``)."""

    kind = models.CharField(_("loại giấy tờ"), max_length=4, choices=DocumentKind.choices)
    valid_from = models.DateField(_("áp dụng từ ngày"))
    legal_basis = models.CharField(_("căn cứ ban hành"), max_length=500)
    template_path = models.CharField(_("tệp mẫu có sẵn"), max_length=255, blank=True)
    source = models.TextField(_("nội dung mẫu"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mẫu giấy tờ")
        verbose_name_plural = _("mẫu giấy tờ")
        ordering = ["kind", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "valid_from"], name="one_form_version_per_day"),
            models.CheckConstraint(
                condition=(models.Q(template_path="") & ~models.Q(source=""))
                | (~models.Q(template_path="") & models.Q(source="")),
                name="form_template_path_or_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.valid_from:%d/%m/%Y})"
