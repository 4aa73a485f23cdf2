"""Permission-scoped reads for Decision 1085 tracking (internal procedures).

Progress is computed per unit by two aggregate queries (inventory and plans),
whatever the number of units or plans; totals add the units' figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from tthc_portal.agencies.models import Agency
from tthc_portal.agencies.selectors import agencies_for_user

from .models import Procedure, ProcedureVersion, SimplificationPlan, SimplificationTarget
from .services.simplification import SIMPLIFICATION_PERMS

HUNDRED = Decimal(100)

# How a measure stands against its target; every state is a word on the page.
STANDING_LABELS = {
    "met": _("Đạt"),
    "missed": _("Không đạt (đã quá hạn)"),
    "planned": _("Phương án đủ, đang thực hiện"),
    "short": _("Phương án chưa đủ mức cắt giảm"),
    "no_data": _("Chưa có số liệu"),
}


def targets() -> QuerySet[SimplificationTarget]:
    return SimplificationTarget.objects.all()


def target_in_force(today: date, pk: int | None = None) -> SimplificationTarget | None:
    """The target chosen on the page, else the latest one applicable today."""
    if pk is not None:
        chosen = SimplificationTarget.objects.filter(pk=pk).first()
        if chosen is not None:
            return chosen
    return (
        SimplificationTarget.objects.filter(valid_from__lte=today)
        .order_by("-valid_from", "-pk")
        .first()
    )


def editable_agencies(user) -> QuerySet[Agency]:
    """Units whose inventory and plans the user may enter."""
    ids = set()
    for perm in SIMPLIFICATION_PERMS:
        ids |= set(agencies_for_user(user, perm).values_list("pk", flat=True))
    return Agency.objects.filter(pk__in=ids).order_by("path")


def plans_for_user(user) -> QuerySet[SimplificationPlan]:
    latest_name = ProcedureVersion.objects.filter(procedure=OuterRef("procedure")).order_by(
        "-number"
    )
    return (
        SimplificationPlan.objects.filter(agency__in=agencies_for_user(user, "view_agency_records"))
        .select_related("agency", "procedure")
        .annotate(procedure_name=Subquery(latest_name.values("name")[:1]))
        .order_by("agency__path", "pk")
    )


def internal_procedures(agencies) -> QuerySet[Procedure]:
    """Internal procedures of ``agencies``, with their latest name, unit and plan."""
    latest = ProcedureVersion.objects.filter(procedure=OuterRef("pk")).order_by("-number")
    return (
        Procedure.objects.filter(
            versions__is_internal=True, versions__implementing_agency__in=agencies
        )
        .distinct()
        .annotate(
            latest_name=Subquery(latest.values("name")[:1]),
            latest_version=Subquery(latest.values("pk")[:1]),
            latest_scope=Subquery(latest.values("internal_scope")[:1]),
            agency_name=Subquery(latest.values("implementing_agency__name")[:1]),
            plan_id=Subquery(
                SimplificationPlan.objects.filter(procedure=OuterRef("pk")).values("pk")[:1]
            ),
        )
        .order_by("agency_name", "code", "pk")
    )


@dataclass
class Measure:
    """One target (number or cost) for one unit: planned and achieved by the deadline."""

    base: int
    planned: int
    achieved: int
    target: Decimal
    overdue: bool

    def _percent(self, part: int) -> Decimal | None:
        return (Decimal(part) * HUNDRED / Decimal(self.base)) if self.base else None

    @property
    def planned_percent(self) -> Decimal | None:
        return self._percent(self.planned)

    @property
    def achieved_percent(self) -> Decimal | None:
        return self._percent(self.achieved)

    @property
    def standing(self) -> str:
        if not self.base:
            return "no_data"
        if self.achieved_percent >= self.target:
            return "met"
        if self.overdue:
            return "missed"
        return "planned" if self.planned_percent >= self.target else "short"

    @property
    def standing_label(self) -> str:
        return str(STANDING_LABELS[self.standing])


@dataclass
class ProgressRow:
    agency: Agency | None
    internal: int
    plans: int
    approved: int
    late: int
    cost_before: int
    cost_after_planned: int
    cost_after_achieved: int
    count: Measure = field(init=False)
    cost: Measure = field(init=False)
    target: SimplificationTarget | None = None
    overdue: bool = False

    def __post_init__(self) -> None:
        count_target = self.target.count_cut_percent if self.target else Decimal(20)
        cost_target = self.target.cost_cut_percent if self.target else Decimal(20)
        self.count = Measure(self.internal, 0, 0, count_target, self.overdue)
        self.cost = Measure(
            self.cost_before,
            self.cost_before - self.cost_after_planned,
            self.cost_before - self.cost_after_achieved,
            cost_target,
            self.overdue,
        )


@dataclass
class Progress:
    target: SimplificationTarget | None
    today: date
    rows: list[ProgressRow]
    total: ProgressRow

    @property
    def days_left(self) -> int | None:
        return (self.target.completion_due - self.today).days if self.target else None


def simplification_progress(user, target: SimplificationTarget | None, today: date) -> Progress:
    """Per unit in the user's scope, and in total: internal procedures cut (number) and
    compliance cost cut, as planned and as achieved by the target's deadline.

    - The number base is the unit's inventory of internal procedures (every procedure
      that has an internal version implemented by the unit); a procedure counts as cut
      when its plan abolishes it.
    - The cost base is the yearly compliance cost before simplification of the
      procedures that have a plan; a plan's saving counts as achieved once it was
      carried out on or before the deadline (a carried-out plan without a date,
      recorded before dates were kept, counts as done).
    - A unit with no inventory, or no cost figures, has no data for that measure
      (never 0 % or 100 %).
    """
    agencies = agencies_for_user(user, "view_agency_records")
    due = target.completion_due if target else None
    overdue = due is not None and today > due
    inventory = dict(
        ProcedureVersion.objects.filter(is_internal=True, implementing_agency__in=agencies)
        .values_list("implementing_agency")
        .annotate(n=Count("procedure", distinct=True))
    )
    done = Q(implemented_on__isnull=False) | Q(implemented=True)
    if due is not None:
        done = Q(implemented_on__lte=due) | Q(implemented=True, implemented_on__isnull=True)
    late = Q(implemented_on__gt=due) if due is not None else Q(pk__in=[])
    plans = {
        row["agency"]: row
        for row in SimplificationPlan.objects.filter(agency__in=agencies)
        .values("agency")
        .annotate(
            plans=Count("pk"),
            approved=Count("pk", filter=Q(approved_on__isnull=False)),
            cut_planned=Count("procedure", distinct=True, filter=Q(abolish=True)),
            cut_achieved=Count("procedure", distinct=True, filter=Q(abolish=True) & done),
            late=Count("pk", filter=late),
            cost_before=Coalesce(Sum("cost_before_vnd"), 0),
            cost_after_planned=Coalesce(Sum("cost_after_vnd"), 0),
            # Until a plan is carried out, its procedure still costs what it did.
            cost_after_achieved=Coalesce(
                Sum(
                    Case(
                        When(done, then=F("cost_after_vnd")),
                        default=F("cost_before_vnd"),
                        output_field=BigIntegerField(),
                    )
                ),
                Value(0),
            ),
        )
    }
    rows = []
    for agency in Agency.objects.filter(pk__in=set(plans) | set(inventory)).order_by("path"):
        plan = plans.get(agency.pk, {})
        row = ProgressRow(
            agency=agency,
            internal=inventory.get(agency.pk, 0),
            plans=plan.get("plans", 0),
            approved=plan.get("approved", 0),
            late=plan.get("late", 0),
            cost_before=plan.get("cost_before", 0),
            cost_after_planned=plan.get("cost_after_planned", 0),
            cost_after_achieved=plan.get("cost_after_achieved", 0),
            target=target,
            overdue=overdue,
        )
        row.count.planned = plan.get("cut_planned", 0)
        row.count.achieved = plan.get("cut_achieved", 0)
        rows.append(row)
    total = ProgressRow(
        agency=None,
        internal=sum(r.internal for r in rows),
        plans=sum(r.plans for r in rows),
        approved=sum(r.approved for r in rows),
        late=sum(r.late for r in rows),
        cost_before=sum(r.cost_before for r in rows),
        cost_after_planned=sum(r.cost_after_planned for r in rows),
        cost_after_achieved=sum(r.cost_after_achieved for r in rows),
        target=target,
        overdue=overdue,
    )
    total.count.planned = sum(r.count.planned for r in rows)
    total.count.achieved = sum(r.count.achieved for r in rows)
    return Progress(target=target, today=today, rows=rows, total=total)
