"""The day before, each booking gets one reminder SMS (and e-mail) through the
notification outbox, from the editable template."""

from __future__ import annotations

from datetime import date

import pytest

from queueing.services.appointments import (
    appointment_book,
    appointment_cancel,
    appointment_reminders_queue,
)
from tests.factories import UserFactory
from tests.queueing.appointment_helpers import make_slots
from tests.queueing.helpers import at, make_centre
from tthc_portal.notifications.models import Channel, OutboxMessage

pytestmark = pytest.mark.django_db


def test_one_reminder_per_booking_the_day_before(django_capture_on_commit_callbacks):
    centre = make_centre()
    slots = make_slots(centre.group_a, date(2026, 12, 9), count=2)
    kept = appointment_book(person=UserFactory(phone="0987654321"), slot=slots[0], at=at(10))
    person = UserFactory()
    cancelled = appointment_book(person=person, slot=slots[1], at=at(10))
    appointment_cancel(person=person, appointment=cancelled, at=at(11))
    make_slots(centre.group_a, date(2026, 12, 10), count=1)  # not tomorrow: untouched
    assert appointment_reminders_queue(day=date(2026, 12, 9)) == 1
    assert appointment_reminders_queue(day=date(2026, 12, 9)) == 0
    sms = OutboxMessage.objects.get(channel=Channel.SMS)
    assert sms.recipient == "0987654321"
    assert kept.code in sms.body and "09/12/2026 08:00-09:00" in sms.body
    assert OutboxMessage.objects.filter(channel=Channel.EMAIL).count() == 1
