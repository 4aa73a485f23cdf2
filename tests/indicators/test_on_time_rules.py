"""Criterion 2.1 timing rules (indicators-766.md §2): end-time priority,
supplement pauses, unanswered requests, open and carried-over dossiers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dossiers.models import Status, StatusHistory
from indicators import engine
from indicators.models import IndexRuleSet
from tests.indicators.conftest import END, START, at

pytestmark = pytest.mark.django_db


def _c21(commune) -> tuple[Decimal, Decimal]:
    r = next(r for r in engine.compute(START, END, [commune.pk]) if r.code == "2.1" and r.agency_id)
    return r.numerator, r.denominator


def test_unanswered_supplement_is_judged_at_the_request_time(build, commune):
    # Asked before the due date, citizen never answered: on time.
    on_time = build.dossier(
        channel=1, received_at=at(3, 17), due_at=at(3, 24, 17), status=Status.AWAITING_SUPPLEMENT
    )
    build.supplement(on_time, at(3, 20))
    # Asked after the due date: late.
    late = build.dossier(
        channel=1, received_at=at(3, 17), due_at=at(3, 24, 17), status=Status.AWAITING_SUPPLEMENT
    )
    build.supplement(late, at(3, 26))
    assert _c21(commune) == (1, 2)


def test_carried_over_open_dossiers_count_and_earlier_finished_ones_do_not(build, commune):
    build.dossier(  # received before the period, still open, due after its end
        channel=1, received_at=at(3, 1), due_at=at(4, 30, 17), status=Status.IN_PROCESSING
    )
    build.dossier(  # received and finished before the period
        channel=1,
        received_at=at(3, 1),
        due_at=at(3, 10, 17),
        completed_at=at(3, 5),
        status=Status.RETURNED,
    )
    build.dossier(  # finished after the period end: open at the end, overdue by then
        channel=1,
        received_at=at(3, 20),
        due_at=at(4, 1, 17),
        completed_at=at(4, 20),
        status=Status.RETURNED,
    )
    assert _c21(commune) == (1, 2)


def test_stop_time_comes_from_the_status_history(build, commune):
    stopped = build.dossier(
        channel=1, received_at=at(3, 17), due_at=at(3, 24, 17), status=Status.STOPPED
    )
    StatusHistory.objects.create(
        dossier=stopped, action="stop", to_status=Status.STOPPED, at=at(3, 28)
    )
    assert _c21(commune) == (0, 1)


def test_the_due_field_is_configurable(build, commune):
    build.dossier(  # extended by apology; finished after the original date
        channel=1,
        received_at=at(3, 17),
        original_due_at=at(3, 24, 17),
        due_at=at(3, 31, 17),
        completed_at=at(3, 27),
        status=Status.RETURNED,
    )
    assert _c21(commune) == (0, 1)
    IndexRuleSet.objects.update(due_field="due_at")
    assert _c21(commune) == (1, 1)
