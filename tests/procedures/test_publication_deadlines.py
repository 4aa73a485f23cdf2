"""Publication deadlines on the working-day calendar (publication.md §2)."""

from datetime import date

import pytest

from procedures.models import DeadlineKey, PublicationDeadlineRule
from procedures.services.publication import compute_due, shift_working_days, task_deadlines

pytestmark = pytest.mark.django_db


def test_hung_yen_example_list_and_workflow_deadlines(holiday_calendar):
    # Ministry of Health decision 3574/QĐ-BYT of 19/11/2025.
    assert compute_due(DeadlineKey.LIST, date(2025, 11, 19)) == date(2025, 11, 25)
    assert compute_due(DeadlineKey.WORKFLOW, date(2025, 11, 19)) == date(2025, 11, 28)


def test_list_deadline_skips_tet(holiday_calendar):
    # Decision on Thu 12/02/2026: Fri 13 is day 1, then Tết (14–22/02), Mon 23 is day 2.
    assert compute_due(DeadlineKey.LIST, date(2026, 2, 12)) == date(2026, 2, 25)


def test_decision_must_precede_effect_by_five_working_days(holiday_calendar):
    # Legal basis effective Mon 01/12/2025 → chairman's decision by Mon 24/11/2025.
    assert compute_due(DeadlineKey.DECISION, date(2025, 12, 1)) == date(2025, 11, 24)


def test_posting_counts_a_make_up_saturday(holiday_calendar):
    # Decision Fri 21/08/2026; Sat 22/08 is a make-up working day.
    # Without the make-up day the deadline would be Fri 28/08.
    assert compute_due(DeadlineKey.POSTING, date(2026, 8, 21)) == date(2026, 8, 27)


def test_rules_are_dated_configuration(holiday_calendar):
    PublicationDeadlineRule.objects.create(
        key=DeadlineKey.LIST,
        anchor="ministry_decision",
        offset_working_days=3,
        valid_from=date(2026, 1, 1),
        source="Quy định mới của tỉnh",
    )
    assert compute_due(DeadlineKey.LIST, date(2025, 11, 19)) == date(2025, 11, 25)
    # Wed 04/03/2026 + 3 WD = Mon 09/03/2026 under the new rule.
    assert compute_due(DeadlineKey.LIST, date(2026, 3, 4)) == date(2026, 3, 9)


def test_shift_backwards_and_zero(holiday_calendar):
    assert shift_working_days(holiday_calendar, date(2025, 2, 3), -1) == date(2025, 1, 24)
    assert shift_working_days(holiday_calendar, date(2025, 2, 3), 0) == date(2025, 2, 3)


def test_board_states(holiday_calendar):
    from types import SimpleNamespace

    task = SimpleNamespace(
        list_due=date(2025, 11, 25),
        workflow_due=date(2025, 11, 28),
        decision_due=None,
        posting_due=None,
        chairman_decision_date=date(2025, 11, 28),
        workflow_done_on=date(2025, 11, 27),
        posted_on=None,
    )
    states = {d.key: d.state for d in task_deadlines(task, date(2025, 12, 1), holiday_calendar)}
    assert states == {"list": "late", "workflow": "on_time", "decision": "n/a", "posting": "n/a"}
    open_task = SimpleNamespace(**{**vars(task), "chairman_decision_date": None})
    states = {
        d.key: d.state for d in task_deadlines(open_task, date(2025, 11, 24), holiday_calendar)
    }
    assert states["list"] == "due_soon"
    states = {
        d.key: d.state for d in task_deadlines(open_task, date(2025, 11, 20), holiday_calendar)
    }
    assert states["list"] == "pending"
    states = {
        d.key: d.state for d in task_deadlines(open_task, date(2025, 11, 26), holiday_calendar)
    }
    assert states["list"] == "overdue"
