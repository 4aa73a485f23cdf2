"""Score now and forecast at the period end of an open period, per unit.

Method (``engine.forecast``). While the period is running, an item not yet
due is not late: the **score now** judges open dossiers and PAKN at the
current time (not yet due ⇒ within deadline). The **forecast** judges them
at the period end, as the closed period will be if none of them is finished
by its deadline (indicators-766.md §2, "Open dossiers"). The dossiers that
separate the two are *at risk*: open now, not waiting for the citizen (a
pending supplement request already fixes the outcome), at most one
supplement request (two make it late anyway), not yet overdue
(``deadline ≥ now``) and due before the period end (``deadline < end``).

One run of the engine's aggregate (``engine.gather`` with ``now``) counts
both judgments and, per unit, the at-risk dossiers. Only 2.1, 5.4 (whose
late rate is 2.1's), 5.2 and 5.3 (PAKN lateness) move; the difference of
the totals is the points at stake. The at-risk list per unit is the same
predicate over ``Dossier`` rows (``at_risk_dossiers``), ordered by deadline.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.models import Dossier
from feedback.selectors import period_bounds
from tthc_portal.agencies.models import Agency

from .. import engine, scoring
from ..criteria import MOVING
from ..engine.rows import annotated_dossiers, in_period_scope
from ..models import ReportPeriod


@dataclass
class CriterionStake:
    code: str
    current_score: Decimal
    predicted_score: Decimal

    @property
    def points_at_stake(self) -> Decimal:
        return scoring.round2(self.current_score - self.predicted_score)


@dataclass
class AgencyPrediction:
    agency_id: int | None  # None: the province
    name: str
    current_score: Decimal  # the score now: open items judged now (not yet due = on time)
    predicted_score: Decimal  # the forecast: open items judged at the period end
    points_at_stake: Decimal
    at_risk_count: int
    criteria: list[CriterionStake] = field(default_factory=list)
    # (period, agency, now) for ``dossiers``: building the annotated queryset
    # costs milliseconds, so it is built only for the units a page shows.
    source: tuple | None = field(default=None, repr=False)

    @property
    def dossiers(self) -> QuerySet[Dossier]:
        """The at-risk dossiers, ordered by deadline, with ``deadline`` annotated
        and procedure_version, current_step, receiving_agency loaded (unevaluated)."""
        period, agency, now = self.source
        return at_risk_dossiers(period, agency, now)


@dataclass
class PredictedReport:
    period: ReportPeriod
    now: datetime.datetime
    units: list[AgencyPrediction]  # most points at stake first
    province: AgencyPrediction | None


def at_risk_dossiers(
    period: ReportPeriod, agency: Agency | None, now: datetime.datetime | None = None
) -> QuerySet[Dossier]:
    """The at-risk dossiers of the unit's subtree (None: the province)."""
    now = now or timezone.now()
    since, until = period_bounds(period.start, period.end)
    dossiers = Dossier.objects.all()
    if agency is not None:
        dossiers = dossiers.filter(receiving_agency__path__startswith=agency.path)
    return (
        annotated_dossiers(dossiers, since, until, period.rule_set)
        .filter(in_period_scope(since) & engine.at_risk_q(now, until))
        .select_related("procedure_version", "current_step", "receiving_agency")
        .order_by("deadline", "pk")
    )


def predicted_losses(
    *,
    period: ReportPeriod,
    agency_ids: list[int] | None = None,
    now: datetime.datetime | None = None,
) -> PredictedReport:
    """Per unit (``agency_ids``, each over its subtree; None: every active unit)
    and for the province: the score now and the forecast at the period end,
    points at stake and the at-risk dossiers. A fixed number of queries; the lists are lazy."""
    now = now or timezone.now()
    scope = engine.resolve_scope(agency_ids)
    inputs = engine.gather(
        period.start, period.end, scope, rule_set=period.rule_set, kind=period.kind, now=now
    )
    current = engine.score_units(inputs, scope)
    predicted = engine.score_units(inputs, scope, forecast=True)
    totals_now = {s.agency_id: s.total for s in engine.summarise(current, period.rule_set)}
    totals_then = {s.agency_id: s.total for s in engine.summarise(predicted, period.rule_set)}
    moving_now = {(r.agency_id, r.code): r.score for r in current if r.code in MOVING}
    moving_then = {(r.agency_id, r.code): r.score for r in predicted if r.code in MOVING}

    agencies = Agency.objects.in_bulk([pk for pk, _path in scope.units])
    risk: dict[int | None, int] = {}
    for pk, path in scope.units:
        members = [m for m, _kind in scope.subtree(path)]
        risk[pk] = sum(inputs.counts.get(m, {}).get("at_risk", 0) for m in members)
    risk[None] = sum(c.get("at_risk", 0) for c in inputs.counts.values())

    def prediction(agency_id: int | None, name: str) -> AgencyPrediction:
        now_total = totals_now.get(agency_id, Decimal("0.00"))
        then_total = totals_then.get(agency_id, Decimal("0.00"))
        return AgencyPrediction(
            agency_id=agency_id,
            name=name,
            current_score=now_total,
            predicted_score=then_total,
            points_at_stake=scoring.round2(now_total - then_total),
            at_risk_count=risk.get(agency_id, 0),
            criteria=[
                CriterionStake(
                    code,
                    moving_now.get((agency_id, code), Decimal("0.00")),
                    moving_then.get((agency_id, code), Decimal("0.00")),
                )
                for code in MOVING
            ],
            source=(period, agencies.get(agency_id) if agency_id else None, now),
        )

    units = [
        prediction(pk, agencies[pk].name if pk in agencies else "") for pk, _path in scope.units
    ]
    units.sort(key=lambda u: (-u.points_at_stake, -u.at_risk_count, u.name))
    return PredictedReport(period, now, units, prediction(None, _("Toàn tỉnh")))
