"""The counter page: only the counter's agency's desk officers reach it; the
buttons go through the services."""

from __future__ import annotations

import pytest
from django.urls import reverse

from queueing.models import Ticket, TicketStatus
from queueing.services.tickets import ticket_issue
from tests.factories import AgencyFactory, UserFactory, make_staff
from tests.queueing.dossier_helpers import dossier_with_code
from tests.queueing.helpers import make_centre
from tthc_portal.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_officer_calls_recalls_transfers_and_completes(client):
    centre = make_centre()
    ticket_issue(service_group=centre.group_a)
    client.force_login(centre.officers[0])
    one, two = centre.counters[1], centre.counters[2]
    url = reverse("queueing:counter", args=[one.pk])
    assert "Quầy 2" in client.get(reverse("queueing:counters")).content.decode()
    assert client.post(url, {"action": "next"}).status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.status == TicketStatus.CALLED and ticket.counter == one
    assert "A001" in client.get(url).content.decode()
    own = dossier_with_code(centre.agency, "000.00.01.T00-261207-0007")
    client.post(url, {"action": "link", "ticket": ticket.pk, "dossier_code": own.code})
    assert own.code in client.get(url).content.decode()
    client.post(url, {"action": "recall", "ticket": ticket.pk})
    client.post(url, {"action": "transfer", "ticket": ticket.pk, "target": two.pk})
    ticket.refresh_from_db()
    assert (ticket.recall_count, ticket.status, ticket.counter) == (1, TicketStatus.WAITING, two)
    url_two = reverse("queueing:counter", args=[two.pk])
    client.post(url_two, {"action": "next"})
    client.post(url_two, {"action": "complete", "ticket": ticket.pk})
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.DONE


def test_other_agencies_and_citizens_are_kept_out(client):
    centre = make_centre()
    ticket_issue(service_group=centre.group_a)
    url = reverse("queueing:counter", args=[centre.counters[0].pk])
    client.force_login(make_staff(Role.DESK_OFFICER, AgencyFactory()))
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "next"}).status_code == 404
    client.force_login(UserFactory())
    assert client.post(url, {"action": "next"}).status_code == 403
    assert Ticket.objects.get().status == TicketStatus.WAITING
