"""The public kiosk: a ticket for a service group (printable, with the
estimated wait), check-in with a booking code, and a rate limit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from queueing.models import Ticket, TicketSource
from queueing.services.appointments import appointment_book
from tests.factories import UserFactory
from tests.queueing.appointment_helpers import make_slots
from tests.queueing.helpers import make_centre

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre():
    return make_centre()


def test_issue_a_priority_ticket_and_see_it_printable(client, centre):
    url = reverse("queueing:kiosk", args=[centre.desk.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"form": "ticket", "service_group": centre.group_a.pk,
         "priority_class": centre.elderly.pk},
    )  # fmt: skip
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.priority_class == centre.elderly and ticket.source == TicketSource.KIOSK
    page = client.get(response["Location"])
    body = page.content.decode()
    assert "A001" in body and "Người cao tuổi" in body and "khoảng 0 phút" in body
    assert "data-print" in body
    # The next ticket waits behind it: 1 ahead × 10 min ÷ 3 counters serving A.
    client.post(url, {"form": "ticket", "service_group": centre.group_a.pk})
    assert "khoảng 3 phút" in client.get(response["Location"]).content.decode()


def test_empty_or_foreign_group_issues_nothing(client, centre):
    other = make_centre()
    url = reverse("queueing:kiosk", args=[centre.desk.pk])
    assert client.post(url, {}).status_code == 200
    response = client.post(url, {"form": "ticket", "service_group": other.group_a.pk})
    assert response.status_code == 400
    assert not Ticket.objects.exists()


@override_settings(TTHC={"QUEUE_TICKETS_PER_SESSION": 2, "QUEUE_TICKETS_PER_ADDRESS": 100})
def test_ticket_issuing_is_rate_limited_per_session(client, centre):
    url = reverse("queueing:kiosk", args=[centre.desk.pk])
    data = {"form": "ticket", "service_group": centre.group_a.pk}
    assert [client.post(url, data).status_code for _ in range(3)] == [302, 302, 400]
    assert Ticket.objects.count() == 2


@override_settings(TTHC={"QUEUE_TICKETS_PER_SESSION": 50, "QUEUE_TICKETS_PER_ADDRESS": 3})
def test_ticket_issuing_is_rate_limited_per_address_without_cookies(centre):
    from django.test import Client

    url = reverse("queueing:kiosk", args=[centre.desk.pk])
    data = {"form": "ticket", "service_group": centre.group_a.pk}
    codes = [Client().post(url, data).status_code for _ in range(4)]
    assert codes == [302, 302, 302, 400]


def test_check_in_with_booking_code(client, centre):
    today = timezone.localdate()
    slot = make_slots(centre.group_a, today, count=1)[0]
    # Booked the day before (the slot has not started then).
    booking = appointment_book(person=UserFactory(), slot=slot,
                               at=timezone.now() - timedelta(days=1))  # fmt: skip
    url = reverse("queueing:kiosk", args=[centre.desk.pk])
    wrong = client.post(url, {"form": "check_in", "dat-lich-code": "SAIMA123"})
    assert wrong.status_code == 400 and "Không tìm thấy lịch hẹn" in wrong.content.decode()
    response = client.post(url, {"form": "check_in", "dat-lich-code": booking.code.lower()})
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.source == TicketSource.BOOKING
    assert ticket.label in client.get(response["Location"]).content.decode()
