"""The ticket lifecycle runs on the kernel engine (issue #16 item 1): every row
of the table goes through ``TICKET_LIFECYCLE`` with its named effects stamping
the times, a refused status keeps the service's message, "call" stays the next
button's, and the actions offered by hand are those the engine allows now."""

from __future__ import annotations

import re

import pytest

from queueing.models import Ticket, TicketStatus
from queueing.services import QueueError
from queueing.services.tickets import ticket_call_next, ticket_issue, ticket_transition
from queueing.workflow import (
    CALL_NEXT,
    COUNTER_ACTIONS,
    DESK,
    TICKET_LIFECYCLE,
    TicketChange,
    actions_for,
    actions_from,
)
from tests.queueing.helpers import at, make_centre
from tthc_portal.lifecycle import ActorRefused

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre():
    return make_centre()


def _called(centre, minute: int = 10) -> Ticket:
    ticket_issue(service_group=centre.group_a, at=at(8))
    return ticket_call_next(actor=centre.officers[0], counter=centre.counters[0], at=at(8, minute))


def _events(ticket: Ticket) -> list[tuple[str, str, str]]:
    return [(e.action, e.from_status, e.to_status) for e in ticket.events.order_by("pk")]


def test_the_table_keeps_call_for_the_next_button():
    actors = {action: t.actors for action, t in TICKET_LIFECYCLE.items()}
    assert actors == {
        "call": {CALL_NEXT},
        "recall": {DESK},
        "complete": {DESK},
        "skip": {DESK},
        "restore": {DESK},
        "transfer": {DESK},
    }
    assert actions_from(TicketStatus.WAITING) == []
    assert actions_from(TicketStatus.CALLED) == list(COUNTER_ACTIONS)
    assert actions_from(TicketStatus.SKIPPED) == ["restore"]
    assert actions_from(TicketStatus.DONE) == []


def test_call_stamps_the_counter_the_officer_and_the_wait(centre):
    ticket = _called(centre)
    assert ticket.status == TicketStatus.CALLED and ticket.counter == centre.counters[0]
    assert ticket.called_at == ticket.announced_at == ticket.first_called_at == at(8, 10)
    assert ticket.called_by == centre.officers[0] and ticket.wait_seconds == 600
    assert _events(ticket) == [("call", TicketStatus.WAITING, TicketStatus.CALLED)]
    assert actions_for(ticket) == list(COUNTER_ACTIONS)


def test_recall_announces_again_without_changing_status(centre):
    ticket = _called(centre)
    ticket = ticket_transition(actor=centre.officers[0], ticket=ticket, action="recall",
                               counter=centre.counters[0], at=at(8, 12))  # fmt: skip
    assert ticket.status == TicketStatus.CALLED and ticket.recall_count == 1
    assert ticket.announced_at == at(8, 12) and ticket.called_at == at(8, 10)
    assert _events(ticket)[-1] == ("recall", TicketStatus.CALLED, TicketStatus.CALLED)


def test_complete_adds_service_time_and_stamps_the_end(centre):
    ticket = _called(centre)
    ticket = ticket_transition(actor=centre.officers[0], ticket=ticket, action="complete",
                               counter=centre.counters[0], at=at(8, 14))  # fmt: skip
    assert ticket.status == TicketStatus.DONE
    assert ticket.service_seconds == 240 and ticket.completed_at == at(8, 14)
    assert actions_for(ticket) == []


def test_skip_then_restore_puts_the_ticket_back_in_line(centre):
    officer, counter = centre.officers[0], centre.counters[0]
    ticket = _called(centre)
    ticket = ticket_transition(actor=officer, ticket=ticket, action="skip", counter=counter,
                               at=at(8, 11))  # fmt: skip
    assert ticket.status == TicketStatus.SKIPPED and ticket.completed_at == at(8, 11)
    assert ticket.service_seconds is None
    assert actions_for(ticket) == ["restore"]
    ticket = ticket_transition(actor=officer, ticket=ticket, action="restore", counter=counter,
                               at=at(8, 20))  # fmt: skip
    assert ticket.status == TicketStatus.WAITING
    assert ticket.counter is None and ticket.completed_at is None
    # Called again later: the first call and its wait are kept.
    again = ticket_call_next(actor=officer, counter=counter, at=at(8, 30))
    assert again.pk == ticket.pk and again.first_called_at == at(8, 10)
    assert again.wait_seconds == 600 and again.called_at == at(8, 30)
    assert [e[0] for e in _events(again)] == ["call", "skip", "restore", "call"]


def test_transfer_adds_service_time_and_reserves_the_ticket(centre):
    officer, one, two = centre.officers[0], centre.counters[0], centre.counters[1]
    ticket = _called(centre)
    ticket = ticket_transition(actor=officer, ticket=ticket, action="transfer", counter=one,
                               target=two, at=at(8, 13))  # fmt: skip
    assert ticket.status == TicketStatus.WAITING and ticket.counter == two
    assert ticket.transferred_at == at(8, 13) and ticket.service_seconds == 180
    event = ticket.events.order_by("pk").last()
    assert (event.action, event.counter) == ("transfer", two)


@pytest.mark.parametrize("action", ["skip", "recall", "complete", "transfer"])
def test_a_refused_status_gives_the_services_message(centre, action):
    officer, counter = centre.officers[0], centre.counters[0]
    ticket = _called(centre)
    ticket_transition(actor=officer, ticket=ticket, action="complete", counter=counter,
                      at=at(8, 12))  # fmt: skip
    ticket.refresh_from_db()
    label = str(TICKET_LIFECYCLE[action].label).lower()
    message = f"Vé A001 đang ở trạng thái “{ticket.get_status_display()}”, không thể {label}."
    with pytest.raises(QueueError, match=re.escape(message)):
        ticket_transition(actor=officer, ticket=ticket, action=action, counter=counter,
                          target=centre.counters[1], at=at(8, 13))  # fmt: skip
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.DONE and len(_events(ticket)) == 2


def test_restore_of_a_waiting_ticket_is_refused_with_the_same_message(centre):
    ticket = ticket_issue(service_group=centre.group_a, at=at(8))
    status = ticket.get_status_display()
    message = f"Vé A001 đang ở trạng thái “{status}”, không thể xếp lại hàng."
    with pytest.raises(QueueError, match=re.escape(message)):
        ticket_transition(actor=centre.officers[0], ticket=ticket, action="restore",
                          counter=centre.counters[0], at=at(8, 1))  # fmt: skip


@pytest.mark.parametrize("action", ["call", "next", ""])
def test_call_and_unknown_actions_are_not_taken_by_hand(centre, action):
    ticket = ticket_issue(service_group=centre.group_a, at=at(8))
    with pytest.raises(QueueError, match=re.escape("Thao tác không hợp lệ.")):
        ticket_transition(actor=centre.officers[0], ticket=ticket, action=action,
                          counter=centre.counters[0], at=at(8, 1))  # fmt: skip
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING and not ticket.events.exists()


def test_the_engine_refuses_call_to_a_desk_capability(centre):
    ticket = ticket_issue(service_group=centre.group_a, at=at(8))
    with pytest.raises(ActorRefused):
        TICKET_LIFECYCLE.check("call", ticket, {DESK})
    change = TicketChange(actor=None, counter=centre.counters[0], at=at(8, 5))
    outcome = TICKET_LIFECYCLE.run("call", ticket, change, capabilities={CALL_NEXT})
    assert (outcome.before, outcome.after) == (TicketStatus.WAITING, TicketStatus.CALLED)
    assert ticket.called_by is None and ticket.wait_seconds == 300
    assert outcome.fields[-1] == "status"
