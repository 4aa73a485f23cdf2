"""The apology letter in a real browser (issue #5): a dossier nearing its
deadline → the head issues form 04 with one new date → the citizen sees the
apology, its reason and the new date on their dossier page (on a phone)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import Page, expect

from dossiers.models import Apology, Dossier, Status
from tests.browser.conftest import PHONE
from tests.browser.test_dossier_journey import switch_user
from tests.browser.test_smoke_roles import assert_no_console_errors
from tthc_portal.workdays.services import get_calendar

Shoot = Callable[[Page, str], Path]
CITIZEN, HEAD = "001085012345", "lanhdao.tuphap"
REASON = "Chờ kết quả xác minh của Công an tỉnh về lý lịch tư pháp."


def test_head_apologises_and_the_citizen_sees_the_new_date(
    demo_site: str, page: Page, console_errors: list[str], shoot: Shoot
) -> None:
    # demo_site first: the seed signs demo results before Playwright's loop runs.
    base = demo_site
    dossier = Dossier.objects.get(form_data__demo="due-soon")
    assert dossier.status == Status.IN_PROCESSING and not dossier.apology_issued
    due = timezone.localtime(dossier.due_at)
    # One new appointment, a few working days after the current one.
    new_day = get_calendar().next_working_day(due.date() + timedelta(days=3))
    new_due_text = f"16:00 {new_day:%d/%m/%Y}"

    # 1. The head finds it in the unit's queue, with its appointment.
    switch_user(page, base, HEAD)
    page.goto(f"{base}/xu-ly/")
    page.get_by_test_id("worklist-tabs").get_by_role("link", name="Hàng đợi của đơn vị").click()
    page.get_by_label("Mã hồ sơ hoặc tên thủ tục").fill(dossier.code)
    page.get_by_test_id("worklist-filters").get_by_role("button", name="Lọc").click()
    row = page.locator(f"tr[data-dossier='{dossier.pk}']")
    expect(page.locator("table[data-testid=worklist] tbody tr")).to_have_count(1)
    expect(row).to_contain_text(f"{due:%H:%M %d/%m/%Y}")
    shoot(page, "apology-1-queue")
    row.get_by_role("link", name=dossier.code).click()

    # 2. …and issues form 04 with the reason and the new date.
    form = page.get_by_test_id("apology-form")
    form.get_by_label("Lý do chậm trả kết quả").fill(REASON)
    form.get_by_label("Ngày hẹn trả mới").fill(new_day.isoformat())
    form.get_by_label("Giờ hẹn trả").fill("16:00")
    form.get_by_role("button", name="Ký và ban hành phiếu xin lỗi").click()
    expect(page.locator(".messages")).to_contain_text(
        f"Đã ban hành phiếu xin lỗi và hẹn lại ngày trả kết quả: {new_due_text}."
    )
    expect(page.get_by_test_id("due-at")).to_have_text(new_due_text)
    expect(page.get_by_test_id("original-due-at")).to_contain_text(f"{due:%H:%M %d/%m/%Y}")
    expect(page.locator("li[data-kind='04']")).to_contain_text("Tải về")  # form 04, rendered
    expect(page.get_by_test_id("apology-form")).to_have_count(0)  # only once
    shoot(page, "apology-2-issued")
    letter = Apology.objects.get(dossier=dossier)
    assert letter.original_due_at == dossier.due_at and letter.issued_by.username == HEAD

    # 3. The citizen reads the apology and the new date on a phone.
    switch_user(page, base, CITIZEN)
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/ho-so/{dossier.pk}/")
    apology = page.get_by_test_id("apology")
    expect(apology.get_by_test_id("apology-new-date")).to_have_text(new_due_text)
    expect(apology.get_by_test_id("apology-reason")).to_have_text(REASON)
    expect(page.get_by_test_id("due-at")).to_have_text(new_due_text)
    shoot(page, "apology-3-citizen-phone")
    assert_no_console_errors(console_errors)
