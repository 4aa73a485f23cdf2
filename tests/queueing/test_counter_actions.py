"""Recall, skip, transfer, restore and dossier linking at a counter, through
the transition table, with history, audit and stored times."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from queueing.models import TicketStatus
from queueing.services import QueueError
from queueing.services.tickets import (
    ticket_call_next,
    ticket_issue,
    ticket_link_dossier,
    ticket_transition,
)
from tests.factories import AgencyFactory, make_staff
from tests.queueing.helpers import at, make_centre
from tthc_portal.accounts.roles import Role
from tthc_portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre():
    return make_centre()


def test_recall_keeps_the_ticket_and_announces_again(centre):
    ticket_issue(service_group=centre.group_a, at=at(8))
    officer, counter = centre.officers[0], centre.counters[1]
    ticket = ticket_call_next(actor=officer, counter=counter, at=at(8, 10))
    ticket = ticket_transition(actor=officer, ticket=ticket, action="recall", counter=counter,
                               at=at(8, 11))  # fmt: skip
    assert ticket.status == TicketStatus.CALLED and ticket.recall_count == 1
    assert ticket.announced_at == at(8, 11) and ticket.called_at == at(8, 10)
    assert ticket.wait_seconds == 600
    assert [e.action for e in ticket.events.all()] == ["call", "recall"]
    assert AuditEvent.objects.filter(action="queueing.ticket_recall").count() == 1


def test_skip_marks_absent_and_next_goes_on(centre):
    ticket_issue(service_group=centre.group_a, at=at(8))
    ticket_issue(service_group=centre.group_a, at=at(8, 1))
    officer, counter = centre.officers[0], centre.counters[1]
    first = ticket_call_next(actor=officer, counter=counter, at=at(8, 10))
    first = ticket_transition(actor=officer, ticket=first, action="skip", counter=counter,
                              at=at(8, 12))  # fmt: skip
    assert first.status == TicketStatus.SKIPPED and first.service_seconds is None
    second = ticket_call_next(actor=officer, counter=counter, at=at(8, 13))
    assert second.label == "A002"
    first.refresh_from_db()
    assert first.status == TicketStatus.SKIPPED  # not completed by the next call
    # The citizen comes back: in line again at their place.
    ticket_transition(actor=officer, ticket=first, action="restore", counter=counter, at=at(8, 20))
    again = ticket_call_next(actor=officer, counter=counter, at=at(8, 25))
    assert again.label == "A001" and again.wait_seconds == 600  # the first wait is kept
    second.refresh_from_db()
    assert second.status == TicketStatus.DONE and second.service_seconds == 12 * 60


def test_transfer_reserves_the_ticket_for_the_other_counter_ahead_of_the_line(centre):
    ticket_issue(service_group=centre.group_a, at=at(8))
    ticket_issue(service_group=centre.group_a, at=at(8, 1))
    officer, one, two = centre.officers[0], centre.counters[1], centre.counters[2]
    ticket = ticket_call_next(actor=officer, counter=one, at=at(8, 10))
    ticket = ticket_transition(actor=officer, ticket=ticket, action="transfer", counter=one,
                               target=two, at=at(8, 15))  # fmt: skip
    assert ticket.status == TicketStatus.WAITING and ticket.counter == two
    assert ticket.service_seconds == 300
    # Counter one does not get it back; counter two calls it before A002.
    assert ticket_call_next(actor=officer, counter=one, at=at(8, 16)).label == "A002"
    moved = ticket_call_next(actor=officer, counter=two, at=at(8, 17))
    assert moved.label == "A001" and moved.wait_seconds == 600
    moved = ticket_transition(actor=officer, ticket=moved, action="complete", counter=two,
                              at=at(8, 20))  # fmt: skip
    assert moved.service_seconds == 300 + 180


def test_refusals(centre):
    ticket = ticket_issue(service_group=centre.group_a, at=at(8))
    officer, one, two = centre.officers[0], centre.counters[1], centre.counters[2]
    with pytest.raises(QueueError):  # not called yet
        ticket_transition(actor=officer, ticket=ticket, action="skip", counter=one)
    ticket = ticket_call_next(actor=officer, counter=one, at=at(8, 1))
    with pytest.raises(QueueError):  # another counter's ticket
        ticket_transition(actor=officer, ticket=ticket, action="recall", counter=two)
    with pytest.raises(QueueError):  # transfer to itself
        ticket_transition(actor=officer, ticket=ticket, action="transfer", counter=one, target=one)
    outsider = make_staff(Role.DESK_OFFICER, AgencyFactory())
    with pytest.raises(PermissionDenied):
        ticket_call_next(actor=outsider, counter=one)
    with pytest.raises(PermissionDenied):
        ticket_transition(actor=outsider, ticket=ticket, action="complete", counter=one)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CALLED


def test_link_dossier_only_from_the_officers_agencies(centre):
    from tests.queueing.dossier_helpers import dossier_with_code

    ticket_issue(service_group=centre.group_a, at=at(8))
    officer, counter = centre.officers[0], centre.counters[1]
    ticket = ticket_call_next(actor=officer, counter=counter, at=at(8, 1))
    own = dossier_with_code(centre.agency, "000.00.01.T00-261207-0001")
    foreign = dossier_with_code(AgencyFactory(), "000.00.02.T00-261207-0001")
    ticket_link_dossier(actor=officer, ticket=ticket, counter=counter, code=own.code)
    with pytest.raises(QueueError):
        ticket_link_dossier(actor=officer, ticket=ticket, counter=counter, code=foreign.code)
    assert list(ticket.dossiers.all()) == [own]
