"""The working calendar falls back to the database when the cache is unreachable."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import UserFactory
from tthc_portal.workdays import services as workdays
from tthc_portal.workdays.models import ExceptionKind

pytestmark = pytest.mark.django_db


def test_the_calendar_is_read_from_the_database(holiday_calendar, cache_down) -> None:
    calendar = workdays.get_calendar()

    assert not calendar.is_working_day(date(2025, 1, 1))  # New Year, from the rows
    assert calendar.is_working_day(date(2025, 1, 2))


def test_an_edit_during_the_outage_is_saved_and_seen(
    holiday_calendar, cache_down, django_capture_on_commit_callbacks
) -> None:
    workdays.get_calendar()  # a fallback copy is held
    with django_capture_on_commit_callbacks(execute=True):
        workdays.calendar_exception_save(
            actor=UserFactory(), day=date(2025, 1, 2), kind=ExceptionKind.DAY_OFF, name="Nghỉ bù"
        )

    assert not workdays.get_calendar().is_working_day(date(2025, 1, 2))
