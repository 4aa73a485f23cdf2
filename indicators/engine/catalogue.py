"""Catalogue and publication criteria (indicators-766.md §3.1, §3.3, §3.4).

* 1.1, 1.2, 1.3 are province-level: one value, shown for every unit.
* 3.1, 3.2, 3.5, 3.5b count procedures under a unit's authority: those its
  subtree implements, plus — for units with communes — the commune-level
  procedures published without a named implementing agency (they apply to
  every commune). The province counts each procedure once: all of them for
  3.1/3.2, the provincial-level ones for 3.5/3.5b.

One query loads the current catalogue (a few thousand rows at most); the
sets per unit are built in Python. The drill-down builds the same sets as
querysets with ``procedures_in_authority``; a test keeps both in step.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from procedures.models import (
    ChangeType,
    ComponentRequirement,
    FeeItem,
    Level,
    OnlineLevel,
    Procedure,
    PublicationItem,
    VersionStatus,
)
from procedures.publication_dates import posting_failed
from tthc_portal.agencies.models import AgencyKind

from ..models import IndexRuleSet, PostingRule
from .rows import flag

COMMUNE_LEVELS = (Level.COMMUNE, Level.PROVINCE_AND_COMMUNE)
PROVINCIAL_LEVELS = (Level.PROVINCE, Level.PROVINCE_AND_COMMUNE)
ONLINE_LEVELS = (OnlineLevel.FULL, OnlineLevel.PARTIAL)
# 1.1 counts procedures that a decision issues, amends or abolishes.
PUBLISHED_CHANGES = (ChangeType.NEW, ChangeType.AMENDED, ChangeType.REPLACED, ChangeType.ABOLISHED)
# Upper bound, in calendar days, of "N working days" (Tết included) for the 1.2 pre-filter.
WORKING_DAYS_SPAN = 30


def current_catalogue(day: datetime.date) -> QuerySet[Procedure]:
    """Procedures in force on ``day``: current version published, not internal,
    not abolished by then."""
    return Procedure.objects.filter(
        current_version__status=VersionStatus.PUBLISHED, current_version__is_internal=False
    ).filter(Q(abolished_on__isnull=True) | Q(abolished_on__gt=day))


def fee_bearing_q() -> Q:
    return Q(Exists(FeeItem.objects.filter(version=OuterRef("current_version"), amount_vnd__gt=0)))


@dataclass(frozen=True)
class CatalogueProcedure:
    id: int
    agency_id: int | None
    level: str
    online: bool
    full_online: bool
    full_online_eligible: bool
    fee_bearing: bool


@dataclass
class Catalogue:
    procedures: dict[int, CatalogueProcedure] = field(default_factory=dict)
    by_agency: dict[int, set[int]] = field(default_factory=dict)
    generic_commune: set[int] = field(default_factory=set)

    def authority(self, agency_ids: Iterable[int], has_commune: bool) -> set[int]:
        found: set[int] = set()
        for agency_id in agency_ids:
            found |= self.by_agency.get(agency_id, set())
        if has_commune:
            found |= self.generic_commune
        return found

    def province(self) -> set[int]:
        return set(self.procedures)


def load_catalogue(day: datetime.date) -> Catalogue:
    rows = current_catalogue(day).values_list(
        "pk",
        "current_version__implementing_agency_id",
        "current_version__level",
        "current_version__online_level",
        "current_version__full_online_eligible",
    )
    fee_ids = set(current_catalogue(day).filter(fee_bearing_q()).values_list("pk", flat=True))
    catalogue = Catalogue()
    for (
        pk,
        agency_id,
        level,
        online_level,
        eligible,
    ) in rows:
        item = CatalogueProcedure(
            pk,
            agency_id,
            level,
            online_level in ONLINE_LEVELS,
            online_level == OnlineLevel.FULL,
            bool(eligible),
            pk in fee_ids,
        )
        catalogue.procedures[pk] = item
        if agency_id is not None:
            catalogue.by_agency.setdefault(agency_id, set()).add(pk)
        elif level in COMMUNE_LEVELS:
            catalogue.generic_commune.add(pk)
    return catalogue


def procedures_in_authority(
    day: datetime.date, agency=None, *, provincial_only: bool = False
) -> QuerySet[Procedure]:
    """The same set as ``Catalogue.authority`` (unit) or ``Catalogue.province``, as a queryset."""
    procedures = current_catalogue(day)
    if agency is None:
        if provincial_only:
            procedures = procedures.filter(current_version__level__in=PROVINCIAL_LEVELS)
        return procedures
    from tthc_portal.agencies.models import Agency

    subtree = Agency.objects.filter(path__startswith=agency.path)
    scope = Q(current_version__implementing_agency__in=subtree.values("pk"))
    if subtree.filter(kind=AgencyKind.COMMUNE).exists():
        scope |= Q(
            current_version__implementing_agency__isnull=True,
            current_version__level__in=COMMUNE_LEVELS,
        )
    return procedures.filter(scope)


# --- 1.1–1.3: province-level publication criteria ------------------------------------------


@dataclass(frozen=True)
class Ratio:
    numerator: int
    denominator: int
    note: str = ""


def _procedure_key(procedure_id, code, name, item_id) -> tuple:
    """A procedure appearing in several decisions counts once (§2 "Count once")."""
    if procedure_id:
        return ("p", procedure_id)
    if code:
        return ("c", code)
    return ("n", name or item_id)


def decision_items(start: datetime.date, end: datetime.date) -> QuerySet[PublicationItem]:
    """1.1 denominator rows: procedures of decisions dated in the period."""
    return PublicationItem.objects.filter(
        task__chairman_decision_date__gte=start,
        task__chairman_decision_date__lte=end,
        change_type__in=PUBLISHED_CHANGES,
    )


def decision_late_q() -> Q:
    """Signed later than N working days before the legal basis takes effect
    (the due date is stored on the task; none stored: cannot be late)."""
    return Q(task__decision_due__isnull=False) & Q(
        task__chairman_decision_date__gt=F("task__decision_due")
    )


def criterion_11(start: datetime.date, end: datetime.date) -> tuple[Ratio, set[int]]:
    """(ratio, ids of the late items). Late once in the period ⇒ late for it."""
    rows = decision_items(start, end).values_list(
        "pk",
        "procedure_id",
        "procedure_code",
        "procedure_name",
        "task__chairman_decision_date",
        "task__decision_due",
    )
    late_by_key: dict[tuple, bool] = {}
    late_items: set[int] = set()
    for pk, procedure_id, code, name, decided, due in rows:
        late = due is not None and decided > due
        k = _procedure_key(procedure_id, code, name, pk)
        late_by_key[k] = late_by_key.get(k, False) or late
        if late:
            late_items.add(pk)
    on_time = sum(1 for late in late_by_key.values() if not late)
    return Ratio(on_time, len(late_by_key)), late_items


def criterion_12(
    start: datetime.date, end: datetime.date, rule_set: IndexRuleSet
) -> tuple[Ratio, set[int]]:
    """Posted on the national database within N working days of the decision.

    Denominator: procedures posted in the period, plus those decided and not
    yet posted at its end that the configured rule brings in (§3.1, 1.2).
    Late or not is ``posting_failed``, the rule the publication board shows.
    """
    horizon = end + datetime.timedelta(days=WORKING_DAYS_SPAN)
    posted = Q(task__posted_on__gte=start, task__posted_on__lte=end)
    unposted = (
        Q(task__chairman_decision_date__isnull=False, task__chairman_decision_date__lte=horizon)
        & (Q(task__posted_on__isnull=True) | Q(task__posted_on__gt=end))
        & ~Q(task__posted_on__lt=start)
    )
    rows = list(
        PublicationItem.objects.filter(posted | unposted).values_list(
            "pk",
            "procedure_id",
            "procedure_code",
            "procedure_name",
            "task__posted_on",
            "task__posting_due",
            "task__chairman_decision_date",
        )
    )
    limit: datetime.date | None = None
    late_by_key: dict[tuple, bool] = {}
    late_items: set[int] = set()
    for pk, procedure_id, code, name, posted_on, due, decided in rows:
        if posted_on is None or not start <= posted_on <= end:
            if rule_set.posting_rule == PostingRule.DUE_BY_END:
                counted = due is not None and due <= end
            else:
                if limit is None:
                    limit = _working_days_after(end, rule_set.posting_working_days)
                counted = decided <= limit
            if not counted:
                continue
        # The board's rule, judged at the period end: unposted and not yet due is
        # within the deadline, as on the publication board.
        late = posting_failed(due, posted_on, end)
        k = _procedure_key(procedure_id, code, name, pk)
        late_by_key[k] = late_by_key.get(k, False) or late
        if late:
            late_items.add(pk)
    on_time = sum(1 for late in late_by_key.values() if not late)
    return Ratio(on_time, len(late_by_key)), late_items


def _working_days_after(day: datetime.date, days: int) -> datetime.date:
    from procedures.services.publication import shift_working_days
    from tthc_portal.workdays.services import get_calendar

    return shift_working_days(get_calendar(), day, days)


# The seven constituent parts of Decree 63/2010 Art. 8(2), first missing one named.
PARTS: tuple[tuple[Q, Promise], ...] = (
    (~Q(current_version__name=""), _("Thiếu tên thủ tục")),
    (~Q(current_version__steps_text=""), _("Thiếu trình tự thực hiện")),
    (
        ~Q(current_version__channels_text="")
        | Q(current_version__channel_in_person=True)
        | Q(current_version__channel_online=True)
        | Q(current_version__channel_postal=True),
        _("Thiếu cách thức thực hiện"),
    ),
    (
        Q(Exists(ComponentRequirement.objects.filter(version=OuterRef("current_version")))),
        _("Thiếu thành phần, số lượng hồ sơ"),
    ),
    (
        Q(current_version__time_limit__isnull=False)
        | Q(current_version__time_unit__in=["same_day", "immediate"])
        | ~Q(current_version__time_text=""),
        _("Thiếu thời hạn giải quyết"),
    ),
    (~Q(current_version__applicant_types=[]), _("Thiếu đối tượng thực hiện")),
    (
        Q(current_version__implementing_agency__isnull=False)
        | ~Q(current_version__implementing_agency_text=""),
        _("Thiếu cơ quan thực hiện"),
    ),
)


def complete_q() -> Q:
    condition = Q()
    for part, _reason in PARTS:
        condition &= part
    return condition


def criterion_13(day: datetime.date) -> Ratio:
    """Procedures currently posted with all seven parts ("as of now")."""
    counts = current_catalogue(day).aggregate(d=Count("pk"), n=Coalesce(Sum(flag(complete_q())), 0))
    return Ratio(counts["n"], counts["d"])
