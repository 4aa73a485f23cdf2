"""The score now and the forecast come from one pass over the pools
(``engine.score_pair``, issue #14 "make bench"): each unit's pool is built
once, and a pool whose forecast input equals its input now is scored once.
The results must be exactly those of scoring each judgment on its own, with
each subtree's procedure uses OR-ed over its members."""

from __future__ import annotations

from dataclasses import astuple, replace
from datetime import timedelta

import pytest

from dossiers.models import Status
from indicators import engine
from indicators.engine import pools
from indicators.engine.assemble import ProcedureUse, Scorer, unit_results
from tests.factories import AgencyFactory
from tests.indicators.conftest import END, START, at
from tthc_portal.agencies.models import AgencyKind

pytestmark = pytest.mark.django_db
NOW = at(4, 11, 12)  # inside the period 15/03–14/04/2025


def _reference_uses(inputs, ids) -> dict[int, ProcedureUse]:
    """Each subtree's procedure uses, OR-ed flag by flag (the definition)."""
    pooled: dict[int, ProcedureUse] = {}
    for agency_id in ids:
        for procedure_id, use in inputs.uses.get(agency_id, {}).items():
            seen = pooled.setdefault(procedure_id, ProcedureUse())
            seen.citizen |= use.citizen
            seen.population |= use.population
            seen.online |= use.online
            seen.fee_listed |= use.fee_listed
            seen.paid_online |= use.paid_online
    return pooled


def _reference(inputs, scope, *, forecast: bool) -> list[tuple]:
    """Every pool scored on its own for one judgment."""
    order = {code: c.order for code, c in inputs.criteria.items()}
    kinds = {pk: kind for _path, pk, kind in scope.paths}
    targets = [(pk, scope.subtree(path)) for pk, path in scope.units]
    targets.append((None, [(pk, kinds[pk]) for pk in scope.member_ids]))
    found = []
    for agency_id, members in targets:
        unit = pools.unit_input(
            inputs,
            agency_id,
            members,
            national_total=pools._national_total(inputs, members),
            forecast=forecast,
        )
        unit = replace(unit, uses=_reference_uses(inputs, [pk for pk, _kind in members]))
        scorer = Scorer(inputs.criteria, agency_id)
        unit_results(scorer, unit, inputs.rule_set)
        found.extend(astuple(r) for r in sorted(scorer.results, key=lambda r: order[r.code]))
    return found


@pytest.fixture
def two_communes(build, commune):
    """Open dossiers due before the period end (they move between now and the
    period end), finished ones, online and paid ones, in two communes."""
    other = AgencyFactory(name="UBND Xã B", kind=AgencyKind.COMMUNE, parent=commune.parent)
    for unit in (commune, other):
        build.commune = unit
        for i in range(6):
            dossier = build.dossier(
                channel=1 + i % 2,
                fee=bool(i % 2),
                received_at=at(3, 20) + timedelta(days=i),
                due_at=at(4, 12) + timedelta(days=i % 3),
                completed_at=at(4, 1) if i % 3 == 0 else None,
                status=Status.RETURNED if i % 3 == 0 else Status.IN_PROCESSING,
                vneid_verified=bool(i % 2),
                e_result=bool(i % 3 == 0),
                components=[{"is_digitised": True, "is_reused": bool(i % 2)}],
            )
            if i % 2:
                build.pay(dossier, 50_000, flag=1)
    return commune, other


@pytest.mark.parametrize("now", [None, NOW], ids=["closed", "open-now"])
def test_one_pass_equals_each_judgment_scored_alone(two_communes, now):
    commune, other = two_communes
    scope = engine.resolve_scope([commune.parent_id, commune.pk, other.pk])
    inputs = engine.gather(START, END, scope, now=now)

    scored_now, scored_then = engine.score_pair(inputs, scope)

    assert [astuple(r) for r in scored_now] == _reference(inputs, scope, forecast=False)
    assert [astuple(r) for r in scored_then] == _reference(inputs, scope, forecast=True)
    moved = [a.code for a, b in zip(scored_now, scored_then, strict=True) if a.score != b.score]
    if now is None:
        # A closed period: the forecast is the score, as separate objects.
        assert not moved
        assert all(a is not b for a, b in zip(scored_now, scored_then, strict=True))
    else:
        # Open dossiers due before the period end are on time now, late then.
        assert "2.1" in moved


def test_score_units_and_score_both_read_the_same_pass(two_communes):
    commune, other = two_communes
    scope = engine.resolve_scope([commune.parent_id, commune.pk, other.pk])
    inputs = engine.gather(START, END, scope, now=NOW)
    scored_now, scored_then = engine.score_pair(inputs, scope)

    assert [astuple(r) for r in engine.score_units(inputs, scope)] == [
        astuple(r) for r in scored_now
    ]
    assert [astuple(r) for r in engine.score_units(inputs, scope, forecast=True)] == [
        astuple(r) for r in scored_then
    ]
    both = engine.score_both(inputs, scope)
    assert [(r.forecast_numerator, r.forecast_score) for r in both] == [
        (r.numerator, r.score) for r in scored_then
    ]
