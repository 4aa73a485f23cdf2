"""The demo queue (called from seed_demo) is idempotent."""

from __future__ import annotations

import pytest

from portal_site import demo
from queueing.demo import seed_queueing
from queueing.models import Counter, ServiceGroup

pytestmark = pytest.mark.django_db


def test_seed_twice():
    demo.seed_agencies()
    first = seed_queueing()
    assert first["groups"] == 2 and first["counters"] == 4 and first["tickets"] == 6
    again = seed_queueing()
    assert again["counters"] == 0 and again["slots"] == 0 and again["tickets"] == 0
    assert ServiceGroup.objects.count() == 2 and Counter.objects.count() == 4
