"""The public display: counters and the numbers served, refreshed from JSON
by a script (no reload), with a polite live region; numbers only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from queueing.services.tickets import ticket_call_next, ticket_issue
from tests.queueing.helpers import make_centre

pytestmark = pytest.mark.django_db


def test_display_page_and_data(client):
    centre = make_centre()
    ticket_issue(service_group=centre.group_a, priority_class=centre.disabled)
    ticket_issue(service_group=centre.group_a)
    ticket_issue(service_group=centre.group_b)
    ticket_call_next(actor=centre.officers[0], counter=centre.counters[1])
    page = client.get(reverse("queueing:display", args=[centre.desk.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'aria-live="polite"' in body and "queueing/display.js" in body
    assert "A001" in body
    data = client.get(reverse("queueing:display_data", args=[centre.desk.pk])).json()
    assert data["counters"] == [
        {"number": 1, "name": "", "ticket": "", "priority": False},
        {"number": 2, "name": "", "ticket": "A001", "priority": True},
        {"number": 3, "name": "", "ticket": "", "priority": False},
    ]
    assert [g["waiting"] for g in data["groups"]] == [1, 1]
    assert data["recent"][0]["ticket"] == "A001" and data["recent"][0]["counter"] == 2


def test_unknown_centre_is_404(client):
    assert client.get(reverse("queueing:display_data", args=[999999])).status_code == 404


def test_centres_page_lists_configured_centres_only(client):
    centre = make_centre()
    body = client.get(reverse("queueing:centres")).content.decode()
    assert centre.desk.name in body
    assert reverse("queueing:kiosk", args=[centre.desk.pk]) in body
