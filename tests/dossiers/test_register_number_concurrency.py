"""Số văn bản under concurrency, on PostgreSQL: twenty heads signing at the
same instant for one agency get 01…20 with no duplicate, a signature rolled
back gives its number back (no gap), and another agency or year has its own
register."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from dossiers.models import DocumentKind
from dossiers.models.documents import RegisterSequence
from dossiers.services.paper_numbers import register_number_allocate
from tests.support.concurrency import run_together
from tthc_portal.agencies.models import Agency

# serialized_rollback: an earlier live-server test may have flushed the data
# migrations created (permissions, reference rows); restore them first.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.postgres,
]


class _Rollback(Exception):
    pass


def _sign(agency: Agency, *, fail: bool = False) -> str:
    """What the signing transaction does with the register; ``fail`` stands for
    a signature that fails after taking its number (certificate revoked…)."""
    with transaction.atomic():
        number = register_number_allocate(agency, DocumentKind.RESULT, year=2025)
        if fail:
            raise _Rollback(number)
    return number


def test_parallel_signatures_get_consecutive_distinct_numbers(require_postgres, province):
    assert connection.vendor == "postgresql"
    justice, health = province["000.00.10.H99"], province["000.00.11.H99"]
    jobs = [lambda: _sign(justice)] * 20 + [lambda: _sign(justice, fail=True)] * 5
    jobs += [lambda: _sign(health)] * 3
    results = run_together(jobs)
    kept = [value for kind, value in results if kind == "ok"]
    failed = [value for kind, value in results if kind == "error"]
    assert len(failed) == 5 and all(isinstance(exc, _Rollback) for exc in failed), failed
    justice_numbers = sorted(n for n in kept if n.endswith("-STP"))
    # No duplicate, and the five rolled-back numbers were given back: no gap.
    assert justice_numbers == sorted(f"{n:02d}/KQ-STP" for n in range(1, 21))
    assert sorted(n for n in kept if n.endswith("-SYT")) == ["01/KQ-SYT", "02/KQ-SYT", "03/KQ-SYT"]
    assert RegisterSequence.objects.get(agency=justice, year=2025).last_value == 20
    # A new year opens a new register at 01.
    assert register_number_allocate(justice, DocumentKind.RESULT, year=2026) == "01/KQ-STP"
