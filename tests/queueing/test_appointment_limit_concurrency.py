"""Parallel bookings by one person never exceed the daily limit (PostgreSQL:
the person's row is locked before counting)."""

from __future__ import annotations

from datetime import date

import pytest

from queueing.models import Appointment
from queueing.services import QueueError
from queueing.services.appointments import appointment_book
from tests.factories import UserFactory
from tests.queueing.appointment_helpers import make_slots
from tests.queueing.helpers import at, make_centre
from tests.queueing.test_call_next_concurrency import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.postgres,
]


def test_parallel_bookings_stop_at_the_daily_limit(require_postgres):
    centre = make_centre(officers=0)
    slots = make_slots(centre.group_a, date(2026, 12, 9), count=6, capacity=10)
    person = UserFactory()
    results = run_together(
        [lambda s=s: appointment_book(person=person, slot=s, at=at(10)) for s in slots]
    )
    kinds = [kind for kind, _ in results]
    assert kinds.count("ok") == 2, results
    assert all(isinstance(value, QueueError) for kind, value in results if kind == "error")
    assert Appointment.objects.filter(person=person).count() == 2


def test_parallel_bookings_stop_at_the_slot_capacity(require_postgres):
    centre = make_centre(officers=0)
    slot = make_slots(centre.group_a, date(2026, 12, 9), count=1, capacity=3)[0]
    people = [UserFactory() for _ in range(8)]
    results = run_together([lambda p=p: appointment_book(person=p, slot=slot, at=at(10))
                            for p in people])  # fmt: skip
    assert [kind for kind, _ in results].count("ok") == 3, results
    assert Appointment.objects.filter(slot=slot).count() == 3
