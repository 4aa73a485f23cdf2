"""compute() for the whole province runs a fixed number of queries, whatever
the number of dossiers (set-based SQL, no per-dossier loop)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dossiers.models import Status
from indicators import engine
from tests.indicators.conftest import END, START, at

pytestmark = pytest.mark.django_db


def _add(build, count: int) -> None:
    for i in range(count):
        dossier = build.dossier(
            channel=1 + i % 3,
            fee=bool(i % 2),
            received_at=at(3, 16) + timedelta(hours=i),
            due_at=at(3, 20) + timedelta(hours=2 * i),
            completed_at=at(3, 18) + timedelta(hours=3 * i) if i % 4 else None,
            status=Status.RETURNED if i % 4 else Status.IN_PROCESSING,
            vneid_verified=bool(i % 3),
            e_result=bool(i % 5),
            pushed=not i % 7,
            components=[{"is_digitised": True, "is_reused": bool(i % 2)}],
        )
        if i % 2:
            build.pay(dossier, 50_000, flag=1 if i % 3 else None)
        if not i % 6:
            build.supplement(dossier, at(3, 17), at(3, 18) if i % 4 else None)
        if not i % 9:
            build.dislike(dossier, at(3, 30))


def _queries(commune) -> int:
    province = commune.parent
    with CaptureQueriesContext(connection) as ctx:
        results = engine.compute(START, END, [province.pk, commune.pk])
    assert {r.agency_id for r in results} == {province.pk, commune.pk, None}
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_dossiers(build, commune, django_assert_num_queries):
    _add(build, 10)
    small = _queries(commune)
    _add(build, 190)
    assert _queries(commune) == small
    with django_assert_num_queries(small):
        engine.compute(START, END, [commune.parent_id, commune.pk])


def test_query_count_does_not_grow_with_units(build, commune, catalogue_example):
    """The whole province, every active unit reported: more units, same queries."""
    from tests.factories import AgencyFactory
    from tthc_portal.agencies.models import AgencyKind

    _add(build, 10)

    def whole_province() -> int:
        with CaptureQueriesContext(connection) as ctx:
            results = engine.compute(START, END)
        assert None in {r.agency_id for r in results}
        return len(ctx.captured_queries)

    whole_province()  # warm the working-day calendar cache (1.2 needs it here)
    few = whole_province()
    for i in range(12):
        unit = AgencyFactory(name=f"Xã {i}", kind=AgencyKind.COMMUNE, parent=commune.parent)
        build.commune = unit
        _add(build, 3)
    assert whole_province() == few
