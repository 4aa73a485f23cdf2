"""Citizens book online, see their code, cancel; staff cannot book."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from queueing.models import Appointment, AppointmentStatus
from tests.factories import UserFactory
from tests.queueing.appointment_helpers import make_slots
from tests.queueing.helpers import make_centre

pytestmark = pytest.mark.django_db


def test_book_list_and_cancel(client):
    centre = make_centre()
    day = timezone.localdate() + timedelta(days=2)
    slots = make_slots(centre.group_a, day, count=3, capacity=1)
    person = UserFactory()
    client.force_login(person)
    url = reverse("queueing:book")
    page = client.get(url, {"service_group": centre.group_a.pk, "day": day.isoformat()})
    assert page.status_code == 200 and "còn 1 chỗ" in page.content.decode()
    for slot in slots:
        client.post(url, {"slot": slot.pk, "phone": "0911222333"})
    assert Appointment.objects.filter(person=person).count() == 2  # the daily limit
    mine = client.get(reverse("queueing:my_appointments")).content.decode()
    booking = Appointment.objects.filter(person=person).first()
    assert booking.code in mine and booking.phone == "0911222333"
    client.post(reverse("queueing:appointment_cancel", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.status == AppointmentStatus.CANCELLED


def test_someone_elses_booking_cannot_be_cancelled_and_staff_cannot_book(client):
    centre = make_centre()
    slot = make_slots(centre.group_a, timezone.localdate() + timedelta(days=2), count=1)[0]
    owner = UserFactory()
    client.force_login(owner)
    client.post(reverse("queueing:book"), {"slot": slot.pk})
    booking = Appointment.objects.get()
    client.force_login(UserFactory())
    response = client.post(reverse("queueing:appointment_cancel", args=[booking.pk]))
    assert response.status_code == 404
    client.force_login(centre.officers[0])
    assert client.get(reverse("queueing:book")).status_code == 403
    booking.refresh_from_db()
    assert booking.status == AppointmentStatus.BOOKED


def test_unknown_procedure_code_books_nothing(client):
    centre = make_centre()
    slot = make_slots(centre.group_a, timezone.localdate() + timedelta(days=2), count=1)[0]
    client.force_login(UserFactory())
    response = client.post(reverse("queueing:book"), {"slot": slot.pk, "procedure_code": "9.99"})
    assert response.status_code == 200 and "Không tìm thấy thủ tục" in response.content.decode()
    assert not Appointment.objects.exists()
