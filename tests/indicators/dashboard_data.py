"""Stored 766 results for the dashboard tests: a province, its departments and
communes, and one IndicatorResult per criterion per unit, scored through
``scoring`` exactly as the engine does (the province row pools the counts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from indicators import scoring
from indicators.defaults import ensure_default_rule_set
from indicators.models import Criterion, IndicatorResult, ReportPeriod, Source
from indicators.services.periods import period_get_or_create
from tests.factories import AgencyFactory, make_staff
from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.models import Agency, AgencyKind
from tthc_portal.agencies.services import agency_groups_sync

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
FEBRUARY = (date(2025, 2, 1), date(2025, 2, 28))
MONTHS = [(date(2025, 3, 1), date(2025, 3, 31)), (date(2025, 4, 1), date(2025, 4, 30))]
NOT_OBSERVED = ("1.1", "1.2", "1.3", "2.2", "3.1", "3.2", "3.5", "3.5b", "4.6")


@dataclass
class Tree:
    province: Agency
    departments: list[Agency]
    communes: list[Agency]
    staff: dict[str, object] = field(default_factory=dict)

    @property
    def units(self) -> list[Agency]:
        return [self.province, *self.departments, *self.communes]


def build_tree(departments: int = 2, communes: int = 2) -> Tree:
    province = AgencyFactory(name="UBND tỉnh Thử", kind=AgencyKind.PROVINCE)
    tree = Tree(
        province,
        [
            AgencyFactory(name=f"Sở Thử {i + 1}", kind=AgencyKind.DEPARTMENT, parent=province)
            for i in range(departments)
        ],
        [
            AgencyFactory(name=f"UBND xã Thử {i + 1}", kind=AgencyKind.COMMUNE, parent=province)
            for i in range(communes)
        ],
    )
    for agency in tree.units:
        agency_groups_sync(agency)
    tree.staff["office"] = make_staff(Role.PROVINCIAL_STAFF, province)
    tree.staff["head"] = make_staff(Role.DEPARTMENT_HEAD, tree.departments[0])
    return tree


def add_units(tree: Tree, departments: int, communes: int) -> None:
    """More departments and communes under the same province."""
    province = tree.province
    start = len(tree.departments)
    new = [
        AgencyFactory(name=f"Sở Thử {start + i + 1}", kind=AgencyKind.DEPARTMENT, parent=province)
        for i in range(departments)
    ]
    tree.departments.extend(new)
    start = len(tree.communes)
    more = [
        AgencyFactory(name=f"UBND xã Thử {start + i + 1}", kind=AgencyKind.COMMUNE, parent=province)
        for i in range(communes)
    ]
    tree.communes.extend(more)
    for agency in [*new, *more]:
        agency_groups_sync(agency)


def _counts(index: int, code: str) -> tuple[int, int]:
    """Different, deterministic counts per unit and criterion."""
    denominator = 10 + index
    numerator = (index * 3 + len(code) + int(code.replace(".", "")[:2])) % (denominator + 1)
    return numerator, denominator


def store_results(tree: Tree, start: date, end: date, *, shift: int = 0) -> ReportPeriod:
    """One row per criterion for every unit, and the pooled province row."""
    rule_set = ensure_default_rule_set()
    criteria = list(Criterion.objects.filter(rule_set=rule_set).select_related("group"))
    period = period_get_or_create(f"{start:%Y-%m}")
    assert (period.start, period.end) == (start, end)
    computed = datetime(end.year, end.month, end.day, 23, tzinfo=TZ)
    rows, pooled = [], {}
    units = [*tree.departments, *tree.communes]
    for index, agency in enumerate(units):
        for criterion in criteria:
            n, d = _counts(index + shift, criterion.code)
            pooled.setdefault(criterion.code, [0, 0])
            pooled[criterion.code][0] += n
            pooled[criterion.code][1] += d
            rows.append(_row(period, criterion, agency.pk, n, d, computed))
    for criterion in criteria:
        n, d = pooled[criterion.code]
        rows.append(_row(period, criterion, None, n, d, computed))
        # The province unit's own row: its subtree is everything, as the engine computes it.
        rows.append(_row(period, criterion, tree.province.pk, n, d, computed))
    IndicatorResult.objects.bulk_create(rows)
    ReportPeriod.objects.filter(pk=period.pk).update(computed_at=computed)
    return period


def _row(period, criterion, agency_id, n, d, computed) -> IndicatorResult:
    observable = criterion.code not in NOT_OBSERVED
    if not observable:
        n = d = 0
    ratio, score = scoring.score(criterion.rule, n, d)
    return IndicatorResult(
        period=period,
        rule_set_id=period.rule_set_id,
        period_start=period.start,
        period_end=period.end,
        agency_id=agency_id,
        criterion_code=criterion.code,
        group_code=criterion.group.code,
        source=Source.RECORDS if observable else Source.FLAGS,
        numerator=Decimal(n),
        denominator=Decimal(d),
        ratio=ratio,
        score=score,
        max_points=criterion.max_points,
        observable=observable,
        note="" if observable else "Cổng không tự quan sát được.",
        computed_at=computed,
    )
