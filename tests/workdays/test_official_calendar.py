"""The official holiday calendar is there after `migrate`, not only in the demo.

Issue: a database that was only migrated (as the production compose file does)
counted no holidays, so 24/01/2025 + 5 working days gave 31/01/2025.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from tests.factories import AgencyFactory, make_staff
from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.models import AgencyKind
from tthc_portal.audit.models import AuditEvent
from tthc_portal.workdays import services as workdays
from tthc_portal.workdays.models import CalendarException, ExceptionKind, OfficialCalendarRelease
from tthc_portal.workdays.official import (
    calendar_install_official,
    calendar_missing_years,
    calendar_years_to_check,
)

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_user():
    province = AgencyFactory(kind=AgencyKind.PROVINCE, name="UBND tỉnh Thử Nghiệm")
    return make_staff(Role.PROVINCIAL_STAFF, province)


def test_a_migrated_database_counts_tet() -> None:
    # No fixture loads anything: the rows come from `migrate` alone.
    due = workdays.calendar_add(datetime(2025, 1, 24, 10, 0, tzinfo=HCM), 5, "d").due
    assert due.astimezone(HCM).date() == date(2025, 2, 7)
    for day in (date(2025, 4, 30), date(2025, 9, 2), date(2026, 2, 17)):
        assert not workdays.get_calendar().is_working_day(day)
    assert OfficialCalendarRelease.objects.count() == 1


def test_holiday_names_are_vietnamese_only() -> None:
    names = set(CalendarException.objects.values_list("name", flat=True))
    english = {"New Year", "Labour", "National Day", "adjacent", "lunar", "swapped", "compensatory"}
    assert not [n for n in names if any(word in n for word in english)]


def test_installing_the_same_release_again_changes_nothing() -> None:
    result = calendar_install_official()
    assert not result.installed
    assert OfficialCalendarRelease.objects.count() == 1


def _release_file(tmp_path: Path, change) -> Path:
    data = json.loads(Path(settings.TTHC["HOLIDAYS_FILE"]).read_text(encoding="utf-8"))
    change(data["entries"])
    path = tmp_path / "holidays-next.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_new_release_updates_untouched_days_and_keeps_staff_edits(tmp_path, staff_user) -> None:
    # Staff renamed 2 September 2026 on the calendar page.
    workdays.calendar_exception_save(
        actor=staff_user, day=date(2026, 9, 2), kind=ExceptionKind.HOLIDAY, name="Quốc khánh 2026"
    )

    def change(entries: list[dict]) -> None:
        for entry in entries:
            if entry["date"] in ("2026-09-02", "2026-01-01"):
                entry["name"] += " – bản cập nhật"
        entries.append(
            {"date": "2027-01-01", "kind": "holiday", "name": "Tết Dương lịch", "source": "x"}
        )

    result = calendar_install_official(path=_release_file(tmp_path, change))

    assert result.installed
    assert (result.created, result.updated, result.kept) == (1, 1, ["2026-09-02"])
    assert CalendarException.objects.get(date=date(2026, 9, 2)).name == "Quốc khánh 2026"
    assert CalendarException.objects.get(date=date(2026, 1, 1)).name.endswith("bản cập nhật")
    assert CalendarException.objects.filter(date=date(2027, 1, 1)).exists()
    event = AuditEvent.objects.filter(action="calendar.official_install").latest("pk")
    assert event.after["kept"] == ["2026-09-02"]


@override_settings(TTHC={**settings.TTHC, "CALENDAR_NEXT_YEAR_FROM": "11-01"})
def test_next_year_is_expected_from_november() -> None:
    assert calendar_years_to_check(date(2026, 10, 31)) == [2026]
    assert calendar_years_to_check(date(2026, 11, 1)) == [2026, 2027]
    # The shipped file ends with 2026.
    assert calendar_missing_years(date(2026, 12, 7)) == [2027]
    assert calendar_missing_years(date(2026, 6, 1)) == []


def test_check_deploy_warns_of_a_missing_year(monkeypatch) -> None:
    monkeypatch.setattr(
        "tthc_portal.workdays.official.timezone.localdate", lambda: date(2026, 12, 7)
    )
    out = StringIO()
    call_command("check", "--deploy", "--tag", "tthc", stdout=out, stderr=out)
    assert "tthc.W101" in out.getvalue()
    assert "2027" in out.getvalue()


def test_the_calendar_page_warns_of_a_missing_year(client, staff_user, monkeypatch) -> None:
    monkeypatch.setattr(
        "tthc_portal.workdays.official.timezone.localdate", lambda: date(2026, 12, 7)
    )
    client.force_login(staff_user)
    page = client.get(reverse("workdays:list")).content.decode()
    assert 'data-testid="calendar-missing-years"' in page
    assert "năm 2027" in page
    CalendarException.objects.create(
        date=date(2027, 2, 8), kind=ExceptionKind.HOLIDAY, name="Tết Nguyên đán Đinh Mùi"
    )
    page = client.get(reverse("workdays:list")).content.decode()
    assert 'data-testid="calendar-missing-years"' not in page


def test_a_year_filled_by_the_generic_rules_still_counts_as_missing() -> None:
    workdays.calendar_fill_from_package([2027])
    assert CalendarException.objects.filter(date__year=2027).exists()
    assert calendar_missing_years(date(2026, 12, 7)) == [2027]
