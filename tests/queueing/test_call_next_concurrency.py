"""Officers pressing "next" at the same instant get different tickets
(PostgreSQL: SELECT … FOR UPDATE SKIP LOCKED)."""

from __future__ import annotations

import pytest
from django.db import connection

from queueing.models import Counter, Ticket, TicketStatus
from queueing.services.tickets import ticket_call_next, ticket_issue
from tests.queueing.helpers import at, make_centre
from tests.support.concurrency import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.postgres,
]


def test_parallel_next_calls_get_distinct_tickets(require_postgres):
    assert connection.vendor == "postgresql"
    centre = make_centre(counters=8, officers=1)
    counters = list(Counter.objects.filter(centre=centre.desk))
    for counter in counters:
        counter.service_groups.add(centre.group_a)
    for minute in range(12):
        ticket_issue(service_group=centre.group_a, at=at(8, minute))
    officer = centre.officers[0]
    for _round in range(2):
        results = run_together(
            [lambda c=c: ticket_call_next(actor=officer, counter=c, at=at(9)) for c in counters]
        )
        assert all(kind == "ok" for kind, _ in results), results
        labels = [ticket.label for _, ticket in results if ticket is not None]
        assert len(labels) == len(set(labels)) == (8 if _round == 0 else 4)
    called = Ticket.objects.filter(status=TicketStatus.CALLED)
    done = Ticket.objects.filter(status=TicketStatus.DONE)
    # 16 presses over 12 tickets: every ticket called exactly once, 4 presses found nobody.
    assert called.count() == 4 and done.count() == 8
    assert called.values("counter").distinct().count() == 4
    events = Ticket.objects.values_list("events__action", flat=True)
    assert list(events).count("call") == 12
