"""Waiting and service time per counter, group, day and hour, aggregated in SQL."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from queueing.models import Counter
from queueing.selectors import queue_statistics, statistics_by_hour
from queueing.services.tickets import ticket_call_next, ticket_issue, ticket_transition
from tests.queueing.helpers import at, make_centre

pytestmark = pytest.mark.django_db


def test_statistics_group_by_counter_group_day_and_hour_in_one_query():
    centre = make_centre()
    officer, one, two = centre.officers[0], centre.counters[1], centre.counters[2]
    # 8:00 and 8:10 issued; called at 8:20 (wait 20 min) and 8:30 (wait 20 min).
    ticket_issue(service_group=centre.group_a, at=at(8))
    ticket_issue(service_group=centre.group_a, at=at(8, 10))
    ticket_call_next(actor=officer, counter=one, at=at(8, 20))
    second = ticket_call_next(actor=officer, counter=two, at=at(8, 30))
    ticket_call_next(actor=officer, counter=one, at=at(8, 26))  # finishes the first: 6 min
    ticket_transition(actor=officer, ticket=second, action="complete", counter=two, at=at(8, 40))
    # 9:00 issued, called 9:05 at counter one and skipped.
    ticket_issue(service_group=centre.group_a, at=at(9))
    third = ticket_call_next(actor=officer, counter=one, at=at(9, 5))
    ticket_transition(actor=officer, ticket=third, action="skip", counter=one, at=at(9, 8))
    with CaptureQueriesContext(connection) as queries:
        rows = queue_statistics(Counter.objects.filter(centre=centre.desk), at(0).date(),
                                at(0).date())  # fmt: skip
    assert len(queries) == 1 and "GROUP BY" in queries[0]["sql"]
    table = {(r["counter__number"], r["hour"]): r for r in rows}
    assert set(table) == {(2, 8), (3, 8), (2, 9)}
    assert (table[2, 8]["tickets"], table[2, 8]["served"], table[2, 8]["wait_avg"]) == (1, 1, 1200)
    assert table[2, 8]["service_avg"] == 360 and table[3, 8]["service_avg"] == 600
    assert (table[2, 9]["skipped"], table[2, 9]["wait_avg"], table[2, 9]["service_avg"]) == (
        1, 300, None,
    )  # fmt: skip
    hours = statistics_by_hour(rows)
    assert hours == [
        {"hour": 8, "wait_minutes": 20.0, "service_minutes": 8.0},
        {"hour": 9, "wait_minutes": 5.0, "service_minutes": 0},
    ]
