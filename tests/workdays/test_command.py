"""`manage.py workdays`: the staff's shell calculator for deadlines."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from tthc_portal.workdays.calendar import WorkCalendar
from tthc_portal.workdays.models import CalendarException


def run(*args: str) -> str:
    out = StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue()


def due_line(output: str) -> str:
    return next(line for line in output.splitlines() if line.startswith("Hạn:"))


def test_add_five_days_across_tet(holiday_calendar: WorkCalendar) -> None:
    output = run("add", "2025-01-24 10:00", "5d")
    assert "07/02/2025 10:00" in due_line(output)
    assert "Thứ Sáu" in due_line(output)
    assert "31/01/2025" not in due_line(output)
    assert "Bỏ qua 9 ngày không làm việc:" in output
    for day in ("27/01/2025", "28/01/2025", "29/01/2025", "30/01/2025", "31/01/2025"):
        assert f"{day}: ngày lễ, tết" in output
    for day in ("25/01/2025", "26/01/2025", "01/02/2025", "02/02/2025"):
        assert f"{day}: cuối tuần" in output
    # Received in office hours: no separate clock-start line.
    assert "Bắt đầu tính" not in output


def test_add_whole_day_mode_ends_at_close(holiday_calendar: WorkCalendar) -> None:
    output = run("add", "2025-01-24 10:00", "5d", "--mode", "whole_day")
    assert "07/02/2025 17:00" in due_line(output)


def test_cutoff_moves_the_clock_start(holiday_calendar: WorkCalendar) -> None:
    output = run("add", "2025-04-29 15:20", "0d", "--cutoff", "15:00", "--mode", "whole_day")
    assert "Bắt đầu tính:     Thứ Hai 05/05/2025 08:00" in output
    assert "05/05/2025 17:00" in due_line(output)
    assert "02/05/2025: nghỉ bù / hoán đổi" in output

    before_cutoff = run("add", "2025-04-29 14:30", "0d", "--cutoff", "15:00", "--mode", "whole_day")
    assert "29/04/2025 17:00" in due_line(before_cutoff)
    assert "Không có ngày nghỉ nào bị bỏ qua." in before_cutoff


def test_hours_amount_and_out_of_hours_start(holiday_calendar: WorkCalendar) -> None:
    # Saturday night: the clock starts Monday 08:00, 4 h later is 12:00.
    output = run("add", "2025-03-08 22:00", "4h")
    assert "Bắt đầu tính:     Thứ Hai 10/03/2025 08:00" in output
    assert "10/03/2025 12:00" in due_line(output)


def test_decimal_comma_amount(holiday_calendar: WorkCalendar) -> None:
    output = run("add", "2025-03-04 10:00", "0,5d")
    assert "04/03/2025 15:00" in due_line(output)


@pytest.mark.parametrize("amount", ["5x", "d", "5 ngày", "1.5.d", ""])
def test_bad_amount_is_a_vietnamese_error(holiday_calendar: WorkCalendar, amount: str) -> None:
    with pytest.raises(CommandError, match=r"Thời hạn phải có dạng 5d, 0\.5d hoặc 4h"):
        run("add", "2025-01-24 10:00", amount)


def test_bad_instant_is_a_vietnamese_error(holiday_calendar: WorkCalendar) -> None:
    with pytest.raises(CommandError, match="Không đọc được thời điểm"):
        run("add", "24-01-2025 10h", "5d")


def test_between_measures_example3_pause(holiday_calendar: WorkCalendar) -> None:
    output = run("between", "2025-03-05 14:00", "2025-03-11 10:30")
    assert output.startswith("29.5 giờ làm việc")
    assert "3.6875 ngày làm việc" in output


def test_between_over_tet_counts_only_working_days(holiday_calendar: WorkCalendar) -> None:
    output = run("between", "2025-01-24 08:00", "2025-02-03 17:00")
    assert output.startswith("16 giờ làm việc (2 ngày làm việc)")


@pytest.mark.django_db
def test_load_reports_the_row_count() -> None:
    data = json.loads(Path(settings.TTHC["HOLIDAYS_FILE"]).read_text(encoding="utf-8"))
    expected = len(data["entries"])
    assert expected > 50  # 2023–2026, about 15 rows a year

    output = run("load")
    assert f"Đã nạp {expected} ngày nghỉ, ngày làm bù." in output
    assert CalendarException.objects.count() == expected
    # Loading again replaces rather than duplicates.
    assert f"Đã nạp {expected} " in run("load")
    assert CalendarException.objects.count() == expected


@pytest.mark.django_db
def test_load_from_another_file(tmp_path: Path) -> None:
    extra = tmp_path / "them.json"
    entries = [{"date": "2027-01-01", "kind": "holiday", "name": "Tết Dương lịch 2027"}]
    extra.write_text(json.dumps({"entries": entries}), encoding="utf-8")
    assert "Đã nạp 1 ngày" in run("load", "--file", str(extra))
    assert CalendarException.objects.get(date__year=2027).name == "Tết Dương lịch 2027"
