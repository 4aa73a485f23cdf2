"""The engine's per-unit PAKN counts (two grouped queries for every unit)
equal ``feedback.selectors.pakn_criteria`` for any pool of units, and the
5.2 / 5.3 drill-down lists the items that cost points."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from feedback.models import Category
from feedback.selectors import pakn_criteria
from feedback.services import pakn
from indicators import engine
from indicators.services.drilldown import criterion_cases
from indicators.services.periods import period_get_or_create
from portal_site.demo import seed_accounts, seed_agencies
from tests.feedback.conftest import at, submit_pakn

pytestmark = pytest.mark.django_db
XA_A, HEALTH, PROVINCE = "000.21.00.H99", "000.00.11.H99", "000.00.00.H99"
START, END = date(2025, 3, 15), date(2025, 4, 14)


@pytest.fixture
def tinh(holiday_calendar):
    """The demo province's agencies and accounts (as tests/feedback/conftest.py)."""
    from feedback.defaults import ensure_all

    ensure_all()
    agencies = seed_agencies()
    seed_accounts(agencies)
    return agencies


@pytest.fixture
def users(tinh):
    return get_user_model().objects.in_bulk(field_name="username")


HEADS = {XA_A: "lanhdao.phohien", HEALTH: "lanhdao.yte"}


def _handled(users, tinh, agency, received, approved, published=None):
    office, head = users["vanphong"], users[HEADS[agency]]
    item = submit_pakn(received)
    pakn.feedback_classify(
        actor=office, item=item, category=Category.REGULATION_IN_SCOPE, at=received
    )
    pakn.feedback_forward(actor=office, item=item, agency=tinh[agency], at=received)
    pakn.feedback_answer(actor=head, item=item, answer="Đã trả lời.", at=approved)
    item = pakn.feedback_approve_publication(actor=office, item=item, at=approved)
    if published:
        item = pakn.feedback_publish(actor=office, item=item, at=published)
    return item


def test_grouped_counts_equal_the_pooled_selector(tinh, users):
    _handled(users, tinh, XA_A, at(2025, 3, 17, 9), at(2025, 3, 31, 9), at(2025, 4, 1, 9))
    late = _handled(users, tinh, XA_A, at(2025, 3, 18, 9), at(2025, 4, 11, 9), at(2025, 4, 14, 9))
    _handled(users, tinh, HEALTH, at(2025, 3, 20, 9), at(2025, 3, 24, 9))
    open_item = submit_pakn(at(2025, 3, 17, 9))
    pakn.feedback_classify(
        actor=users["vanphong"], item=open_item, category=Category.REGULATION_IN_SCOPE
    )
    pakn.feedback_forward(
        actor=users["vanphong"], item=open_item, agency=tinh[HEALTH], at=at(2025, 3, 18, 9)
    )
    ids = [tinh[XA_A].pk, tinh[HEALTH].pk]
    results = engine.compute(START, END, ids)
    for agency_id, pool in ((tinh[XA_A].pk, [tinh[XA_A].pk]), (None, ids)):
        expected = pakn_criteria(pool, START, END)
        got = {r.code: r for r in results if r.agency_id == agency_id}
        assert (got["5.2"].numerator, got["5.2"].denominator, got["5.2"].score) == (
            expected.c52.numerator,
            expected.c52.denominator,
            expected.c52.score,
        )
        assert (got["5.3"].numerator, got["5.3"].denominator, got["5.3"].score) == (
            expected.c53.numerator,
            expected.c53.denominator,
            expected.c53.score,
        )
    period = period_get_or_create("2025-04", reporting_15th=True)
    cases = criterion_cases(period=period, agency=tinh[XA_A], criterion_code="5.2")
    assert cases.kind == "feedback"
    assert [(f.pk, f.reason) for f in cases.queryset] == [
        (late.pk, "Xử lý phản ánh, kiến nghị trễ hạn")
    ]
    province = criterion_cases(period=period, agency=tinh[PROVINCE], criterion_code="5.3")
    got = {r.code: r for r in engine.compute(START, END, [tinh[PROVINCE].pk])}
    assert province.queryset.count() == got["5.3"].denominator - got["5.3"].numerator == 3
