"""Publication stores the frozen items with COPY on PostgreSQL: what COPY
writes must read back exactly as the parameterised INSERT path writes it
(quotes, commas, line breaks, empty reasons, missing and aware dates)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from indicators.models import FrozenCase
from indicators.services import frozen
from indicators.services.periods import period_get_or_create

pytestmark = pytest.mark.django_db
FIELDS = ("agency_id", "criterion_code", "kind", "object_id", "reason", "due_at", "end_at")


def test_copy_stores_what_insert_stores(require_postgres, commune, worked_example):
    period = period_get_or_create("2025-04")
    due = timezone.make_aware(datetime.datetime(2025, 4, 3, 16, 30, 5, 123456))
    awkward = 'Trễ hạn, "quá" 2 ngày;\nđã xin lỗi \\ rồi'
    rows = [
        (period.pk, commune.pk, "2.1", "dossier", 7, awkward, due, due, None),
        (period.pk, None, "2.1", "dossier", 8, "", None, None, None),
        (period.pk, None, "1.1", "procedure", 9, "N", None, None, due),
        *((period.pk, commune.pk, "3.1", "dossier", n, f"#{n}", due, None, due) for n in range(3)),
    ]

    def stored():
        return sorted(FrozenCase.objects.filter(period=period).values_list(*FIELDS), key=repr)

    frozen._insert(rows)
    expected = stored()
    FrozenCase.objects.filter(period=period).delete()
    frozen._copy(rows)
    assert stored() == expected
    assert (None, "2.1", "dossier", 8, "", None, None) in expected  # '' stays '', not NULL
