"""When a publication deadline is met: the one rule for the board and for 766.

The publication board and criterion 1.2 (posted on the national database on
time) both judge "posted on time" here, so the same task can never be "done on
time" on the board and late or unposted in the indicator.
"""

from __future__ import annotations

from datetime import date

PENDING = "pending"
DUE_SOON = "due_soon"
OVERDUE = "overdue"
ON_TIME = "on_time"
LATE = "late"
NOT_APPLICABLE = "n/a"

# The states that cost points: done after the due date, or still undone after it.
FAILED = frozenset({LATE, OVERDUE})


def deadline_state(
    due: date | None, done: date | None, on: date, soon_from: date | None = None
) -> str:
    """State of one whole-day deadline judged on ``on``.

    Done: on time if done on or before the due date. Not done: overdue only once
    the due date has passed; before that it is within the deadline (the rule the
    766 index applies to every open item at the end of a period)."""
    if due is None:
        return NOT_APPLICABLE
    if done is not None:
        return ON_TIME if done <= due else LATE
    if on > due:
        return OVERDUE
    if soon_from is not None and on >= soon_from:
        return DUE_SOON
    return PENDING


def posting_failed(posting_due: date | None, posted_on: date | None, on: date) -> bool:
    """Criterion 1.2: posted after its due date, or still unposted after it, as of ``on``.

    A task with a decision but no stored posting due date cannot be judged late
    by the board, so it is not late here either."""
    if posted_on is not None and posted_on > on:
        posted_on = None  # posted after the day judged: unposted on that day
    return deadline_state(posting_due, posted_on, on) in FAILED
