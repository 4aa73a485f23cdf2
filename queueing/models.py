"""Queue tickets and appointments at a one-stop centre (desk-operations.md §3).

A centre is an ``agencies.OneStopDesk``. Service groups, counters, priority
classes and appointment slots are configuration rows; a ticket records the
priority class it was issued under, its times and its outcome, so the waiting
and service statistics are one SQL aggregate over stored seconds.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tthc_portal.agencies.models import Agency, OneStopDesk


class PriorityStrategy(models.TextChoices):
    STRICT = "strict", _("Ưu tiên tuyệt đối (vé ưu tiên luôn được gọi trước)")
    INTERLEAVED = "interleaved", _("Xen kẽ (1 vé ưu tiên sau mỗi N vé thường)")


class PriorityClass(models.Model):
    """Who is served first. The classes and their legal basis are configuration
    (elderly ≥ 60, persons with disabilities are legal; others unconfirmed)."""

    code = models.SlugField(_("mã"), max_length=32, unique=True)
    label = models.CharField(_("tên đối tượng"), max_length=128)
    legal_basis = models.CharField(_("căn cứ"), max_length=255, blank=True)
    evidence = models.CharField(_("giấy tờ chứng minh"), max_length=255, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("trọng số"), default=1, help_text=_("Trọng số lớn hơn được gọi trước.")
    )
    is_active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        verbose_name = _("đối tượng ưu tiên")
        verbose_name_plural = _("đối tượng ưu tiên")
        ordering = ["-weight", "code"]

    def __str__(self) -> str:
        return self.label


class ServiceGroup(models.Model):
    """A line of the centre's queue (e.g. "A – Tư pháp, hộ tịch")."""

    centre = models.ForeignKey(
        OneStopDesk,
        on_delete=models.PROTECT,
        related_name="service_groups",
        verbose_name=_("trung tâm"),
    )
    letter = models.CharField(_("ký hiệu"), max_length=4, help_text=_("Tiền tố số vé, ví dụ A."))
    name = models.CharField(_("tên nhóm dịch vụ"), max_length=255)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("cơ quan"),
    )  # fmt: skip
    priority_strategy = models.CharField(
        _("cách gọi vé ưu tiên"), max_length=16, choices=PriorityStrategy.choices,
        default=PriorityStrategy.INTERLEAVED,
    )  # fmt: skip
    interleave_normal = models.PositiveSmallIntegerField(
        _("số vé thường giữa hai vé ưu tiên"), default=5
    )
    service_minutes = models.PositiveSmallIntegerField(
        _("thời gian phục vụ ước tính (phút)"),
        default=10,
        help_text=_("Dùng để ước tính thời gian chờ khi chưa có số liệu trong ngày."),
    )
    daily_booking_limit = models.PositiveSmallIntegerField(
        _("số lịch hẹn tối đa một người một ngày"), default=2
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("nhóm dịch vụ")
        verbose_name_plural = _("nhóm dịch vụ")
        ordering = ["centre", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "letter"], name="queue_group_letter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.letter} – {self.name}"


class Counter(models.Model):
    """A counter (quầy) of the centre, staffed by desk officers of ``agency``."""

    centre = models.ForeignKey(
        OneStopDesk, on_delete=models.PROTECT, related_name="counters", verbose_name=_("trung tâm")
    )
    number = models.PositiveSmallIntegerField(_("số quầy"))
    name = models.CharField(_("tên quầy"), max_length=255, blank=True)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan")
    )
    service_groups = models.ManyToManyField(
        ServiceGroup, related_name="counters", verbose_name=_("nhóm dịch vụ")
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("quầy")
        verbose_name_plural = _("quầy")
        ordering = ["centre", "number"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "number"], name="queue_counter_unique")
        ]

    def __str__(self) -> str:
        return str(_("Quầy %(n)s") % {"n": self.number})


class KioskRole(models.TextChoices):
    # Decree 309/2026 Art. 3(9): a ticket printer and a smart kiosk are different devices.
    TICKET_PRINTER = "ticket_printer", _("Máy lấy số thứ tự")
    SMART_KIOSK = (
        "smart_kiosk",
        _("Ki-ốt thông minh (tra cứu, nộp hồ sơ, thanh toán, nhận kết quả)"),
    )


class KioskDevice(models.Model):
    """A self-service device of the centre and the role it plays. Its page is
    ``/xep-hang/<centre>/thiet-bi/<code>/``; the role decides what it offers."""

    centre = models.ForeignKey(
        OneStopDesk, on_delete=models.PROTECT, related_name="kiosk_devices",
        verbose_name=_("trung tâm"),
    )  # fmt: skip
    code = models.SlugField(_("mã thiết bị"), max_length=32)
    name = models.CharField(_("tên, vị trí"), max_length=255, blank=True)
    role = models.CharField(_("vai trò"), max_length=16, choices=KioskRole.choices)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("thiết bị tự phục vụ")
        verbose_name_plural = _("thiết bị tự phục vụ")
        ordering = ["centre", "code"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "code"], name="queue_kiosk_device_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.get_role_display()})"

    @property
    def is_smart(self) -> bool:
        return self.role == KioskRole.SMART_KIOSK


class TicketSource(models.TextChoices):
    KIOSK = "kiosk", _("Ki-ốt lấy số")
    BOOKING = "booking", _("Lịch hẹn trực tuyến")
    STAFF = "staff", _("Cán bộ cấp")


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("Đang chờ")
    CALLED = "called", _("Đã gọi")
    DONE = "done", _("Đã phục vụ")
    SKIPPED = "skipped", _("Vắng mặt (bỏ qua)")


class TicketDaySequence(models.Model):
    """Last ticket number of a service group on a day (one upsert per ticket)."""

    service_group = models.ForeignKey(ServiceGroup, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service_group", "day"], name="queue_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.service_group_id}/{self.day}: {self.last_value}"


class Ticket(models.Model):
    """A numbered ticket. Numbers restart per service group and day; they are
    not dossier codes. ``counter`` is where it is (or was last) served, or the
    counter it was transferred to while waiting."""

    centre = models.ForeignKey(OneStopDesk, on_delete=models.PROTECT, related_name="+")
    service_group = models.ForeignKey(
        ServiceGroup, on_delete=models.PROTECT, related_name="tickets"
    )
    day = models.DateField(_("ngày"))
    number = models.PositiveIntegerField(_("số"))
    label = models.CharField(_("số vé"), max_length=16)
    priority_class = models.ForeignKey(
        PriorityClass, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("đối tượng ưu tiên"),
    )  # fmt: skip
    # Snapshot of the class weight (0 = normal ticket), so ordering needs no join.
    priority_weight = models.PositiveSmallIntegerField(default=0)
    source = models.CharField(_("nguồn"), max_length=16, choices=TicketSource.choices)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=TicketStatus.choices, default=TicketStatus.WAITING
    )
    counter = models.ForeignKey(
        Counter, on_delete=models.PROTECT, null=True, blank=True, related_name="tickets",
        verbose_name=_("quầy"),
    )  # fmt: skip
    transferred_at = models.DateTimeField(null=True, blank=True)
    issued_at = models.DateTimeField(_("giờ lấy số"))
    first_called_at = models.DateTimeField(null=True, blank=True)
    called_at = models.DateTimeField(_("giờ gọi"), null=True, blank=True)
    # Last call or recall: the display highlights and re-announces by it.
    announced_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(_("giờ kết thúc"), null=True, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recall_count = models.PositiveSmallIntegerField(default=0)
    wait_seconds = models.PositiveIntegerField(null=True, blank=True)
    service_seconds = models.PositiveIntegerField(null=True, blank=True)
    dossiers = models.ManyToManyField(
        "dossiers.Dossier", blank=True, related_name="queue_tickets", verbose_name=_("hồ sơ")
    )

    class Meta:
        verbose_name = _("vé xếp hàng")
        verbose_name_plural = _("vé xếp hàng")
        ordering = ["day", "service_group", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["service_group", "day", "number"], name="queue_ticket_number_unique"
            )
        ]
        indexes = [
            # The "call next" scan: waiting tickets of a group on a day.
            models.Index(
                fields=["service_group", "day", "issued_at"],
                condition=Q(status="waiting"),
                name="queue_ticket_waiting",
            ),
            models.Index(fields=["centre", "day", "status"], name="queue_ticket_board"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.day:%d/%m/%Y})"

    @property
    def is_priority(self) -> bool:
        return self.priority_weight > 0


class TicketEvent(models.Model):
    """One line of a ticket's history (call, recall, skip, transfer…)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=16)
    to_status = models.CharField(max_length=16)
    counter = models.ForeignKey(Counter, on_delete=models.PROTECT, null=True, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%H:%M:%S}"


class AppointmentSlot(models.Model):
    """Bookable time of a service group (optionally at one counter) on a day."""

    service_group = models.ForeignKey(
        ServiceGroup, on_delete=models.PROTECT, related_name="slots", verbose_name=_("nhóm dịch vụ")
    )
    counter = models.ForeignKey(
        Counter, on_delete=models.PROTECT, null=True, blank=True, related_name="slots",
        verbose_name=_("quầy"),
    )  # fmt: skip
    day = models.DateField(_("ngày"))
    start = models.TimeField(_("từ"))
    end = models.TimeField(_("đến"))
    capacity = models.PositiveSmallIntegerField(_("số lượt"), default=4)

    class Meta:
        verbose_name = _("khung giờ hẹn")
        verbose_name_plural = _("khung giờ hẹn")
        ordering = ["day", "start", "service_group"]
        indexes = [models.Index(fields=["service_group", "day"], name="queue_slot_day")]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.start:%H:%M}–{self.end:%H:%M}"


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Đã đặt")
    CANCELLED = "cancelled", _("Đã hủy")
    CHECKED_IN = "checked_in", _("Đã đến, đã cấp số")


class Appointment(models.Model):
    """A citizen's booking of a slot; ``code`` is typed at the kiosk to check in."""

    slot = models.ForeignKey(AppointmentSlot, on_delete=models.PROTECT, related_name="appointments")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="queue_appointments"
    )
    # Denormalised from the slot so the daily limit is one indexed count.
    day = models.DateField()
    procedure = models.ForeignKey(
        "procedures.Procedure", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("thủ tục"),
    )  # fmt: skip
    code = models.CharField(_("mã đặt lịch"), max_length=16, unique=True)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    status = models.CharField(
        max_length=16, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    ticket = models.OneToOneField(
        Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="appointment"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminder_queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lịch hẹn")
        verbose_name_plural = _("lịch hẹn")
        ordering = ["-day", "slot__start"]
        indexes = [
            models.Index(fields=["person", "day", "status"], name="queue_appt_person_day"),
            models.Index(fields=["day", "status"], name="queue_appt_day"),
        ]

    def __str__(self) -> str:
        return self.code
