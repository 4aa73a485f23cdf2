"""Per-collection-point number ranges (Circular 91, Art. 25) under concurrency on
PostgreSQL: every number is handed out once, in ascending order, inside the point's
range; ranges of two points never overlap; an exhausted range refuses."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from receipts.models import ReceiptSeries
from receipts.services import ReceiptError, number_take
from tests.factories import AgencyFactory
from tests.receipts.helpers import provider_target, receipt_series
from tests.support.concurrency import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.postgres,
]


def take(series_id: int) -> int:
    with transaction.atomic():
        _series, number = number_take(series_id)
        # Hold the lock a moment, as a real request writing its receipt row does.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(0.01)")
        return number


@pytest.fixture
def two_points():
    agency = AgencyFactory()
    target = provider_target("http://127.0.0.1:9")
    first = receipt_series(agency, target, point="QUAY1", start=1, end=30)
    second = receipt_series(agency, target, point="QUAY2", start=31, end=60)
    return first, second


def test_parallel_collections_never_share_a_number(require_postgres, two_points):
    assert connection.vendor == "postgresql"
    first, second = two_points
    jobs = [lambda s=(first if i % 2 else second): take(s.pk) for i in range(40)]
    results = run_together(jobs)
    assert all(kind == "ok" for kind, _ in results), results
    numbers = [value for _, value in results]
    assert not [n for n, count in Counter(numbers).items() if count > 1]
    assert sorted(n for n in numbers if n <= 30) == list(range(1, 21))
    assert sorted(n for n in numbers if n > 30) == list(range(31, 51))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.next_number, second.next_number) == (21, 51)


def test_an_exhausted_range_refuses(require_postgres, two_points):
    first, _second = two_points
    ReceiptSeries.objects.filter(pk=first.pk).update(range_end=5)
    results = run_together([lambda: take(first.pk) for _ in range(8)])
    taken = sorted(value for kind, value in results if kind == "ok")
    refused = [value for kind, value in results if kind == "error"]
    assert taken == [1, 2, 3, 4, 5]
    assert len(refused) == 3 and all(isinstance(e, ReceiptError) for e in refused)


def test_overlapping_ranges_are_refused(require_postgres, two_points):
    first, _second = two_points
    with pytest.raises(ValidationError):
        receipt_series(first.agency, first.target, point="QUAY3", start=25, end=40)
    with pytest.raises(IntegrityError):  # next_number beyond the range: the database refuses
        ReceiptSeries.objects.filter(pk=first.pk).update(next_number=99)
