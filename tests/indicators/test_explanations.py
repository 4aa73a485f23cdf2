"""Explanations an official can act on (issue #14 item 8): every criterion says
what it measures, its numerator and denominator in words, why the unit lost
points and what to do; 0/0 reads "Không có dữ liệu" with its rule; 3.3 shows
its sync factor, 2.2 an average in days; drill-down and forecast rows link to
the dossier and name who holds it, in a bounded number of queries."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dossiers.models import DossierStep, Status
from indicators import defaults
from indicators.explanations import EXPLANATIONS, explain
from indicators.models import Criterion, IndexRuleSet, IndicatorResult
from indicators.selectors_units import CriterionRow
from indicators.services.periods import period_current, period_get_or_create, period_recompute
from tests.factories import PASSWORD, UserFactory, make_staff
from tests.indicators.conftest import at
from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.services import agency_groups_sync

pytestmark = pytest.mark.django_db


def _login_office(client, commune):
    for agency in (commune.parent, commune):
        agency_groups_sync(agency)
    office = make_staff(Role.PROVINCIAL_STAFF, commune.parent)
    assert client.login(username=office.username, password=PASSWORD)


def _hold(dossier, agency, name: str):
    """Give the dossier a current step held by a named official."""
    person = UserFactory(full_name=name)
    step = DossierStep.objects.create(
        dossier=dossier,
        order=1,
        name="Thẩm định hồ sơ",
        role="specialist",
        agency=agency,
        assignee=person,
        started_at=dossier.received_at,
    )
    dossier.current_step = step
    dossier.save(update_fields=["current_step"])
    return person


@pytest.fixture
def computed(client, commune, build, worked_example):
    # An eleventh dossier never synced: 1.4 = 10/11, the factor 3.3 is multiplied by.
    build.dossier(channel=1, received_at=at(4, 1), due_at=at(4, 30, 17), synced=False,
                  status=Status.IN_PROCESSING)  # fmt: skip
    period = period_get_or_create("2025-04", reporting_15th=True)
    period_recompute(actor=None, period=period)
    _login_office(client, commune)
    return {"period": period, "commune": commune, "dossiers": worked_example}


def test_every_criterion_of_the_rule_sets_is_explained():
    codes = set(Criterion.objects.values_list("code", flat=True))
    codes |= {row[1] for row in defaults.CRITERIA}
    assert codes, "the default rule set is seeded by migration"
    missing = codes - set(EXPLANATIONS)
    assert not missing, f"criteria without an explanation: {sorted(missing)}"
    for text in EXPLANATIONS.values():
        for words in (text.measures, text.numerator_words, text.denominator_words):
            assert str(words).strip()
        assert str(text.how_to_improve).strip()


def test_zero_denominator_reads_no_data_with_its_rule():
    rule_set = IndexRuleSet.objects.order_by("valid_from").first()
    criteria = {c.code: c for c in Criterion.objects.filter(rule_set=rule_set)}

    def row(code: str, max_points: int) -> CriterionRow:
        zero = Decimal(0)
        return CriterionRow(code, "", "", 1, zero, zero, zero, zero, Decimal(max_points),
                            True, "records", "", "")  # fmt: skip

    full = explain(row("5.2", 6), criteria["5.2"])
    assert full.no_data and "điểm tối đa (6 điểm)" in full.zero_rule
    assert "Không có dữ liệu" in full.why_lost
    zero = explain(row("2.1", 20), criteria["2.1"])
    assert zero.no_data and "được 0 điểm" in zero.zero_rule and "được 0 điểm" in zero.why_lost


def test_unit_page_explains_each_row(client, computed):
    period, commune = computed["period"], computed["commune"]
    response = client.get(reverse("indicators:unit", args=[commune.pk]), {"ky": period.pk})
    assert response.status_code == 200
    body = response.content.decode()
    rows = {r.code: r for r in response.context["report"].rows}
    # No PAKN in the worked example: 5.2 is 0/0, full points by rule.
    assert rows["5.2"].explained.no_data
    assert "Không có dữ liệu" in body
    assert "Không phát sinh trong kỳ thì được điểm tối đa (6 điểm)." in body
    # 2.2: an average in days, not a ratio.
    days = rows["2.2"].numerator / rows["2.2"].denominator
    assert rows["2.2"].explained.average_days == days
    assert f"{days:.2f}".replace(".", ",") + " ngày/hồ sơ" in body
    # 3.3: multiplied by the 1.4 sync ratio 10/11.
    assert (rows["1.4"].numerator, rows["1.4"].denominator) == (10, 11)
    assert rows["3.3"].explained.sync_factor == Decimal(10) / Decimal(11)
    assert "đã nhân hệ số đồng bộ 0,9091" in body
    # Why 2.1 lost points, and what to do.
    assert "Còn 3/11 hồ sơ chưa đạt yêu cầu" in rows["2.1"].explained.why_lost
    assert str(EXPLANATIONS["2.1"].how_to_improve) in body
    for developer_word in ("None", "numerator", "denominator", "dossier_late"):
        assert developer_word not in body
    # The dashboard's weakest criteria say why too.
    dashboard = client.get(reverse("indicators:dashboard"), {"ky": period.pk})
    weakest = dashboard.context["data"].weakest
    assert weakest and all(row.explained.why_lost for row in weakest)
    assert weakest[0].explained.why_lost in dashboard.content.decode()


def test_drilldown_explains_and_names_holders_in_bounded_queries(client, build, computed):
    period, commune, d = computed["period"], computed["commune"], computed["dossiers"]
    holder = _hold(d["D10"], commune, "Nguyễn Văn Thụ Lý")
    url = reverse("indicators:unit_cases", args=[commune.pk, "2.1"])
    with CaptureQueriesContext(connection) as few:
        response = client.get(url, {"ky": period.pk})
    body = response.content.decode()
    assert response.context["row"].explained.why_lost in body
    assert 'data-testid="how-to-improve"' in body and "Số hồ sơ tiếp nhận và xử lý" in body
    assert f'href="{reverse("processing:dossier", args=[d["D10"].pk])}"' in body
    assert holder.display_name in body and commune.name in body

    # Four more late open dossiers, each held by someone else: same number of queries.
    for n in range(4):
        late = build.dossier(channel=1, received_at=at(4, 2), due_at=at(4, 8, 17),
                             status=Status.IN_PROCESSING)  # fmt: skip
        _hold(late, commune, f"Cán bộ {n}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, {"ky": period.pk})
    assert len(response.context["items"]) == 7
    assert "Cán bộ 3" in response.content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)

    # 3.3 on the drill-down shows its factor.
    factor = client.get(
        reverse("indicators:unit_cases", args=[commune.pk, "3.3"]), {"ky": period.pk}
    )
    assert 'data-testid="sync-factor"' in factor.content.decode()


def test_forecast_at_risk_dossiers_are_links_with_holders(client, build, commune):
    _login_office(client, commune)
    now = timezone.now()
    period = period_current()
    end = timezone.make_aware(
        timezone.datetime.combine(period.end + timedelta(days=1), timezone.datetime.min.time())
    )
    at_risk = build.dossier(channel=1, received_at=now - timedelta(hours=2),
                            due_at=now + (end - now) / 2, status=Status.IN_PROCESSING)  # fmt: skip
    person = _hold(at_risk, commune, "Trần Thị Giữ Hồ Sơ")
    url = reverse("indicators:predicted")
    with CaptureQueriesContext(connection) as few:
        response = client.get(url, {"don_vi": commune.pk})
    body = response.content.decode()
    assert f'href="{reverse("processing:dossier", args=[at_risk.pk])}"' in body
    assert person.display_name in body

    for n in range(3):
        more = build.dossier(channel=1, received_at=now - timedelta(hours=1),
                             due_at=now + (end - now) / 3, status=Status.IN_PROCESSING)  # fmt: skip
        _hold(more, commune, f"Cán bộ dự báo {n}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, {"don_vi": commune.pk})
    assert len(response.context["page"].object_list) == 4
    assert "Cán bộ dự báo 2" in response.content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)


def test_dashboard_3_3_shows_the_stored_sync_factor(client, computed):
    period = computed["period"]
    # Only 3.3 loses points for the province: it is the one weakest criterion shown.
    results = IndicatorResult.objects.filter(period=period, agency__isnull=True)
    results.exclude(criterion_code="3.3").update(score=F("max_points"))
    response = client.get(reverse("indicators:dashboard"), {"ky": period.pk})
    (row,) = response.context["data"].weakest
    assert row.code == "3.3" and row.explained.sync_factor == Decimal(10) / Decimal(11)
    body = response.content.decode()
    assert "đã nhân hệ số đồng bộ 0,9091" in body and row.explained.why_lost in body
