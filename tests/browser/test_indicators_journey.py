"""Decision 766 end to end in Chromium against the live demo site.

The provincial office opens the 766 dashboard (last month by default), goes
from the Department of Health's low on-time criterion (2.1) down to the late
dossiers behind it, recomputes the month with the progress box, exports the
dashboard to Excel and checks the file against the page, publishes the
month, and then, logged out on a phone, finds it on the public monthly page.
Screenshots in var/test-artifacts/.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from dossiers.models import Dossier
from indicators.demo import MARK
from indicators.models import PeriodStatus, ReportPeriod
from tests.browser.test_smoke_roles import assert_no_console_errors, sign_in

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
    expect(page.get_by_text(f"Đã công bố kết quả {period_title}")).to_be_visible()
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
