"""From pooled counts to criterion results: pure Python, no queries."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .. import scoring
from ..criteria import PROVINCE_LEVEL, UNOBSERVABLE, Code
from ..models import Criterion, IndexRuleSet, Source
from .catalogue import Catalogue, Ratio
from .rows import key

CENT = Decimal("0.01")


@dataclass
class CriterionResult:
    agency_id: int | None  # None: the province (pooled)
    code: str
    numerator: Decimal
    denominator: Decimal
    ratio: Decimal
    score: Decimal
    max_points: Decimal
    observable: bool = True
    note: str = ""
    group_code: str = ""
    source: str = Source.RECORDS
    # At the period end if nothing changes (engine.forecast); None: not computed.
    forecast_numerator: Decimal | None = None
    forecast_ratio: Decimal | None = None
    forecast_score: Decimal | None = None


@dataclass
class ProcedureUse:
    """What a unit's dossiers of the period did with one procedure (OR over dossiers)."""

    citizen: bool = False
    population: bool = False
    online: bool = False
    fee_listed: bool = False
    paid_online: bool = False


@dataclass
class UnitInput:
    """Everything one unit's (or the province's) criteria are computed from."""

    counts: Mapping[str, int]
    uses: dict[int, ProcedureUse]
    authority: set[int]
    fee_authority: set[int]
    last_year: int
    periods_per_year: int
    national_total: int | None
    pakn: Mapping[str, int]
    publication: Mapping[str, Ratio]
    catalogue: Catalogue
    processing_time: datetime.timedelta = field(default_factory=datetime.timedelta)


class Scorer:
    def __init__(self, criteria: dict[str, Criterion], agency_id: int | None):
        self.criteria = criteria
        self.agency_id = agency_id
        self.results: list[CriterionResult] = []

    def add(self, code, numerator, denominator, *, note="", fraction=None, source=None):
        criterion = self.criteria.get(code)
        if criterion is None:
            return
        if fraction is None:
            ratio, points = scoring.score(criterion.rule, numerator, denominator)
        elif Decimal(denominator) <= 0:
            ratio, points = scoring.score(criterion.rule, 0, 0)
        else:
            ratio, points = scoring.score_fraction(criterion.rule, fraction)
        self.results.append(
            CriterionResult(
                self.agency_id,
                code,
                Decimal(numerator),
                Decimal(denominator),
                ratio,
                points,
                criterion.max_points,
                True,
                note,
                criterion.group.code,
                source or criterion.source,
            )
        )

    def unobservable(self, code, note):
        criterion = self.criteria.get(code)
        if criterion is None:
            return
        if criterion.fallback_ratio is None:
            ratio, points, source = Decimal("0.00"), Decimal("0.00"), Source.UNAVAILABLE
        else:
            ratio, points = scoring.score_fraction(criterion.rule, criterion.fallback_ratio / 100)
            source = Source.FALLBACK
        self.results.append(
            CriterionResult(
                self.agency_id,
                code,
                Decimal(0),
                Decimal(0),
                ratio,
                points,
                criterion.max_points,
                False,
                note,
                criterion.group.code,
                source,
            )
        )


def _c(counts: Mapping[str, int], prefix: str, code: str) -> int:
    return counts.get(f"{prefix}{key(code)}", 0)


def unit_results(scorer: Scorer, unit: UnitInput, rule_set: IndexRuleSet) -> None:
    c = unit.counts
    received = c.get("received", 0)

    for code in PROVINCE_LEVEL:
        ratio = unit.publication.get(code)
        if ratio is not None:
            note = ratio.note or (_("Giá trị toàn tỉnh") if scorer.agency_id else "")
            scorer.add(code, ratio.numerator, ratio.denominator, note=note)

    # 1.4: synced / max(national reporting total, synced); no volume → last year's.
    synced = _c(c, "n", Code.DOSSIER_SYNC)
    note_14 = "" if unit.national_total is not None else _("Mẫu số: số hồ sơ cổng tự ghi nhận.")
    d14 = Decimal(max(unit.national_total if unit.national_total is not None else received, synced))
    if d14 == 0 and unit.last_year:
        d14 = (Decimal(unit.last_year) / unit.periods_per_year).quantize(CENT)
        note_14 = _("Mẫu số: bình quân năm trước.")
    scorer.add(Code.DOSSIER_SYNC, synced, d14, note=note_14)

    d21, n21 = _c(c, "d", Code.ON_TIME), _c(c, "n", Code.ON_TIME)
    scorer.add(Code.ON_TIME, n21, d21)
    finished = c.get("n22", 0)
    days = Decimal(unit.processing_time.total_seconds()) / 86400
    note_22 = (
        _("Bình quân %(days)s ngày/hồ sơ (theo ngày lịch)")
        % {"days": f"{days / finished:.2f}".replace(".", ",")}
        if finished
        else ""
    )
    scorer.add(
        Code.PROCESSING_TIME, days.quantize(CENT), finished, note=note_22, fraction=Decimal(0)
    )

    # 3.1: procedures with an online service / procedures under the unit's authority.
    procedures = unit.catalogue.procedures
    online = {p for p in unit.authority if procedures[p].online}
    eligible = {p for p in unit.authority if procedures[p].full_online_eligible}
    full = {p for p in eligible if procedures[p].full_online}
    note_31 = (
        _("Toàn trình: %(full)s/%(eligible)s TTHC đủ điều kiện")
        % {"full": len(full), "eligible": len(eligible)}
        if eligible
        else ""
    )
    scorer.add(Code.ONLINE_SERVICES, len(online), len(unit.authority), note=note_31)
    # 3.2: online services with at least one online dossier in the period.
    served = {p for p in online if unit.uses.get(p, ProcedureUse()).online}
    scorer.add(Code.ONLINE_SERVICES_USED, len(served), len(online))
    # 3.3: online share × the 1.4 sync ratio.
    if d14 > 0:
        sync_ratio, note_33 = Decimal(synced) / d14, ""
    else:
        sync_ratio, note_33 = Decimal(1), _("Không tính được 1.4: hệ số đồng bộ = 1.")
    n33 = _c(c, "n", Code.ONLINE_SHARE)
    fraction = Decimal(n33) / received * sync_ratio if received else Decimal(0)
    scorer.add(Code.ONLINE_SHARE, n33, received, fraction=fraction, note=note_33)
    # 3.5 / 3.5b: fee-bearing procedures that synced a fee list / were paid online.
    listed = {p for p in unit.fee_authority if unit.uses.get(p, ProcedureUse()).fee_listed}
    paid = {p for p in unit.fee_authority if unit.uses.get(p, ProcedureUse()).paid_online}
    scorer.add(Code.FEE_LIST_SYNCED, len(listed), len(unit.fee_authority))
    scorer.add(Code.PAID_ONLINE_PROCEDURES, len(paid), len(unit.fee_authority))
    for code in (
        Code.PAID_ONLINE_DOSSIERS,
        Code.E_RESULT,
        Code.DIGITISED,
        Code.REUSED_DATA,
        Code.PERSONAL_STORE,
    ):
        scorer.add(code, _c(c, "n", code), _c(c, "d", code))
    citizen = {p for p, use in unit.uses.items() if use.citizen}
    used = {p for p in citizen if unit.uses[p].population}
    scorer.add(Code.POPULATION_PROCEDURES, len(used), len(citizen))
    scorer.add(
        Code.POPULATION_DOSSIERS,
        _c(c, "n", Code.POPULATION_DOSSIERS),
        _c(c, "d", Code.POPULATION_DOSSIERS),
    )

    p = unit.pakn
    scorer.add(Code.PAKN_BY_TYPE, p.get("regulation", 0), p.get("d53", 0))
    scorer.add(Code.PAKN_ON_TIME, p.get("d52", 0) - p.get("late52", 0), p.get("d52", 0))
    scorer.add(Code.PAKN_SATISFACTION, p.get("satisfied", 0), p.get("d53", 0))
    late = d21 - n21
    marked = c.get("marked_n", 0)
    if rule_set.dedupe_late_and_disliked:
        marked -= c.get("marked_late_n", 0)
    scorer.add(
        Code.RECEIVING_SATISFACTION,
        max(0, d21 - late - marked),
        d21,
        note=_("Trễ hạn %(late)s, không hài lòng hoặc có PAKN %(marked)s")
        % {"late": late, "marked": marked},
    )
    for code in UNOBSERVABLE:
        scorer.unobservable(code, _("Chưa có công thức chính thức: 0 điểm cho đến khi có căn cứ."))
