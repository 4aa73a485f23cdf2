"""Predicted losses of an open period: dossiers still in progress, due before
the period end and not yet overdue, are counted on time now and late in the
prediction; the difference is the points at stake."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dossiers.models import Status
from indicators import engine
from indicators.models import IndexRuleSet
from indicators.services.periods import period_get_or_create
from indicators.services.predicted import predicted_losses
from tests.indicators.conftest import END, START, at

pytestmark = pytest.mark.django_db
D = Decimal
NOW = at(4, 11, 12)  # Friday 11/04/2025, noon: the period runs to the end of 14/04


@pytest.fixture
def period(db):
    IndexRuleSet.objects.update(period_start_day=15)
    return period_get_or_create("2025-04", reporting_15th=True)


@pytest.fixture
def open_dossiers(build):
    open_ = {"channel": 1, "status": Status.IN_PROCESSING}
    d = {
        "due_12": build.dossier(received_at=at(4, 1), due_at=at(4, 12, 17), **open_),
        "due_14": build.dossier(received_at=at(4, 2), due_at=at(4, 14, 17), **open_),
        "overdue": build.dossier(received_at=at(3, 20), due_at=at(4, 8, 17), **open_),
        "after_end": build.dossier(received_at=at(4, 3), due_at=at(4, 20, 17), **open_),
        "waiting": build.dossier(
            received_at=at(4, 1), due_at=at(4, 12, 17), **{**open_, "status": "awaiting_supplement"}
        ),
        "done": build.dossier(
            channel=1,
            received_at=at(3, 20),
            due_at=at(3, 25, 17),
            completed_at=at(3, 24),
            status=Status.RETURNED,
        ),
    }
    build.supplement(d["waiting"], at(4, 9))  # asked before the due date, not answered
    return d


def test_current_and_predicted_scores(commune, open_dossiers, period):
    report = predicted_losses(period=period, agency_ids=[commune.pk], now=NOW)
    (unit,) = report.units
    assert unit.agency_id == commune.pk and unit.at_risk_count == 2
    stakes = {c.code: c for c in unit.criteria}
    # 2.1: on time now = after_end, waiting, done + the two at risk = 5/6; predicted 3/6.
    assert (stakes["2.1"].current_score, stakes["2.1"].predicted_score) == (D("16.67"), D("10.00"))
    # 5.4 follows 2.1's late rate: 83.33% → 5.56 of 6 (cap 90%); 50% → 3.33.
    assert (stakes["5.4"].current_score, stakes["5.4"].predicted_score) == (D("5.56"), D("3.33"))
    assert unit.points_at_stake == unit.current_score - unit.predicted_score == D("8.90")
    # The prediction is what the engine stores for the open period.
    stored = {r.code: r.score for r in engine.compute(START, END, [commune.pk]) if r.agency_id}
    assert stakes["2.1"].predicted_score == stored["2.1"]
    assert [d.pk for d in unit.dossiers] == [open_dossiers["due_12"].pk, open_dossiers["due_14"].pk]
    first = unit.dossiers[0]
    assert first.deadline == at(4, 12, 17) and first.procedure_version_id
    assert report.province.at_risk_count == 2 and report.province.points_at_stake == D("8.90")


def test_nothing_is_at_stake_once_the_period_is_over(commune, open_dossiers, period):
    report = predicted_losses(period=period, agency_ids=[commune.pk], now=at(4, 16, 9))
    assert report.units[0].points_at_stake == 0 and report.units[0].at_risk_count == 0
    assert not report.units[0].dossiers.exists()


def test_fixed_number_of_queries(commune, open_dossiers, period, build):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            predicted_losses(period=period, now=NOW)
        return len(ctx.captured_queries)

    few = count()
    for _ in range(20):
        build.dossier(channel=2, received_at=at(4, 1), due_at=at(4, 13, 17), status="received")
    assert count() == few
