"""Check-in at the kiosk with the booking code: the booked day only, one
ticket per booking, reserved for the slot's counter."""

from __future__ import annotations

from datetime import date

import pytest

from queueing.models import AppointmentStatus, TicketSource
from queueing.services import QueueError
from queueing.services.appointments import appointment_book, appointment_check_in
from queueing.services.tickets import ticket_call_next, ticket_issue
from tests.factories import UserFactory
from tests.queueing.appointment_helpers import make_slots
from tests.queueing.helpers import at, make_centre

pytestmark = pytest.mark.django_db


def test_check_in_issues_the_booking_ticket_once():
    centre = make_centre()
    counter = centre.counters[2]
    slot = make_slots(centre.group_a, date(2026, 12, 9), count=1, counter=counter)[0]
    booking = appointment_book(person=UserFactory(), slot=slot, at=at(10))
    with pytest.raises(QueueError, match="09/12/2026"):
        appointment_check_in(code=booking.code, centre_id=centre.desk.pk, at=at(8, day=8))
    ticket_issue(service_group=centre.group_a, at=at(7, 50, day=9))  # a walk-in before
    typed = " " + booking.code.lower()[:4] + "-" + booking.code.lower()[4:]
    booking, ticket = appointment_check_in(code=typed, centre_id=centre.desk.pk,
                                           at=at(7, 55, day=9))  # fmt: skip
    assert booking.status == AppointmentStatus.CHECKED_IN
    assert ticket.source == TicketSource.BOOKING and ticket.label == "A002"
    again = appointment_check_in(code=booking.code, centre_id=centre.desk.pk, at=at(8, day=9))[1]
    assert again == ticket
    # Reserved for the slot's counter: called there before the earlier walk-in.
    called = ticket_call_next(actor=centre.officers[0], counter=counter, at=at(8, 1, day=9))
    assert called == ticket


def test_unknown_cancelled_or_other_centre_codes_are_refused():
    centre, other = make_centre(), None
    slot = make_slots(centre.group_a, date(2026, 12, 9), count=1)[0]
    booking = appointment_book(person=UserFactory(), slot=slot, at=at(10))
    with pytest.raises(QueueError):
        appointment_check_in(code="KHONGCO1", centre_id=centre.desk.pk, at=at(8, day=9))
    other = make_centre()
    with pytest.raises(QueueError):
        appointment_check_in(code=booking.code, centre_id=other.desk.pk, at=at(8, day=9))
    booking.status = AppointmentStatus.CANCELLED
    booking.save()
    with pytest.raises(QueueError):
        appointment_check_in(code=booking.code, centre_id=centre.desk.pk, at=at(8, day=9))
