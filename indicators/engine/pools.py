"""Pooling each reported unit's subtree (and the province) and scoring it,
now and at the period end, from the per-agency counts of ``engine.gather``.

Pure Python, no query. The two judgments share every pool: only the judged
counts differ (``forecast``), so the catalogue sets and procedure uses are
built once per pool, and a pool whose forecast input equals its input now
(every pool of a closed period) is scored once.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from copy import copy
from dataclasses import replace
from typing import TYPE_CHECKING

from tthc_portal.agencies.models import AgencyKind

from .assemble import CriterionResult, ProcedureUse, Scorer, UnitInput, unit_results
from .catalogue import PROVINCIAL_LEVELS
from .forecast import forecast_counts, forecast_pakn
from .pakn import KEYS as PAKN_KEYS

if TYPE_CHECKING:
    from . import Inputs, Scope

PROVINCE = None  # agency key of the pooled province row

CountsAdjust = Callable[[dict[str, int]], dict[str, int]]


def _pool(rows: Mapping[int, Mapping[str, int]], ids: Iterable[int]) -> dict[str, int]:
    total: dict[str, int] = defaultdict(int)
    for agency_id in ids:
        for name, value in rows.get(agency_id, {}).items():
            total[name] += value
    return total


# ``ProcedureUse`` flags as bits, so pooling a subtree is one OR per (agency, procedure).
_USE_BITS = ("citizen", "population", "online", "fee_listed", "paid_online")


# One ``ProcedureUse`` per combination of flags, shared by every pool: the
# pooled uses are read, never changed, and building one object per (pool,
# procedure) cost more than the rest of the scoring.
_USES = [
    ProcedureUse(*(bool(mask >> bit & 1) for bit in range(len(_USE_BITS))))
    for mask in range(1 << len(_USE_BITS))
]


def _same(now: Mapping[str, int], then: Mapping[str, int]) -> bool:
    """Equal as the scoring reads them (``unit_results`` reads a missing count as 0)."""
    return all(now.get(name, 0) == then.get(name, 0) for name in now.keys() | then.keys())


def _use_masks(inputs: Inputs) -> dict[int, dict[int, int]]:
    """Per agency, each procedure's use as a bit mask (built once per ``Inputs``:
    every unit's pool and the province's read the same per-agency values)."""
    if inputs.use_masks is None:
        inputs.use_masks = {
            agency_id: {
                procedure_id: sum(
                    1 << bit for bit, name in enumerate(_USE_BITS) if getattr(use, name)
                )
                for procedure_id, use in uses.items()
            }
            for agency_id, uses in inputs.uses.items()
        }
    return inputs.use_masks


def _pool_uses(inputs: Inputs, ids: Iterable[int]) -> dict[int, ProcedureUse]:
    masks = _use_masks(inputs)
    pooled: dict[int, int] = {}
    for agency_id in ids:
        for procedure_id, mask in masks.get(agency_id, {}).items():
            pooled[procedure_id] = pooled.get(procedure_id, 0) | mask
    return {procedure_id: _USES[mask] for procedure_id, mask in pooled.items()}


def unit_input(
    inputs: Inputs,
    agency_id: int | None,
    members: list[tuple[int, str]],
    *,
    national_total: int | None = None,
    adjust: CountsAdjust | None = None,
    forecast: bool = False,
) -> UnitInput:
    unit, forecast_unit = _unit_inputs(
        inputs, agency_id, members, national_total=national_total, adjust=adjust
    )
    return forecast_unit if forecast else unit


def _unit_inputs(
    inputs: Inputs,
    agency_id: int | None,
    members: list[tuple[int, str]],
    *,
    national_total: int | None = None,
    adjust: CountsAdjust | None = None,
) -> tuple[UnitInput, UnitInput]:
    """A pool's input for the score now and for the forecast. They differ only in
    the judged counts, so the pooled uses and catalogue sets are built once."""
    ids = [pk for pk, _kind in members]
    catalogue = inputs.catalogue
    if agency_id is PROVINCE:
        authority = catalogue.province()
        fee_authority = {
            p
            for p in authority
            if catalogue.procedures[p].fee_bearing
            and catalogue.procedures[p].level in PROVINCIAL_LEVELS
        }
    else:
        has_commune = any(kind == AgencyKind.COMMUNE for _pk, kind in members)
        authority = catalogue.authority(ids, has_commune)
        fee_authority = {p for p in authority if catalogue.procedures[p].fee_bearing}
    counts = _pool(inputs.counts, ids)
    pakn = _pool(inputs.pakn, ids)
    # The forecast twins are taken before ``adjust`` sees the counts.
    then_counts = forecast_counts(counts)
    then_pakn = {k: v for k, v in forecast_pakn(pakn).items() if k in PAKN_KEYS}
    unit = UnitInput(
        counts=adjust(counts) if adjust else counts,
        uses=_pool_uses(inputs, ids),
        authority=authority,
        fee_authority=fee_authority,
        last_year=sum(inputs.last_year.get(a, 0) for a in ids),
        periods_per_year=inputs.periods_per_year,
        national_total=national_total,
        pakn={k: v for k, v in pakn.items() if k in PAKN_KEYS},
        publication=inputs.publication,
        catalogue=catalogue,
        processing_time=sum(
            (inputs.processing.get(a, datetime.timedelta(0)) for a in ids), datetime.timedelta(0)
        ),
    )
    forecast_unit = replace(
        unit, counts=adjust(then_counts) if adjust else then_counts, pakn=then_pakn
    )
    return unit, forecast_unit


def _national_total(inputs: Inputs, members: list[tuple[int, str]]) -> int | None:
    """The official count over a pool: each member's latest national figure, or
    its own received count where the hub gave none; None when no member has one
    (then the 1.4 denominator falls back to the portal's count)."""
    ids = [pk for pk, _kind in members]
    if not any(pk in inputs.national for pk in ids):
        return None
    return sum(
        inputs.national[pk]
        if pk in inputs.national
        else inputs.counts.get(pk, {}).get("received", 0)
        for pk in ids
    )


def score_units(
    inputs: Inputs,
    scope: Scope,
    *,
    national_totals: Mapping[int | None, int] | None = None,
    adjust: CountsAdjust | None = None,
    province: bool = True,
    forecast: bool = False,
) -> list[CriterionResult]:
    """Criterion results of every unit in ``scope`` and, with ``province``, of
    the pooled province (``agency_id=None``). ``national_totals`` overrides the
    official counts fetched from the hub (``inputs.national``). ``forecast``:
    open items judged at the period end instead of ``inputs.judged_at``."""
    now, then = score_pair(
        inputs, scope, national_totals=national_totals, adjust=adjust, province=province
    )
    return then if forecast else now


def score_pair(
    inputs: Inputs,
    scope: Scope,
    *,
    national_totals: Mapping[int | None, int] | None = None,
    adjust: CountsAdjust | None = None,
    province: bool = True,
) -> tuple[list[CriterionResult], list[CriterionResult]]:
    """The score now and the forecast at the period end (options as
    ``score_units``) in one pass: each pool is built once, and a pool whose
    forecast input equals its input now (every pool of a closed period) is
    scored once, its forecast results being copies of the results now."""
    order = {code: c.order for code, c in inputs.criteria.items()}
    targets: list[tuple[int | None, list[tuple[int, str]]]] = [
        (pk, scope.subtree(path)) for pk, path in scope.units
    ]
    if province:
        kinds = {pk: kind for _path, pk, kind in scope.paths}
        targets.append((PROVINCE, [(pk, kinds[pk]) for pk in scope.member_ids]))

    def scored(agency_id: int | None, unit: UnitInput) -> list[CriterionResult]:
        scorer = Scorer(inputs.criteria, agency_id)
        unit_results(scorer, unit, inputs.rule_set)
        return sorted(scorer.results, key=lambda r: order[r.code])

    now: list[CriterionResult] = []
    then: list[CriterionResult] = []
    for agency_id, members in targets:
        unit, forecast_unit = _unit_inputs(
            inputs,
            agency_id,
            members,
            national_total=(
                _national_total(inputs, members)
                if national_totals is None
                else national_totals.get(agency_id)
            ),
            adjust=adjust,
        )
        results = scored(agency_id, unit)
        now.extend(results)
        if _same(unit.counts, forecast_unit.counts) and _same(unit.pakn, forecast_unit.pakn):
            then.extend(copy(r) for r in results)
        else:
            then.extend(scored(agency_id, forecast_unit))
    return now, then
