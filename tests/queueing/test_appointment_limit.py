"""A person books at most the group's daily limit, a slot at most its
capacity; cancelling frees the place."""

from __future__ import annotations

from datetime import date

import pytest

from queueing.models import Appointment, AppointmentStatus
from queueing.services import QueueError
from queueing.services.appointments import appointment_book, appointment_cancel
from tests.factories import UserFactory
from tests.queueing.appointment_helpers import make_slots
from tests.queueing.helpers import at, make_centre

pytestmark = pytest.mark.django_db
DAY = date(2026, 12, 9)


def test_daily_limit_per_person_and_cancel_frees_it():
    centre = make_centre()
    centre.group_a.daily_booking_limit = 2
    centre.group_a.save()
    slots = make_slots(centre.group_a, DAY)
    person = UserFactory()
    first = appointment_book(person=person, slot=slots[0], at=at(10))
    appointment_book(person=person, slot=slots[1], at=at(10))
    with pytest.raises(QueueError, match="tối đa 2 lịch hẹn"):
        appointment_book(person=person, slot=slots[2], at=at(10))
    # Another day is another count; another person is not limited by this one.
    assert appointment_book(person=UserFactory(), slot=slots[2], at=at(10))
    appointment_cancel(person=person, appointment=first, at=at(11))
    assert appointment_book(person=person, slot=slots[2], at=at(11))
    assert (
        Appointment.objects.filter(person=person)
        .exclude(status=AppointmentStatus.CANCELLED)
        .count()
        == 2
    )


def test_slot_capacity_and_past_slots():
    centre = make_centre()
    slot = make_slots(centre.group_a, DAY, count=1, capacity=1)[0]
    appointment_book(person=UserFactory(), slot=slot, at=at(10))
    with pytest.raises(QueueError, match="hết chỗ"):
        appointment_book(person=UserFactory(), slot=slot, at=at(10))
    with pytest.raises(QueueError, match="đã qua"):
        appointment_book(person=UserFactory(), slot=slot, at=at(9, day=9))


def test_only_the_owner_cancels_and_only_before_the_slot():
    centre = make_centre()
    slot = make_slots(centre.group_a, DAY, count=1)[0]
    person = UserFactory()
    booking = appointment_book(person=person, slot=slot, at=at(10))
    with pytest.raises(Appointment.DoesNotExist):
        appointment_cancel(person=UserFactory(), appointment=booking, at=at(10))
    with pytest.raises(QueueError):
        appointment_cancel(person=person, appointment=booking, at=at(8, 30, day=9))
    booking.refresh_from_db()
    assert booking.status == AppointmentStatus.BOOKED
