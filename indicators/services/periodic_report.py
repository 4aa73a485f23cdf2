"""Periodic report on the results of handling procedures (form II.06a shape).

Per procedure field or per receiving unit, with a total row:

* received: in the period online / in person and by post, plus carried over
  (received earlier, still open when the period began);
* processed in the period: early, on time, late;
* in progress at its end: within deadline, overdue.

It reuses the 766 engine's per-dossier values (``engine.rows``): the same end
time (processed > returned > stopped), the same supplement rules (pauses
subtracted, more than one request ⇒ late) and the same judging of open
dossiers at the period end. Early versus on time follows the rule set's
``early_rule`` (dossier-lifecycle.md §8, unconfirmed): by default a dossier
is early when its local end date is before the local date of its deadline.
One grouped aggregate over the period's temporary table, one query for names.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from feedback.selectors import period_bounds
from procedures.models import Field
from tthc_portal.agencies.models import Agency

from .. import engine
from ..engine.rows import in_period_scope
from ..engine.table import dossier_rows
from ..models import EarlyRule, IndexRuleSet
from . import IndicatorError

GROUPS = {"field": "field_id", "agency": "receiving_agency_id"}
COUNTS = (
    "received_online",
    "received_offline",
    "carried_over",
    "processed_early",
    "processed_on_time",
    "processed_late",
    "in_progress_on_time",
    "in_progress_overdue",
)


@dataclass
class PeriodicRow:
    key: int | None  # field or agency id; None on the total row
    code: str
    name: str
    received_online: int = 0
    received_offline: int = 0  # in person and by public postal service
    carried_over: int = 0
    processed_early: int = 0
    processed_on_time: int = 0
    processed_late: int = 0
    in_progress_on_time: int = 0
    in_progress_overdue: int = 0
    is_total: bool = False

    @property
    def received_in_period(self) -> int:
        return self.received_online + self.received_offline

    @property
    def received_total(self) -> int:
        """= processed_total + in_progress_total."""
        return self.received_in_period + self.carried_over

    @property
    def processed_total(self) -> int:
        return self.processed_early + self.processed_on_time + self.processed_late

    @property
    def in_progress_total(self) -> int:
        return self.in_progress_on_time + self.in_progress_overdue

    @property
    def on_time_percent(self) -> Decimal | None:
        """Processed early or on time, % of processed (None when nothing was processed)."""
        if not self.processed_total:
            return None
        share = Decimal(self.processed_early + self.processed_on_time) * 100
        return (share / self.processed_total).quantize(Decimal("0.01"))


def periodic_report(
    *,
    start: datetime.date,
    end: datetime.date,
    group_by: str,
    agency_ids: list[int] | None = None,
) -> list[PeriodicRow]:
    """Rows by ``group_by`` ("field" or "agency": the receiving unit) for the
    dossiers of ``agency_ids``' subtrees (None: the province), then a total row."""
    if group_by not in GROUPS:
        raise IndicatorError(_("Chỉ tổng hợp được theo lĩnh vực hoặc theo đơn vị."))
    if end < start:
        raise IndicatorError(_("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."))
    try:
        rule_set = IndexRuleSet.in_force(start)
    except IndexRuleSet.DoesNotExist:
        raise IndicatorError(_("Chưa có bộ chỉ số áp dụng cho kỳ này.")) from None
    ids = None
    if agency_ids is not None:
        ids = engine.resolve_scope(agency_ids).member_ids
    since, until = period_bounds(start, end)
    tz = timezone.get_current_timezone()
    column = GROUPS[group_by]
    processed = Q(end_at__lt=until)
    on_time, late = Q(on_time=1), Q(on_time=0)
    if rule_set.early_rule == EarlyRule.EARLIER_DATE:
        early = Q(end_day__lt=F("due_day"))
    else:
        early = Q(pk__isnull=True)  # never: early dossiers count as on time
    counts = {
        "received_online": Count("pk", filter=Q(received_at__gte=since, channel=2)),
        "received_offline": Count("pk", filter=Q(received_at__gte=since) & ~Q(channel=2)),
        "carried_over": Count("pk", filter=Q(received_at__lt=since)),
        "processed_early": Count("pk", filter=processed & on_time & early),
        "processed_on_time": Count("pk", filter=processed & on_time & ~early),
        "processed_late": Count("pk", filter=processed & late),
        "in_progress_on_time": Count("pk", filter=~processed & on_time),
        "in_progress_overdue": Count("pk", filter=~processed & late),
    }
    with dossier_rows(since=since, until=until, rule_set=rule_set, agency_ids=ids) as rows:
        grouped = list(
            rows.filter(in_period_scope(since))
            .annotate(
                end_day=TruncDate("end_at", tzinfo=tz), due_day=TruncDate("deadline", tzinfo=tz)
            )
            .values(column)
            .annotate(**counts)
            .order_by()
        )
    keys = [row[column] for row in grouped]
    model = Field if group_by == "field" else Agency
    labels = {
        pk: (code, name)
        for pk, code, name in model.objects.filter(pk__in=keys).values_list("pk", "code", "name")
    }
    result = [
        PeriodicRow(row[column], *labels.get(row[column], ("", "")), **{k: row[k] for k in COUNTS})
        for row in grouped
    ]
    result.sort(key=lambda r: (r.name, r.code))
    total = PeriodicRow(None, "", _("Tổng cộng"), is_total=True)
    for row in result:
        for name in COUNTS:
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return [*result, total]


# --- files ----------------------------------------------------------------------------------------

HEADERS = (
    ("received_total", gettext_lazy("Tổng số hồ sơ tiếp nhận")),
    ("received_online", gettext_lazy("Trong kỳ: trực tuyến")),
    ("received_offline", gettext_lazy("Trong kỳ: trực tiếp và bưu chính công ích")),
    ("carried_over", gettext_lazy("Từ kỳ trước chuyển sang")),
    ("processed_total", gettext_lazy("Đã giải quyết: tổng số")),
    ("processed_early", gettext_lazy("Đã giải quyết: trước hạn")),
    ("processed_on_time", gettext_lazy("Đã giải quyết: đúng hạn")),
    ("processed_late", gettext_lazy("Đã giải quyết: quá hạn")),
    ("in_progress_total", gettext_lazy("Đang giải quyết: tổng số")),
    ("in_progress_on_time", gettext_lazy("Đang giải quyết: trong hạn")),
    ("in_progress_overdue", gettext_lazy("Đang giải quyết: quá hạn")),
)


def _values(row: PeriodicRow) -> list[int]:
    return [getattr(row, name) for name, _label in HEADERS]


__all__ = ["PeriodicRow", "periodic_report"]
