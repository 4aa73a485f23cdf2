"""The nightly beat task stores the open period's results."""

from __future__ import annotations

import pytest

from indicators.models import IndicatorResult
from indicators.tasks import compute_current_period_task

pytestmark = pytest.mark.django_db


def test_task_stores_the_open_period(commune):
    stored = compute_current_period_task()
    assert stored > 0
    assert IndicatorResult.objects.count() == stored
    assert IndicatorResult.objects.filter(agency__isnull=True).exists()
