"""A calendar edit that is rolled back must not linger in the process cache."""

from datetime import date

import pytest
from django.db import transaction

from tthc_portal.workdays.models import CalendarException
from tthc_portal.workdays.services import get_calendar

# Serialized rollback like every transactional test here: mixing flush modes
# would re-create content types twice for the next serialized test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class Abort(Exception):
    pass


def test_rolled_back_holiday_is_forgotten(holiday_calendar):
    day = date(2025, 3, 4)
    assert get_calendar().is_working_day(day)
    with pytest.raises(Abort), transaction.atomic():
        CalendarException.objects.create(date=day, kind="holiday", name="Thử")
        # Inside the transaction the edit is visible to this process…
        assert not get_calendar().is_working_day(day)
        raise Abort
    # …and after the rollback it is gone again.
    assert get_calendar().is_working_day(day)


def test_committed_holiday_is_seen(holiday_calendar):
    day = date(2025, 3, 5)
    assert get_calendar().is_working_day(day)
    with transaction.atomic():
        CalendarException.objects.create(date=day, kind="holiday", name="Thử")
    assert not get_calendar().is_working_day(day)
