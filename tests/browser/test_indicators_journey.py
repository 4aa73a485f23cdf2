"""Decision 766 end to end in Chromium against the live demo site.

The provincial office opens the 766 dashboard (last month by default), goes
from the Department of Health's low on-time criterion (2.1) down to the late
dossiers behind it, recomputes the month with the progress box, exports the
dashboard to Excel and checks the file against the page, publishes the
month in the background (waiting for its progress box), and then, logged
out on a phone, finds it on the public monthly page.
Screenshots in var/test-artifacts/.
"""

from __future__ import annotations

import datetime
import io
import json
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from dossiers.models import Dossier
from feedback.selectors import period_bounds
from indicators.demo import DESKS, MARK, dossier_handled, dossier_open
from indicators.models import PeriodStatus, ReportPeriod
from indicators.periods import current_month_label, previous_month_label
from indicators.services.periods import period_get_or_create, period_recompute
from indicators.tasks import compute_current_quarter_year_task
from procedures.models import Procedure
from tests.browser.test_smoke_roles import assert_no_console_errors, sign_in
from tthc_portal.agencies.models import Agency
from tthc_portal.workdays.services import get_calendar

Shoot = Callable[[Page, str], Path]
HEALTH = "Sở Y tế"


def number(text: str) -> Decimal:
    """ "29,17" (Vietnamese decimal comma) → Decimal("29.17")."""
    return Decimal(text.strip().replace(".", "").replace(",", "."))


def ranking(page: Page, key: str) -> dict[str, Decimal]:
    """Unit name → total, as shown in a ranking table."""
    rows = page.get_by_test_id(f"ranking-{key}").locator("tbody tr")
    shown = {}
    for index in range(rows.count()):
        row = rows.nth(index)
        shown[row.locator("th").inner_text().strip()] = number(
            row.get_by_test_id("unit-total").inner_text()
        )
    return shown


def sheet_totals(sheet) -> dict[str, Decimal]:
    """Unit name → total from a ranking sheet (rank, name, groups…, total, band, delta)."""
    totals = {}
    for row in sheet.iter_rows(min_row=5, values_only=True):
        totals[row[1]] = Decimal(str(row[-3])).quantize(Decimal("0.01"))
    return totals


def test_dashboard_drilldown_export_publish_and_public_report(
    demo_site: str,  # first: the demo is seeded before Playwright's event loop starts
    page: Page,
    phone_page: Page,
    console_errors: list[str],
    shoot: Shoot,
    tmp_path: Path,
) -> None:
    # 1. The provincial office opens the dashboard from the menu: last month, open.
    sign_in(page, demo_site, "vanphong")
    page.get_by_role("link", name="Chỉ số 766").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766)"
    )
    expect(page.get_by_test_id("period-status")).to_have_text("Đang mở – số liệu dự tính")
    period_title = page.locator("#id_ky option:checked").inner_text().split(" (")[0]
    assert re.fullmatch(r"Tháng \d{2}/\d{4}", period_title)
    period = ReportPeriod.objects.get(pk=page.locator("#id_ky").input_value())
    province_total = number(page.get_by_test_id("total").inner_text())
    departments = ranking(page, "departments")
    communes = ranking(page, "communes")
    assert HEALTH in departments and "UBND phường Phố Hiến" in communes
    expect(page.locator("#chart-groups")).to_be_visible()
    shoot(page, "indicators-dashboard")

    # 2. Down from the Department of Health to criterion 2.1 and its late dossiers.
    page.get_by_test_id("ranking-departments").get_by_role("link", name=HEALTH).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(HEALTH)
    on_time = page.locator("tr[data-code='2.1']")
    lost = number(on_time.locator("td.lost").inner_text())
    assert lost > 0
    shoot(page, "indicators-unit-health")
    on_time.get_by_test_id("drill-2.1").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2.1")
    cases = page.get_by_test_id("case-row")
    # The demo's late Health dossiers of that month, as the drill-down must list them.
    expected = [
        d.code
        for d in Dossier.objects.filter(
            request_content__startswith=f"{MARK} 000.00.11.H99 {period.label}"
        ).order_by("received_at", "pk")
        if d.completed_at > d.due_at
    ]
    assert expected
    expect(cases).to_have_count(len(expected))
    assert [cases.nth(i).locator("th").inner_text() for i in range(len(expected))] == expected
    expect(cases.first).to_contain_text("Kết thúc xử lý sau ngày hẹn trả")
    shoot(page, "indicators-late-dossiers")

    # 3. Back on the dashboard: recompute the month (htmx progress), then export to Excel.
    page.get_by_role("link", name="Bảng điều khiển chỉ số 766").click()
    page.get_by_test_id("recompute").click()
    expect(page.get_by_test_id("recompute-done")).to_contain_text("Đã tính xong")
    page.get_by_role("link", name="Xem số liệu mới").click()
    assert number(page.get_by_test_id("total").inner_text()) == province_total
    with page.expect_download() as download_info:
        page.get_by_test_id("download-xlsx").click()
    path = tmp_path / "chi-so-766.xlsx"
    download_info.value.save_as(path)
    book = load_workbook(io.BytesIO(path.read_bytes()))
    summary = book["Tổng hợp"]
    assert summary["A5"].value == "Toàn tỉnh"
    assert Decimal(str(summary.cell(row=5, column=8).value)).quantize(Decimal("0.01")) == (
        province_total
    )
    assert sheet_totals(book["Sở ban ngành"]) == departments
    assert sheet_totals(book["Cấp xã"]) == communes

    # 4. Publish the month: frozen from now on.
    page.get_by_label("Tôi đã kiểm tra số liệu của kỳ").check()
    page.get_by_role("button", name=f"Công bố kết quả {period_title}").click()
    # The worker publishes in the background; the page shows the run's progress
    # (role=status, polled) until it is done, then links to the frozen figures.
    done = page.get_by_test_id("publish-done")
    expect(done).to_contain_text(f"Đã công bố kết quả {period_title}", timeout=120_000)
    done.get_by_role("link", name="Xem số liệu đã chốt").click()
    expect(page.get_by_test_id("period-status")).to_have_text("Đã công bố – số liệu đã chốt")
    expect(page.get_by_test_id("recompute")).to_have_count(0)
    period.refresh_from_db()
    assert period.status == PeriodStatus.PUBLISHED and period.published_by.username == "vanphong"
    shoot(page, "indicators-published")
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_load_state()

    # 5. Logged out, on a phone: the public monthly report shows the published month.
    citizen = phone_page
    citizen.goto(demo_site + "/cong-khai/chi-so-766/")
    citizen.get_by_role("link", name=period_title).click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text(
        f"Kết quả Bộ chỉ số 766 – {period_title}"
    )
    assert number(citizen.get_by_test_id("total").inner_text()) == province_total
    health = citizen.get_by_test_id("public-departments").locator("tr", has_text=HEALTH)
    expect(health).to_contain_text(f"{departments[HEALTH]}".replace(".", ","))
    body = citizen.locator("main").inner_text()
    assert "Đỗ Thị Hạnh" not in body and "001190003333" not in body
    assert citizen.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    shoot(citizen, "indicators-public-phone")
    assert_no_console_errors(console_errors)


def _case_codes(page: Page) -> list[str]:
    rows = page.get_by_test_id("case-row")
    return [rows.nth(i).locator("th").inner_text().strip() for i in range(rows.count())]


def test_head_sees_score_now_and_forecast_and_published_month_stays_frozen(
    demo_site: str,  # first: the demo is seeded before Playwright's event loop starts
    page: Page,
    console_errors: list[str],
    shoot: Shoot,
) -> None:
    users = get_user_model().objects.in_bulk(field_name="username")
    desk = next(d for d in DESKS if d.agency_code == "000.00.11.H99")
    procedure = Procedure.objects.get(code=desk.procedure_code)
    health = Agency.objects.get(code=desk.agency_code)
    now = timezone.now()
    # Two dossiers arrive at Health today: due in 5 working days, before the month ends
    # unless today is among its last days (then the forecast equals the score now).
    arrived = [
        dossier_open(users, desk, procedure, health, f"{MARK} hôm nay #{i}", now, i) for i in (1, 2)
    ]
    month = period_get_or_create(current_month_label(timezone.localdate()))
    period_recompute(actor=None, period=month)
    at_risk = [d.code for d in Dossier.objects.filter(pk__in=[d.pk for d in arrived])]
    due_in_month = any(d.due_at < period_bounds(month.start, month.end)[1] for d in arrived)

    # 1. The head of Health opens the current month: the score now and the forecast.
    sign_in(page, demo_site, "lanhdao.yte")
    page.goto(f"{demo_site}/chi-so-766/?ky={month.pk}")
    expect(page.get_by_test_id("period-status")).to_have_text("Đang mở – số liệu dự tính")
    if due_in_month:
        now_score = number(page.get_by_test_id("score-now").inner_text())
        forecast = number(page.get_by_test_id("forecast").inner_text())
        assert forecast < now_score == number(page.get_by_test_id("total").inner_text())
        shoot(page, "indicators-head-score-now-forecast")
        # 2. From the forecast to the at-risk dossiers, and one opened.
        page.get_by_role("link", name="Xem hồ sơ có nguy cơ trễ hạn").click()
        rows = page.get_by_test_id("risk-row")
        expect(rows).to_have_count(len(at_risk))
        assert sorted(rows.nth(i).locator("th").inner_text() for i in range(2)) == sorted(at_risk)
        first = rows.first.locator("th").inner_text()
        rows.first.get_by_role("link", name=first).click()
        expect(page.locator("main")).to_contain_text(first)
        shoot(page, "indicators-head-at-risk-dossier")
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_load_state()

    # 3. The provincial office publishes last month.
    last = period_get_or_create(previous_month_label(month.label))
    sign_in(page, demo_site, "vanphong")
    page.goto(f"{demo_site}/chi-so-766/?ky={last.pk}")
    page.get_by_label("Tôi đã kiểm tra số liệu của kỳ").check()
    page.get_by_role("button", name=f"Công bố kết quả {last.title}").click()
    expect(page.get_by_test_id("period-status")).to_have_text("Đã công bố – số liệu đã chốt")
    drill = f"{demo_site}/chi-so-766/don-vi/{health.pk}/chi-tieu/2.1/?ky={last.pk}"
    page.goto(drill)
    frozen = _case_codes(page)
    assert frozen

    # 4. A late dossier of last month arrives afterwards: the published list is unchanged.
    calendar = get_calendar()
    day = last.start + datetime.timedelta(days=2)
    while not calendar.is_working_day(day):
        day += datetime.timedelta(days=1)
    received = datetime.datetime.combine(day, datetime.time(9), calendar.tz)
    late = dossier_handled(
        users, desk, procedure, health, f"{MARK} sau công bố", received,
        received + datetime.timedelta(days=20), 0,
    )  # fmt: skip
    assert late.completed_at > late.due_at
    page.goto(drill)
    assert _case_codes(page) == frozen and late.code not in frozen
    shoot(page, "indicators-published-drilldown-frozen")

    # 5. The quarter view shows the command's figures for that quarter.
    compute_current_quarter_year_task()
    quarter = ReportPeriod.objects.get(
        kind="quarter", start__lte=timezone.localdate(), end__gte=timezone.localdate(),
        reporting_15th=False,
    )  # fmt: skip
    out = io.StringIO()
    call_command(
        "compute_indicators", "--period", quarter.label, "--json", "--no-store", stdout=out
    )
    units = {u["agency"]: u for u in json.loads(out.getvalue())["units"]}
    page.goto(f"{demo_site}/chi-so-766/")
    page.locator("#id_ky").select_option(str(quarter.pk))
    page.wait_for_url(re.compile(rf"ky={quarter.pk}"))
    expect(page.get_by_test_id("period-status")).to_be_visible()
    assert number(page.get_by_test_id("total").inner_text()) == Decimal(units[None]["total"])
    assert ranking(page, "departments")[HEALTH] == Decimal(units[health.code]["total"])
    shoot(page, "indicators-quarter")
    assert_no_console_errors(console_errors)
