"""The drill-down lists exactly what the engine's counts say costs points:
for every criterion, the list's length is denominator − numerator."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dossiers.models import Status
from indicators import engine
from indicators.models import IndexRuleSet
from indicators.services.drilldown import criterion_cases
from indicators.services.periods import period_get_or_create
from tests.indicators.conftest import END, START, at

pytestmark = pytest.mark.django_db

DOSSIER_CODES = ("1.4", "2.1", "3.3", "3.6", "4.1", "4.2", "4.3", "4.4", "4.5b", "5.4")
PROCEDURE_CODES = ("3.1", "3.2", "3.5", "3.5b", "4.5a", "1.3")


def _more_dossiers(build, commune, count=40):
    """Varied dossiers on top of the worked example (channels, supplements,
    open and finished, fees, e-results, carried over from before the period)."""
    for i in range(count):
        received = at(3, 1) + timedelta(hours=19 * i)  # from before the period into it
        finished = i % 4 != 0
        dossier = build.dossier(
            channel=1 + i % 3,
            fee=bool(i % 2),
            received_at=received,
            due_at=received + timedelta(days=3 + i % 9),
            completed_at=received + timedelta(days=1 + i % 11) if finished else None,
            status=Status.RETURNED if finished else Status.IN_PROCESSING,
            synced=bool(i % 5),
            vneid_verified=bool(i % 3),
            population_db_used=not i % 7,
            e_result=bool(i % 5),
            pushed=not i % 6,
            components=[{"is_digitised": bool(i % 4), "is_reused": not i % 3}],
        )
        if i % 2:
            build.pay(dossier, 50_000 if i % 3 else 0, flag=1 if i % 4 == 1 else None)
        if not i % 6:
            build.supplement(dossier, received + timedelta(days=1), received + timedelta(days=2))
        if not i % 10:
            build.supplement(dossier, received + timedelta(days=2))
        if not i % 8:
            build.dislike(dossier, at(3, 30))


@pytest.fixture
def period(db):
    IndexRuleSet.objects.update(period_start_day=15)
    return period_get_or_create("2025-04", reporting_15th=True)


def _gaps(agency_id):
    results = engine.compute(START, END, [agency_id])
    return {r.code: r.denominator - r.numerator for r in results if r.agency_id == agency_id}


@pytest.mark.parametrize("dedupe", [False, True])
def test_dossier_lists_equal_the_count_gaps(
    build, commune, worked_example, catalogue_example, period, dedupe
):
    _more_dossiers(build, commune)
    IndexRuleSet.objects.update(dedupe_late_and_disliked=dedupe)
    period.rule_set.refresh_from_db()
    for agency in (commune, commune.parent):
        gaps = _gaps(agency.pk)
        for code in DOSSIER_CODES:
            cases = criterion_cases(period=period, agency=agency, criterion_code=code)
            assert cases.kind == "dossier"
            rows = list(cases.queryset)
            assert all(row.reason for row in rows), code
            lost = len(rows)
            if code == "5.4" and not dedupe:
                # Late and disliked at once costs twice (the formula adds two rates).
                lost += sum(1 for row in rows if "và" in row.reason)
            if code == "1.4":
                continue  # its denominator may be the national total; checked below
            assert lost == gaps[code], (agency, code)
        received = criterion_cases(period=period, agency=agency, criterion_code="1.4")
        got = {r.code: r for r in engine.compute(START, END, [agency.pk])}
        synced = got["1.4"].numerator
        assert received.queryset.count() == got["3.3"].denominator - synced


def test_procedure_and_publication_lists_equal_the_count_gaps(
    build, commune, worked_example, catalogue_example, period
):
    _more_dossiers(build, commune, count=12)
    for agency in (commune, commune.parent, None):
        agency_id = agency.pk if agency else None
        results = engine.compute(START, END, None if agency is None else [agency_id])
        gaps = {r.code: r.denominator - r.numerator for r in results if r.agency_id == agency_id}
        for code in PROCEDURE_CODES:
            cases = criterion_cases(period=period, agency=agency, criterion_code=code)
            assert cases.kind == "procedure"
            assert cases.queryset.count() == gaps[code], (agency, code)
            assert all(p.reason for p in cases.queryset)
        for code in ("1.1", "1.2"):
            cases = criterion_cases(period=period, agency=agency, criterion_code=code)
            procedures = {(i.procedure_id, i.procedure_code) for i in cases.queryset}
            assert len(procedures) == gaps[code], (agency, code)


def test_lists_explain_and_refuse_unknown_criteria(commune, worked_example, period):
    cases = criterion_cases(period=period, agency=commune, criterion_code="2.1")
    reasons = {d.pk: d.reason for d in cases.queryset}
    assert reasons == {
        worked_example["D3"].pk: "Kết thúc xử lý sau ngày hẹn trả",
        worked_example["D4"].pk: "Yêu cầu bổ sung hồ sơ nhiều hơn một lần",
        worked_example["D10"].pk: "Chưa giải quyết xong, đã quá hạn tại thời điểm cuối kỳ",
    }
    online = criterion_cases(period=period, agency=commune, criterion_code="3.3").queryset
    assert online.get(pk=worked_example["D6"].pk).reason == (
        "Nộp trực tuyến nhưng kết quả giấy chưa có bản điện tử"
    )
    assert criterion_cases(period=period, agency=commune, criterion_code="2.2").kind == "none"
    from indicators.services import IndicatorError

    with pytest.raises(IndicatorError):
        criterion_cases(period=period, agency=commune, criterion_code="9.9")
