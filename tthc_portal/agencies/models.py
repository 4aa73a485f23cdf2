"""The province's agency tree and the staff who work in it."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from tthc_portal.accounts.roles import Role


class AgencyKind(models.TextChoices):
    PROVINCE = "province", _("UBND tỉnh")
    PROVINCIAL_OFFICE = "provincial_office", _("Văn phòng UBND tỉnh")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    AUTHORITY = "authority", _("Ban quản lý")
    DIVISION = "division", _("Phòng chuyên môn")
    COMMUNE = "commune", _("UBND cấp xã")
    DISTRICT = "district", _("UBND cấp huyện (trước 01/7/2025)")


class OneStopDesk(models.Model):
    """A one-stop section (Bộ phận Một cửa) inside a service centre."""

    name = models.CharField(_("tên"), max_length=255)
    address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    opening_hours = models.CharField(_("giờ làm việc"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("bộ phận một cửa")
        verbose_name_plural = _("bộ phận một cửa")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """A unit of the province: the province itself, a department, a commune…

    ``path`` materialises the tree ("/1/4/") so that "this agency and every
    unit under it" is one indexed prefix filter. ``replaced`` records mergers:
    old records keep pointing at the old unit, and ``current()`` follows the
    successor chain for reports.
    """

    name = models.CharField(_("tên cơ quan"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=64, blank=True)
    kind = models.CharField(_("loại"), max_length=24, choices=AgencyKind.choices)
    code = models.CharField(
        _("mã định danh điện tử"),
        max_length=32,
        unique=True,
        help_text=_("Mã định danh theo Thông tư 10/2016/TT-BTTTT, ví dụ 000.00.53.H48."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan cấp trên"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    one_stop_desk = models.ForeignKey(
        OneStopDesk,
        verbose_name=_("bộ phận một cửa"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agencies",
    )
    replaced = models.ManyToManyField(
        "self",
        verbose_name=_("các đơn vị được hợp nhất vào"),
        symmetrical=False,
        blank=True,
        related_name="successors",
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    valid_from = models.DateField(_("hoạt động từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("ngừng hoạt động từ ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["path"]
        permissions = [
            ("view_agency_records", _("Xem hồ sơ của đơn vị")),
            ("receive_dossiers", _("Tiếp nhận hồ sơ")),
            ("return_results", _("Trả kết quả")),
            ("process_dossiers", _("Xử lý hồ sơ")),
            ("assign_dossiers", _("Phân công xử lý hồ sơ")),
            ("approve_dossiers", _("Phê duyệt, ký kết quả")),
            ("draft_procedures", _("Soạn thảo thủ tục, quy trình nội bộ")),
            ("approve_procedures", _("Phê duyệt công bố thủ tục")),
            ("control_publication", _("Kiểm soát công bố thủ tục")),
            ("view_indicators", _("Xem chỉ số 766")),
            ("publish_indicators", _("Công khai kết quả chỉ số 766")),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if self.pk and self.parent_id and self.path and self.parent.path.startswith(self.path):
            raise ValidationError(_("Cây đơn vị không được có vòng lặp."))
        super().save(*args, **kwargs)
        parent_path = self.parent.path if self.parent_id else "/"
        new_path = f"{parent_path}{self.pk}/"
        if new_path != self.path:
            old_path = self.path
            self.path = new_path
            Agency.objects.filter(pk=self.pk).update(path=new_path)
            if old_path:
                # Re-root the subtree after a move (rare: mergers, restructuring).
                for child in Agency.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                    child.save()

    def clean(self) -> None:
        if self.pk and self.parent_id and self.path and self.parent.path.startswith(self.path):
            raise ValidationError(
                {"parent": _("Không thể chọn đơn vị cấp dưới của chính nó làm cơ quan cấp trên.")}
            )

    def subtree(self) -> models.QuerySet[Agency]:
        return Agency.objects.filter(path__startswith=self.path)

    def current(self) -> Agency:
        """The unit that carries on this one's work after mergers."""
        agency, seen = self, {self.pk}
        while True:
            successor = agency.successors.order_by(
                F("valid_from").desc(nulls_last=True), "pk"
            ).first()
            if successor is None or successor.pk in seen:
                return agency
            seen.add(successor.pk)
            agency = successor


class StaffMembership(models.Model):
    """A staff member holds a role in an agency (one person may hold several)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    title = models.CharField(_("chức vụ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("phân công cán bộ")
        verbose_name_plural = _("phân công cán bộ")
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="unique_membership"),
        ]
        indexes = [models.Index(fields=["agency", "role"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.agency}"
