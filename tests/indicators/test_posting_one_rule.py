"""One "posted on time" for the publication board and criterion 1.2 (issue 14, item 7).

A chairman's decision of 28/11 posted on 02/12 is due 05/12: the board says
"done on time", and 1.2 listed it as late or unposted for November (still
unposted at the end of November, though not yet due). Both now judge it with
``procedures.publication_dates``.
"""

from __future__ import annotations

from datetime import date

import pytest

from indicators.engine.catalogue import criterion_12
from indicators.models import IndexRuleSet
from procedures.models import ChangeType, DeadlineKey, PublicationTask, TaskStatus
from procedures.publication_selectors import board_rows
from procedures.services.publication import (
    ItemInput,
    ministry_decision_record,
    task_chairman_decision_record,
    task_refresh_status,
)
from tests.support.province import HEALTH

pytestmark = pytest.mark.django_db

NOVEMBER = (date(2025, 11, 1), date(2025, 11, 30))
DECEMBER = (date(2025, 12, 1), date(2025, 12, 31))


def _published(province, users, decided: date, posted: date) -> PublicationTask:
    decision = ministry_decision_record(
        actor=users["vanphong"],
        number="3574/QĐ-BYT",
        decision_date=date(2025, 11, 19),
        issuing_body="Bộ Y tế",
        legal_basis_effective_date=None,
        summary="Bãi bỏ thủ tục",
        items=[ItemInput(ChangeType.ABOLISHED, province[HEALTH], "1.001806")],
    )
    task = task_refresh_status(decision.tasks.get())
    assert task.status == TaskStatus.APPROVED
    return task_chairman_decision_record(
        actor=users["vanphong"],
        task=task,
        number="1973/QĐ-UBND",
        decision_date=decided,
        effective_date=date(2025, 12, 15),
        today=posted,
    )


def _board_posting_state(users, task: PublicationTask) -> str:
    (row,) = [r for r in board_rows(users["vanphong"], date(2025, 12, 20)) if r["task"] == task]
    (posting,) = [d for d in row["deadlines"] if d.key == DeadlineKey.POSTING]
    return posting.state


def _late_in(period: tuple[date, date], task: PublicationTask) -> bool:
    start, end = period
    _ratio, late = criterion_12(start, end, IndexRuleSet.in_force(start))
    return task.items.get().pk in late


@pytest.mark.parametrize(
    ("decided", "board", "late"),
    [
        # Due 05/12, posted 02/12: on time; unposted but not yet due at the end of November.
        (date(2025, 11, 28), "on_time", False),
        # Due 27/11, posted 02/12: late, and already overdue at the end of November.
        (date(2025, 11, 20), "late", True),
    ],
)
def test_board_and_criterion_12_agree(province, users, decided, board, late) -> None:
    task = _published(province, users, decided, posted=date(2025, 12, 2))
    assert task.posted_on == date(2025, 12, 2)
    assert _board_posting_state(users, task) == board
    assert _late_in(NOVEMBER, task) is late
    assert _late_in(DECEMBER, task) is late


def test_not_yet_due_at_the_period_end_counts_as_within_the_deadline(province, users) -> None:
    task = _published(province, users, date(2025, 11, 28), posted=date(2025, 12, 2))
    rule_set = IndexRuleSet.in_force(NOVEMBER[0])
    ratio, late = criterion_12(*NOVEMBER, rule_set)
    # Counted in November (decided by its end + 5 working days), on time.
    assert (ratio.numerator, ratio.denominator, late) == (1, 1, set())
    PublicationTask.objects.filter(pk=task.pk).update(posted_on=None)
    # Still unposted: overdue at the end of December (due 05/12), within it at November's end.
    assert _late_in(DECEMBER, task) is True
    assert _late_in(NOVEMBER, task) is False
