"""Processing through the internal workflow: step instances (the control
sheet's handover rows) and the apology letter."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class StepKind(models.TextChoices):
    WORKFLOW = "workflow", _("Bước quy trình")
    CONSULT = "consult", _("Lấy ý kiến cơ quan khác")
    RETURN = "return", _("Trả kết quả")


class StepOutcome(models.TextChoices):
    COMPLETED = "completed", _("Hoàn thành, chuyển bước sau")
    SENT_BACK = "sent_back", _("Trả lại bước trước")
    SUPPLEMENT = "supplement", _("Yêu cầu bổ sung")
    REJECTED = "rejected", _("Không đủ điều kiện giải quyết")
    APPROVED = "approved", _("Phê duyệt, ký kết quả")
    ISSUED = "issued", _("Phát hành cùng kết quả")
    ANSWERED = "answered", _("Đã có ý kiến")
    RETURNED = "returned", _("Đã trả kết quả")
    CLOSED = "closed", _("Kết thúc do hồ sơ dừng")


class Timeliness(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


OPEN_STEP = Q(completed_at__isnull=True)


class DossierStep(models.Model):
    """One step of one dossier: who holds it, since when, until when.

    A row is a handover on the control sheet (form 06): ``handed_over_by`` gave
    it, ``assignee`` received it at ``started_at``; completion records the
    step's result (early / on time / late) against its stored ``due_at``.
    """

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=12, choices=StepKind.choices, default=StepKind.WORKFLOW)
    workflow_step = models.ForeignKey(
        "procedures.WorkflowStep",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Copies of the workflow step as it was (the version never changes, but the
    # control sheet must read the same after a catalogue clean-up).
    order = models.PositiveSmallIntegerField(_("bước"))
    name = models.CharField(_("nội dung công việc"), max_length=500)
    role = models.CharField(_("vai trò thực hiện"), max_length=32)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("đơn vị xử lý"),
        on_delete=models.PROTECT,
        related_name="dossier_steps",
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="consultations"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xử lý"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossier_steps",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người giao"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField(_("thời điểm nhận"))
    budget_hours = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    counted = models.BooleanField(default=True)
    due_at = models.DateTimeField(_("hạn xử lý bước"), null=True, blank=True)
    # Stored with ``due_at`` by services.deadlines.step_due_set: when the step
    # becomes due soon, and a copy of its dossier's due instant while the
    # dossier's clock runs (a step is never greener than its dossier: the
    # worklist's light reads both from this row, without joining the dossier).
    due_soon_at = models.DateTimeField(null=True, blank=True, editable=False)
    dossier_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    completed_at = models.DateTimeField(_("thời điểm giao"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=12, choices=StepOutcome.choices, blank=True)
    timeliness = models.CharField(
        _("kết quả"), max_length=8, choices=Timeliness.choices, blank=True
    )
    request_text = models.TextField(_("nội dung đề nghị"), blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    # No stored "due soon" / "overdue" flags: a step's light is read from its
    # stored instants (``due_soon_at``, ``due_at``, ``dossier_due_at``) at the
    # time of reading, so no sweep has to rewrite steps as the clock passes.
    # The dossier waits for the citizen (supplement during processing): the
    # step's clock stands still and the worklist shows it grey — read from the
    # step row, without joining the dossier.
    paused = models.BooleanField(_("tạm dừng chờ bổ sung"), default=False)

    class Meta:
        verbose_name = _("bước xử lý hồ sơ")
        verbose_name_plural = _("bước xử lý hồ sơ")
        ordering = ["started_at", "pk"]
        indexes = [
            # The worklists: open steps by holder and by unit, soonest due first.
            models.Index(
                fields=["assignee", "due_at"], name="step_open_assignee", condition=OPEN_STEP
            ),
            models.Index(fields=["agency", "due_at"], name="step_open_agency", condition=OPEN_STEP),
            # "To assign" and the unassigned steps a role takes from its unit's queue.
            models.Index(
                fields=["agency", "role", "kind", "due_at"],
                name="step_open_unassigned",
                condition=OPEN_STEP & Q(assignee__isnull=True),
            ),
            # Running clocks by due time (calendar recomputation, reports). The
            # condition names ``paused`` so that the worklists' per-unit counts
            # cannot pick this index over ``step_open_agency`` (measured: the
            # planner did, scanning all 210,000 open steps for one unit's 12,000).
            models.Index(
                fields=["due_at"],
                name="step_open_due",
                condition=OPEN_STEP & Q(paused=False, due_at__isnull=False),
            ),
            models.Index(fields=["dossier", "started_at"], name="step_dossier"),
        ]
        constraints = [
            # One open workflow step per dossier; consultations run beside it.
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(completed_at__isnull=True) & ~Q(kind="consult"),
                name="one_open_step_per_dossier",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} · {self.order}. {self.name[:60]}"

    @property
    def is_open(self) -> bool:
        return self.completed_at is None


class Apology(models.Model):
    """Form 04: once per dossier, at least the configured notice before the deadline."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="apology"
    )
    reason = models.TextField(_("lý do chậm trễ"))
    original_due_at = models.DateTimeField(_("ngày hẹn trả ban đầu"))
    new_due_at = models.DateTimeField(_("ngày hẹn trả mới"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField()
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("phiếu xin lỗi và hẹn lại")
        verbose_name_plural = _("phiếu xin lỗi và hẹn lại")

    def __str__(self) -> str:
        return f"{self.dossier} → {self.new_due_at:%d/%m/%Y %H:%M}"


class SweepMark(models.Model):
    """The deadline sweep's last run and what it flipped (for monitoring;
    the sweep itself reads only the stored instants)."""

    name = models.CharField(max_length=32, unique=True)
    swept_until = models.DateTimeField(_("quét đến thời điểm"))
    full = models.BooleanField(_("quét toàn bộ"), default=False)
    ran_at = models.DateTimeField(_("chạy lúc"))
    report = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("mốc quét thời hạn")
        verbose_name_plural = _("mốc quét thời hạn")

    def __str__(self) -> str:
        return f"{self.name} → {self.swept_until:%Y-%m-%d %H:%M}"
