"""Common rules of indicators-766.md §2 not covered by the worked example."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dossiers.models import Status, StatusHistory
from indicators import engine
from procedures.models import ProcedureVersion
from tests.indicators.conftest import END, START, at

pytestmark = pytest.mark.django_db
D = Decimal


def _unit(commune):
    return {r.code: r for r in engine.compute(START, END, [commune.pk]) if r.agency_id}


def test_zero_denominators_score_zero_except_pakn(commune):
    got = _unit(commune)
    for code in ("1.4", "2.1", "3.3", "3.6", "4.1", "4.2", "4.3", "4.4", "4.5b", "5.4"):
        assert (got[code].denominator, got[code].ratio, got[code].score) == (0, 0, 0), code
    assert got["5.2"].score == got["5.3"].score == D("6.00")


def test_1_4_falls_back_to_last_years_volume(build, commune):
    for month in range(1, 13):
        for _ in range(2):
            build.dossier(channel=1, received_at=at(1, 10).replace(year=2024, month=month))
    got = _unit(commune)["1.4"]
    # No dossier in the period: 24 dossiers last year ÷ 12 months.
    assert (got.numerator, got.denominator, got.score) == (0, D("2.00"), 0)
    assert got.note == "Mẫu số: bình quân năm trước."


def test_end_time_priority_processed_before_returned_before_stopped(build, commune):
    # Processed on time, returned after the due date: on time (processed wins).
    build.dossier(
        channel=1,
        received_at=at(3, 17),
        due_at=at(3, 24, 17),
        completed_at=at(3, 24, 9),
        returned_at=at(3, 26, 9),
        status=Status.RETURNED,
    )
    # Stopped before the due date, with a later "returned" entry in history only.
    stopped = build.dossier(
        channel=1, received_at=at(3, 17), due_at=at(3, 24, 17), status=Status.STOPPED
    )
    StatusHistory.objects.create(
        dossier=stopped, action="stop", to_status=Status.STOPPED, at=at(3, 21)
    )
    StatusHistory.objects.create(
        dossier=stopped, action="withdraw", to_status=Status.WITHDRAWN, at=at(3, 28)
    )
    got = _unit(commune)["2.1"]
    assert (got.numerator, got.denominator) == (2, 2)


def test_supplement_time_is_subtracted_and_two_requests_are_late(build, commune):
    # Finished two days after the due date, after a three-day supplement pause: on time.
    paused = build.dossier(
        channel=1,
        received_at=at(3, 17),
        due_at=at(3, 24, 17),
        completed_at=at(3, 26, 17),
        status=Status.RETURNED,
    )
    build.supplement(paused, at(3, 18, 9), at(3, 21, 9))
    # Finished early, but asked twice.
    twice = build.dossier(
        channel=1,
        received_at=at(3, 17),
        due_at=at(4, 10, 17),
        completed_at=at(3, 25),
        status=Status.RETURNED,
    )
    build.supplement(twice, at(3, 18), at(3, 19))
    build.supplement(twice, at(3, 20), at(3, 21))
    got = _unit(commune)["2.1"]
    assert (got.numerator, got.denominator) == (1, 2)


def test_online_needs_an_e_result_only_for_paper_results(build, commune, procedures):
    for version in procedures.values():
        ProcedureVersion.objects.filter(pk=version.pk).update(paper_result=False)
    build.dossier(channel=2, received_at=at(3, 17), status=Status.RESULT_READY)
    ProcedureVersion.objects.filter(pk=procedures["fee"].pk).update(paper_result=True)
    build.dossier(channel=2, fee=True, received_at=at(3, 18), status=Status.RESULT_READY)
    build.dossier(channel=2, fee=True, e_result=True, received_at=at(3, 18))
    got = _unit(commune)["3.3"]
    assert (got.numerator, got.denominator) == (2, 3)


def test_open_dossiers_are_judged_at_the_period_end(build, commune):
    # Due before the end, finished only after it: late in this period.
    build.dossier(
        channel=1,
        received_at=at(4, 1),
        due_at=at(4, 10, 17),
        completed_at=at(4, 16),
        status=Status.RETURNED,
    )
    # Due after the end, still open: within deadline.
    build.dossier(channel=1, received_at=at(4, 1), due_at=at(4, 15, 9), status=Status.IN_PROCESSING)
    got = _unit(commune)["2.1"]
    assert (got.numerator, got.denominator) == (1, 2)
