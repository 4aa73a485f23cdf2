"""Where calendar rows come from: the official file, and the package fallback for later years."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from tthc_portal.workdays import services
from tthc_portal.workdays.models import CalendarException

pytestmark = pytest.mark.django_db


def official_entries() -> list[dict[str, Any]]:
    path = Path(settings.TTHC["HOLIDAYS_FILE"])
    return json.loads(path.read_text(encoding="utf-8"))["entries"]


def rows_for(year: int) -> list[tuple[date, str, str, str]]:
    return list(
        CalendarException.objects.filter(date__year=year)
        .order_by("date")
        .values_list("date", "kind", "name", "source")
    )


def test_load_file_matches_the_file() -> None:
    entries = official_entries()
    assert services.calendar_load_file() == len(entries)
    stored = dict(CalendarException.objects.values_list("date", "kind"))
    assert stored == {date.fromisoformat(e["date"]): e["kind"] for e in entries}


def test_load_file_is_idempotent() -> None:
    first = services.calendar_load_file()
    rows = list(CalendarException.objects.order_by("date").values_list("date", "kind", "name"))
    second = services.calendar_load_file()
    assert first == second
    assert CalendarException.objects.count() == len(rows) == first
    assert list(CalendarException.objects.order_by("date").values_list("date", "kind", "name")) == (
        rows
    )


def test_reload_keeps_staff_rows_for_other_dates() -> None:
    services.calendar_load_file()
    CalendarException.objects.create(
        date=date(2025, 3, 10), kind="holiday", name="Ngày lễ của tỉnh", source="QĐ tỉnh"
    )
    services.calendar_load_file()
    assert CalendarException.objects.filter(date=date(2025, 3, 10)).exists()
    assert not services.get_calendar().is_working_day(date(2025, 3, 10))


def test_reload_restores_an_official_row_edited_by_mistake() -> None:
    services.calendar_load_file()
    CalendarException.objects.filter(date=date(2025, 5, 2)).update(kind="holiday", name="sai")
    services.calendar_load_file()
    row = CalendarException.objects.get(date=date(2025, 5, 2))
    assert row.kind == "day_off"
    assert row.name != "sai"


def test_package_fills_a_year_absent_from_the_file() -> None:
    services.calendar_load_file()
    assert not CalendarException.objects.filter(date__year=2027).exists()

    written = services.calendar_fill_from_package([2027])

    assert written == CalendarException.objects.filter(date__year=2027).count() > 0
    new_year = CalendarException.objects.get(date=date(2027, 1, 1))
    assert new_year.kind == "holiday"
    # Staff read these names on the calendar page: Vietnamese, not the package's English.
    assert new_year.name == "Tết Dương lịch"
    assert "holidays package" in new_year.source
    cal = services.get_calendar()
    assert not cal.is_working_day(date(2027, 1, 1))
    # Tết Đinh Mùi: lunar new year is Saturday 06/02/2027; the weekdays around it are off.
    for day in (date(2027, 2, 4), date(2027, 2, 5), date(2027, 2, 8), date(2027, 2, 9)):
        assert not cal.is_working_day(day), day
    assert cal.is_working_day(date(2027, 2, 3))
    # 01/05/2027 is a Saturday: the compensatory Monday is off.
    assert cal.non_working_reason(date(2027, 5, 3)) == "day_off"


def test_package_never_touches_a_year_the_file_covers() -> None:
    services.calendar_load_file()
    covered = {year: rows_for(year) for year in (2023, 2024, 2025, 2026)}

    written = services.calendar_fill_from_package([2023, 2024, 2025, 2026, 2027])

    assert written == CalendarException.objects.filter(date__year=2027).count()
    for year, rows in covered.items():
        assert rows_for(year) == rows, year
    # The package's generic Tết 2025 would differ from the announced one; the file wins.
    assert services.get_calendar().is_working_day(date(2025, 2, 3))


def test_package_counts_each_row_once() -> None:
    written = services.calendar_fill_from_package([2027, 2027])
    assert written == CalendarException.objects.filter(date__year=2027).count() > 0


def test_package_fill_is_idempotent() -> None:
    services.calendar_load_file()
    services.calendar_fill_from_package([2027])
    rows = rows_for(2027)
    assert services.calendar_fill_from_package([2027]) == 0
    assert rows_for(2027) == rows


def test_package_respects_a_year_staff_already_started() -> None:
    # A make-up Saturday entered ahead of the package run must not be mixed
    # with generic rules: the year is left to staff.
    CalendarException.objects.create(
        date=date(2027, 1, 9), kind="makeup_workday", name="Làm bù", source="thông báo"
    )
    assert services.calendar_fill_from_package([2027]) == 0
    assert rows_for(2027) == [(date(2027, 1, 9), "makeup_workday", "Làm bù", "thông báo")]
