"""Decision 766 from the real sync state (issue 12, item 8): 1.4, 3.3, 3.5, 3.5b,
3.6, 4.1 and 4.4 count what the national hub acknowledged (``DossierSync``),
not the local records; the 1.4 denominator is the hub's latest reporting total.
Each test pairs a synced and an unsynced dossier of the same kind."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from dossiers.models import PaymentStatus, Status
from indicators import engine
from indicators.models import IndexRuleSet
from indicators.services.drilldown import criterion_cases
from indicators.services.periods import period_get_or_create
from integrations.models import DossierSync, NationalFigure, Target, TargetKind
from integrations.reconcile.figures import figure_period_key
from tests.indicators.conftest import END, START, at
from tests.procedures.factories import published_procedure

pytestmark = pytest.mark.django_db
D = Decimal
RETURNED = {"status": Status.RETURNED}


def _result(commune, code: str) -> tuple[Decimal, Decimal]:
    got = {r.code: r for r in engine.compute(START, END, [commune.pk]) if r.agency_id == commune.pk}
    return got[code].numerator, got[code].denominator


def _unsync(dossier, **flags) -> None:
    """The hub holds the dossier but not this part of it (e.g. a header acknowledged
    before the result was attached, then the update was refused)."""
    DossierSync.objects.filter(dossier=dossier).update(**flags)


def _finished(build, **fields):
    return build.dossier(
        received_at=at(3, 17), due_at=at(3, 24, 17), completed_at=at(3, 20),
        returned_at=at(3, 21), **RETURNED, **fields,
    )  # fmt: skip


@pytest.fixture
def period(db):
    IndexRuleSet.objects.update(period_start_day=15)
    return period_get_or_create("2025-04", reporting_15th=True)


def test_1_4_counts_dossiers_whose_reception_the_hub_acknowledged(build, commune):
    build.dossier(channel=1, received_at=at(3, 17))
    build.dossier(channel=1, received_at=at(3, 18), synced=False)
    assert _result(commune, "1.4") == (1, 2)


def test_1_4_denominator_is_the_latest_national_figure_never_overwritten(build, commune):
    build.dossier(channel=1, received_at=at(3, 17))
    build.dossier(channel=1, received_at=at(3, 18), synced=False)
    hub = Target.objects.create(code="dvcqg", kind=TargetKind.HUB, name="Hub",
                                base_url="http://127.0.0.1:9")  # fmt: skip
    key = figure_period_key(START, END, "month")
    assert key == "2025-04/15"

    def figure(value, day, period=key):
        return NationalFigure.objects.create(
            target=hub, agency=commune, unit_code=commune.code, period=period,
            key="SoHoSoTiepNhan", value=value,
            fetched_at=datetime(2025, 4, day, 1, tzinfo=timezone.get_current_timezone()),
        )  # fmt: skip

    figure(3, 10)
    figure(9, 2, period="2025-04")  # the calendar month: another period
    latest = figure(4, 12)
    assert _result(commune, "1.4") == (1, 4)
    assert NationalFigure.objects.filter(period=key).count() == 2  # appended, both kept
    latest.delete()
    assert _result(commune, "1.4") == (1, 3)
    # An explicit total still overrides the fetched figures.
    got = engine.compute(START, END, [commune.pk], national_totals={commune.pk: 7})
    r14 = next(r for r in got if r.code == "1.4" and r.agency_id == commune.pk)
    assert (r14.numerator, r14.denominator) == (1, 7)


def test_3_3_online_paper_result_needs_the_e_result_synced(build, commune, period):
    synced = _finished(build, channel=2, e_result=True)
    unsynced = _finished(build, channel=2, e_result=True)
    _unsync(unsynced, result_synced=False)
    assert _result(commune, "3.3") == (1, 2)
    cases = list(criterion_cases(period=period, agency=commune, criterion_code="3.3").queryset)
    assert [c.pk for c in cases] == [unsynced.pk] and synced.pk not in [c.pk for c in cases]
    assert "chưa đồng bộ" in cases[0].reason


def test_3_5_and_3_5b_count_fee_lists_and_payments_the_hub_holds(build, commune, procedures):
    second = published_procedure(
        implementing_agency=commune, paper_result=True, components=1, steps=1,
        fees=[{"name": "Phí", "amount_vnd": 30_000}],
    ).current_version  # fmt: skip
    synced = build.dossier(channel=2, fee=True, received_at=at(3, 17))
    build.pay(synced, 50_000, flag=1, gateway="payment_platform")
    build.procedures["fee"] = second
    unsynced = build.dossier(channel=2, fee=True, received_at=at(3, 18))
    build.pay(unsynced, 30_000, flag=1, gateway="payment_platform")
    _unsync(unsynced, fee_list_synced=False, payment_flag_synced=None)
    assert _result(commune, "3.5") == (1, 2)
    assert _result(commune, "3.5b") == (1, 2)


def test_3_6_counts_only_payments_synced_with_flag_1_or_2(build, commune, period):
    national = build.dossier(channel=2, fee=True, received_at=at(3, 17))
    build.pay(national, 50_000, flag=1, gateway="payment_platform")
    provincial = build.dossier(channel=2, fee=True, received_at=at(3, 17))
    build.pay(provincial, 50_000, flag=2, gateway="provincial")
    unsynced = build.dossier(channel=2, fee=True, received_at=at(3, 18))
    build.pay(unsynced, 50_000, flag=1, gateway="payment_platform")
    _unsync(unsynced, payment_flag_synced=None)
    cash = build.dossier(channel=1, fee=True, received_at=at(3, 18))
    build.pay(cash, 50_000, status=PaymentStatus.PAID)
    assert _result(commune, "3.6") == (2, 4)
    cases = criterion_cases(period=period, agency=commune, criterion_code="3.6").queryset
    reasons = {c.pk: c.reason for c in cases}
    assert set(reasons) == {unsynced.pk, cash.pk}
    assert "chưa đồng bộ" in reasons[unsynced.pk] and "chưa đồng bộ" not in reasons[cash.pk]


def test_4_1_counts_e_results_synced_with_code_and_link(build, commune, period):
    _finished(build, channel=1, e_result=True)
    unsynced = _finished(build, channel=1, e_result=True)
    _unsync(unsynced, result_synced=False)
    not_synced_at_all = _finished(build, channel=1, e_result=True, synced=False)
    assert _result(commune, "4.1") == (1, 3)
    cases = criterion_cases(period=period, agency=commune, criterion_code="4.1").queryset
    assert {c.pk for c in cases} == {unsynced.pk, not_synced_at_all.pk}


def test_4_4_store_components_must_be_synced_pushed_results_count(build, commune):
    store = [{"is_digitised": True, "from_personal_store": True}]
    build.dossier(channel=2, received_at=at(3, 17), components=store)
    unsynced = build.dossier(channel=2, received_at=at(3, 17), components=store)
    _unsync(unsynced, store_component_synced=False)
    build.dossier(channel=1, received_at=at(3, 18), pushed=True, synced=False)
    assert _result(commune, "4.4") == (2, 3)
    # 4.5b still reads the local store flag: both store dossiers count there.
    assert _result(commune, "4.5b") == (2, 3)


def test_score_follows_the_synced_ratio(build, commune):
    """3.3 = online share × the 1.4 ratio, both from the sync state."""
    _finished(build, channel=2, e_result=True)
    _finished(build, channel=2, e_result=True, synced=False)
    got = {r.code: r for r in engine.compute(START, END, [commune.pk]) if r.agency_id == commune.pk}
    assert (got["1.4"].numerator, got["1.4"].denominator) == (1, 2)
    assert (got["3.3"].numerator, got["3.3"].denominator) == (1, 2)
    # r = 1/2 × 1/2 = 25% (cap 50% × 6 points → 3.00)
    assert (got["3.3"].ratio, got["3.3"].score) == (D("25.00"), D("3.00"))
