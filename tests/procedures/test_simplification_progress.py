"""Decision 1085 progress: the 20 % / 20 % figures per unit and in total, by the deadline."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from procedures.models import SimplificationPlan, SimplificationTarget
from procedures.services.simplification import internal_procedure_register
from procedures.simplification_selectors import simplification_progress
from tests.procedures.factories import FieldFactory
from tests.support.province import HEALTH, JUSTICE

pytestmark = pytest.mark.django_db

DUE = date(2024, 10, 4)
BEFORE_DUE, AFTER_DUE = date(2024, 9, 30), date(2024, 10, 7)


@pytest.fixture
def target() -> SimplificationTarget:
    return SimplificationTarget.objects.create(
        name="Mục tiêu thử nghiệm", completion_due=DUE, valid_from=date(2024, 5, 1)
    )


def inventory(users, agency, count: int) -> list:
    field = FieldFactory()
    return [
        internal_procedure_register(
            actor=users["vanphong"], agency=agency, name=f"TTHC nội bộ {agency.code} {i}",
            internal_scope="within_body", field=field, level="province",
        ).procedure
        for i in range(count)
    ]  # fmt: skip


def plan(procedure, agency, before: int, after: int, *, abolish=False, done: date | None = None):
    return SimplificationPlan.objects.create(
        procedure=procedure, agency=agency, cost_before_vnd=before, cost_after_vnd=after,
        abolish=abolish, implemented=done is not None, implemented_on=done,
        approved_on=date(2024, 6, 1),
    )  # fmt: skip


@pytest.fixture
def figures(province, users, target):
    health, justice = province[HEALTH], province[JUSTICE]
    ten = inventory(users, health, 10)
    plan(ten[0], health, 1_000_000, 0, abolish=True, done=BEFORE_DUE)
    plan(ten[1], health, 1_000_000, 0, abolish=True, done=DUE)  # on the day counts
    plan(ten[2], health, 2_000_000, 0, abolish=True, done=AFTER_DUE)  # late
    plan(ten[3], health, 6_000_000, 5_000_000)  # not carried out yet
    inventory(users, justice, 4)  # an inventory, no plan at all
    return health, justice


def test_unit_figures_count_only_what_was_done_by_the_deadline(users, figures, target):
    health, justice = figures
    progress = simplification_progress(users["vanphong"], target, today=date(2024, 10, 10))
    rows = {row.agency.code: row for row in progress.rows}
    row = rows[health.code]
    assert (row.internal, row.plans, row.approved, row.late) == (10, 4, 4, 1)
    # Number: 3 of 10 abolished in the plans (30 %), 2 of 10 by the deadline (20 %: met).
    assert (row.count.planned, row.count.achieved) == (3, 2)
    assert row.count.planned_percent == 30 and row.count.achieved_percent == 20
    assert row.count.standing == "met"
    # Cost: 10 M before; planned after 5 M (50 %); by the deadline only 2 M saved (20 %).
    assert (row.cost_before, row.cost_after_planned, row.cost_after_achieved) == (
        10_000_000,
        5_000_000,
        8_000_000,
    )
    assert row.cost.planned_percent == 50 and row.cost.achieved_percent == 20
    assert row.cost.standing == "met"

    # Edge case: an inventory without plans has no cost data (not 0 % nor 100 %),
    # and past the deadline its number target is missed.
    other = rows[justice.code]
    assert other.internal == 4 and other.plans == 0
    assert other.cost.planned_percent is None and other.cost.standing == "no_data"
    assert other.count.achieved_percent == 0 and other.count.standing == "missed"

    total = progress.total
    assert (total.internal, total.count.achieved, total.cost_before) == (14, 2, 10_000_000)
    assert total.count.achieved_percent == Decimal(2) * 100 / 14  # 14.3 %: not met overall
    assert total.count.standing == "missed"


def test_before_the_deadline_a_sufficient_plan_is_on_track(users, figures, target):
    health, justice = figures
    progress = simplification_progress(users["vanphong"], target, today=date(2024, 9, 1))
    rows = {row.agency.code: row for row in progress.rows}
    # Nothing late can exist before the deadline has passed; the unit's plans reach 30 %.
    assert rows[justice.code].count.standing == "short"
    assert progress.days_left == (DUE - date(2024, 9, 1)).days
    target.count_cut_percent = Decimal(25)
    progress = simplification_progress(users["vanphong"], target, today=date(2024, 9, 1))
    health_row = next(r for r in progress.rows if r.agency.pk == health.pk)
    assert health_row.count.standing == "planned"  # 20 % done, 30 % planned ≥ 25 %


def test_a_unit_sees_only_itself_and_queries_do_not_grow(users, figures, target):
    health, _justice = figures
    progress = simplification_progress(users["lanhdao.yte"], target, today=date(2024, 10, 10))
    assert [row.agency.code for row in progress.rows] == [health.code]
    with CaptureQueriesContext(connection) as few:
        simplification_progress(users["lanhdao.yte"], target, today=date(2024, 10, 10))
    with CaptureQueriesContext(connection) as many:
        simplification_progress(users["vanphong"], target, today=date(2024, 10, 10))
    assert len(few) == len(many)


def test_page_shows_units_totals_and_the_deadline(client, users, figures, target, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: date(2024, 10, 10))
    client.force_login(users["vanphong"])
    html = client.get(reverse("procedures:simplification"), {"muc_tieu": target.pk})
    text = html.content.decode()
    assert "hoàn thành đến hết ngày 04/10/2024" in text and "Đã quá hạn." in text
    assert f'data-agency="{HEALTH}"' in text and "data-total" in text
    assert "Tổng cộng" in text and "Chưa có số liệu" in text
    assert "Theo phương án 30,0% · đã thực hiện 20,0%" in text


def test_page_queries_do_not_grow_with_plans_or_units(client, province, users, target):
    health, justice = province[HEALTH], province[JUSTICE]
    procedures = inventory(users, health, 5)
    plan(procedures[0], health, 1_000, 500)
    client.force_login(users["vanphong"])
    url = reverse("procedures:simplification")
    client.get(url)  # warm the session and permission caches
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for procedure in procedures[1:]:
        plan(procedure, health, 1_000, 0, abolish=True, done=BEFORE_DUE)
    for procedure in inventory(users, justice, 3):
        plan(procedure, justice, 2_000, 1_000)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(one) == len(many)
