"""Priority tickets are called first (strict) or one after every N normal
ones (interleaved), a setting per service group; heavier classes first."""

from __future__ import annotations

import pytest

from queueing.models import PriorityStrategy
from queueing.services.tickets import ticket_call_next, ticket_issue
from tests.queueing.helpers import at, make_centre

pytestmark = pytest.mark.django_db


def _issue(centre, pattern: str, start_minute: int = 0):
    """'N' a normal ticket, 'E' elderly, 'D' disabled, one a minute from 8:00."""
    classes = {"N": None, "E": centre.elderly, "D": centre.disabled}
    return [
        ticket_issue(service_group=centre.group_a, priority_class=classes[kind],
                     at=at(8, start_minute + i))
        for i, kind in enumerate(pattern)
    ]  # fmt: skip


def _call_all(centre, count: int, counter=None):
    counter = counter or centre.counters[1]
    officer = centre.officers[0]
    labels = []
    for i in range(count):
        ticket = ticket_call_next(actor=officer, counter=counter, at=at(9, i))
        labels.append(ticket.label if ticket else None)
    return labels


def test_strict_calls_every_priority_ticket_first_heaviest_class_first():
    centre = make_centre(strategy=PriorityStrategy.STRICT)
    _issue(centre, "NNENDN")  # A001 N, A002 N, A003 E, A004 N, A005 D, A006 N
    assert _call_all(centre, 7) == ["A005", "A003", "A001", "A002", "A004", "A006", None]


def test_interleaved_calls_one_priority_after_every_n_normal():
    centre = make_centre(strategy=PriorityStrategy.INTERLEAVED, interleave=2)
    _issue(centre, "EENNNNNE")  # A001 E, A002 E, A003–A007 N, A008 E
    assert _call_all(centre, 9) == [
        "A003", "A004",  # 2 normal
        "A001",  # then 1 priority (oldest of equal weight)
        "A005", "A006",
        "A002",
        "A007",  # no priority due yet; one normal left
        "A008",  # only priority tickets remain: they are not kept waiting
        None,
    ]  # fmt: skip


def test_interleave_counts_calls_at_every_counter_of_the_group():
    centre = make_centre(strategy=PriorityStrategy.INTERLEAVED, interleave=2)
    _issue(centre, "NNNE")
    officer = centre.officers[0]
    first = ticket_call_next(actor=officer, counter=centre.counters[1], at=at(9, 0))
    second = ticket_call_next(actor=officer, counter=centre.counters[2], at=at(9, 1))
    third = ticket_call_next(actor=officer, counter=centre.counters[1], at=at(9, 2))
    assert [first.label, second.label, third.label] == ["A001", "A002", "A004"]


def test_a_counter_calls_only_its_groups():
    centre = make_centre()
    ticket_issue(service_group=centre.group_b, at=at(8, 0))
    officer = centre.officers[0]
    assert ticket_call_next(actor=officer, counter=centre.counters[1], at=at(9)) is None
    assert ticket_call_next(actor=officer, counter=centre.counters[0], at=at(9)).label == "B001"


def test_ticket_records_its_class_and_numbers_restart_each_day():
    centre = make_centre()
    first = ticket_issue(service_group=centre.group_a, priority_class=centre.elderly, at=at(8))
    ticket_issue(service_group=centre.group_a, at=at(8, 5))
    next_day = ticket_issue(service_group=centre.group_a, at=at(8, day=8))
    assert first.priority_class == centre.elderly and first.priority_weight == 2
    assert (first.label, next_day.label) == ("A001", "A001")
