"""Permission-scoped reads of the sync dashboard (online-services.md §7.6).

The provincial office (``view_indicators`` held on the province root: it
monitors the 766 index, whose 1.4 this page predicts) sees every target and
unit; nobody else sees the page. Every list is one query (plus one count when
paginated), whatever the number of rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, IntegerField, Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from dossiers.models import Dossier
from tthc_portal.agencies.selectors import agency_perms_held, province_root

from .models import (
    Difference,
    EventStatus,
    ReconciliationRun,
    ReplyClass,
    SyncEvent,
    SyncTask,
    Target,
    UnmappedItem,
)
from .sync.breaker import breaker_state

OFFICE_PERM = "agencies.view_indicators"
RESYNC_AGENCY_PERMS = {"receive_dossiers", "process_dossiers"}
UNSENT = (EventStatus.PENDING, EventStatus.SENDING)


def sync_office_allowed(user) -> bool:
    """The provincial office: ``view_indicators`` on the province root."""
    if user is None or not user.is_authenticated:
        return False
    province = province_root()
    return province is not None and user.has_perm(OFFICE_PERM, province)


def dossier_resync_allowed(user, dossier: Dossier) -> bool:
    """The office, or an officer of the receiving unit who can correct the dossier."""
    if sync_office_allowed(user):
        return True
    if user is None or not user.is_authenticated:
        return False
    return bool(agency_perms_held(user, [dossier.receiving_agency_id]) & RESYNC_AGENCY_PERMS)


# --- backlog, breaker -------------------------------------------------------------------------


@dataclass
class BacklogRow:
    error_class: str
    label: str
    pending: int
    sending: int
    oldest: datetime.datetime | None


@dataclass
class TargetState:
    target: Target
    breaker: str
    rows: list[BacklogRow]
    pending: int = 0
    sending: int = 0
    oldest: datetime.datetime | None = None

    @property
    def total(self) -> int:
        return self.pending + self.sending

    @property
    def oldest_age(self) -> datetime.timedelta | None:
        return timezone.now() - self.oldest if self.oldest else None


def backlog_totals() -> tuple[int, datetime.datetime | None]:
    """(unsent rows, creation time of the oldest) over every target; one query."""
    totals = SyncEvent.objects.filter(status__in=UNSENT).aggregate(
        n=Count("pk"), oldest=Min("created_at")
    )
    return totals["n"], totals["oldest"]


def target_states(now: datetime.datetime | None = None) -> list[TargetState]:
    """Per target: breaker state and the unsent rows by error class (two queries)."""
    now = now or timezone.now()
    labels = dict(ReplyClass.choices)
    states = {t.pk: TargetState(t, breaker_state(t, now), []) for t in Target.objects.all()}
    grouped = (
        SyncEvent.objects.filter(status__in=UNSENT)
        .values("target_id", "error_class")
        .annotate(
            pending=Count("pk", filter=Q(status=EventStatus.PENDING)),
            sending=Count("pk", filter=Q(status=EventStatus.SENDING)),
            oldest=Min("created_at"),
        )
        .order_by("target_id", "error_class")
    )
    for row in grouped:
        state = states.get(row["target_id"])
        if state is None:
            continue
        label = (
            str(labels.get(row["error_class"], row["error_class"])) if row["error_class"] else ""
        )
        state.rows.append(
            BacklogRow(row["error_class"], label, row["pending"], row["sending"], row["oldest"])
        )
        state.pending += row["pending"]
        state.sending += row["sending"]
        if row["oldest"] and (state.oldest is None or row["oldest"] < state.oldest):
            state.oldest = row["oldest"]
    return list(states.values())


# --- lists ------------------------------------------------------------------------------------


def dead_letters() -> QuerySet[SyncTask]:
    """Open officer tasks (each born of a dead letter), newest first, with the
    number of refused rows of the dossier."""
    dead = (
        SyncEvent.objects.filter(dossier=OuterRef("dossier_id"), status=EventStatus.DEAD)
        .order_by()
        .values("dossier")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return (
        SyncTask.objects.filter(resolved_at__isnull=True)
        .annotate(dead_rows=Subquery(dead, output_field=IntegerField()))
        .select_related("dossier", "agency")
        .order_by("-created_at", "-pk")
    )


def unmapped_open() -> QuerySet[UnmappedItem]:
    return UnmappedItem.objects.filter(resolved_at__isnull=True).select_related("target")


def latest_run() -> ReconciliationRun | None:
    return ReconciliationRun.objects.select_related("target").order_by("-started_at", "-pk").first()


def run_differences(run: ReconciliationRun) -> QuerySet[Difference]:
    return (
        Difference.objects.filter(run=run)
        .select_related("resynced_by")
        .order_by("code", "kind", "field", "pk")
    )


# --- per-unit counts, local vs national ---------------------------------------------------------


@dataclass
class UnitCount:
    agency_id: int | None
    name: str
    unit_code: str
    received: int = 0
    synced: int = 0
    national: int | None = None
    national_synced: int | None = None
    official_14: Decimal | None = None

    @property
    def denominator(self) -> int:
        """1.4: max(national reporting total, synced); no national figure: the portal's count."""
        return max(self.national if self.national is not None else self.received, self.synced)

    @property
    def predicted_14(self) -> Decimal | None:
        if not self.denominator:
            return None
        ratio = Decimal(100 * self.synced) / self.denominator
        return ratio.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def gap(self) -> int | None:
        return None if self.national is None else self.received - self.national


def unit_counts(today: datetime.date | None = None) -> tuple[str, list[UnitCount], UnitCount]:
    """(period label, per receiving unit, province total) for the current month:
    dossiers received locally and synced, beside the hub's latest figures. Three queries."""
    from feedback.selectors import period_bounds

    from .reconcile.figures import RECEIVED, SYNCED, current_month, latest_figures

    key, label, start, end = current_month(today)
    since, until = period_bounds(start, end)
    local = (
        Dossier.objects.filter(received_at__gte=since, received_at__lt=until)
        .values("receiving_agency_id", "receiving_agency__name", "receiving_agency__code")
        .annotate(received=Count("pk"), synced=Count("pk", filter=Q(sync__received_synced=True)))
        .order_by("receiving_agency__path")
    )
    units: dict[object, UnitCount] = {}
    for row in local:
        units[row["receiving_agency_id"]] = UnitCount(
            row["receiving_agency_id"], row["receiving_agency__name"],
            row["receiving_agency__code"], row["received"], row["synced"],
        )  # fmt: skip
    figures = latest_figures(key, [RECEIVED, SYNCED, "1.4"]).values_list(
        "agency_id", "agency__name", "unit_code", "key", "value"
    )
    for agency_id, name, code, figure_key, value in figures.order_by("unit_code"):
        unit = units.get(agency_id or code)
        if unit is None:
            unit = units[agency_id or code] = UnitCount(agency_id, name or code, code)
        if value is None:
            continue
        if figure_key == RECEIVED:
            unit.national = int(value)
        elif figure_key == SYNCED:
            unit.national_synced = int(value)
        else:
            unit.official_14 = value
    rows = list(units.values())
    total = UnitCount(None, "", "")
    total.received = sum(u.received for u in rows)
    total.synced = sum(u.synced for u in rows)
    if any(u.national is not None for u in rows):
        total.national = sum(u.national if u.national is not None else u.received for u in rows)
    return label, rows, total
