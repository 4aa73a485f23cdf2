"""The publication chain in a real browser (issue: procedure catalogue).

Provincial staff record a ministry decision → the task shows deadlines that
match the calendar → a specialist drafts the version, its code and field, and
its workflow (adding a row on the page) → the head reviews the whole content
and approves → staff record the chairman's decision → on the effective date
the procedure appears in the public catalogue. A task left untouched past its
deadline is flagged by the beat job and shown on the board.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import Page, expect

from procedures.models import DeadlineKey, Field, MinistryDecision, PublicationTask
from procedures.services.publication import compute_due, shift_working_days
from procedures.services.validation import UNCLASSIFIED_FIELD_NAME
from procedures.services.versions import versions_activate
from procedures.tasks import publication_sweep
from tests.browser.test_smoke_roles import assert_no_console_errors, sign_in
from tthc_portal.notifications.models import OutboxMessage
from tthc_portal.workdays.services import get_calendar

Shoot = Callable[[Page, str], Path]
NEW_NAME = "Cấp giấy chứng nhận thử nghiệm công bố trực tuyến"


def switch_user(page: Page, base_url: str, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, base_url, username)


def record_decision(page: Page, base: str, number: str, when, item: dict) -> None:
    page.goto(base + "/thu-tuc/cong-bo/")
    page.get_by_role("link", name="Ghi nhận quyết định của Bộ").click()
    page.get_by_label("Số quyết định").fill(number)
    page.get_by_label("Ngày ban hành").fill(when.isoformat())
    page.get_by_label("Cơ quan ban hành").fill("Bộ Y tế")
    page.locator("#id_items-0-procedure_code").fill(item.get("code", ""))
    page.locator("#id_items-0-procedure_name").fill(item.get("name", ""))
    page.locator("#id_items-0-change_type").select_option(item["change"])
    page.locator("#id_items-0-responsible_agency").select_option(label="Sở Y tế")
    page.get_by_role("button", name="Ghi nhận và giao nhiệm vụ").click()
    expect(page.locator(".message").first).to_contain_text(f"Đã ghi nhận quyết định {number}")


def test_publication_chain_to_the_public_catalogue(
    page: Page, demo_site: str, console_errors: list[str], shoot: Shoot
) -> None:
    base = demo_site
    today = timezone.localdate()

    # 1. Provincial staff record the ministry's decision for a new procedure.
    sign_in(page, base, "vanphong")
    record_decision(page, base, "5101/QĐ-BYT", today, {"name": NEW_NAME, "change": "new"})
    task = PublicationTask.objects.get(ministry_decision__number="5101/QĐ-BYT")
    row = page.locator(f"tr[data-task='{task.pk}']")
    expect(row).to_contain_text("Sở Y tế")
    page.goto(f"{base}/thu-tuc/cong-bo/nhiem-vu/{task.pk}/")
    list_due = compute_due(DeadlineKey.LIST, today)
    workflow_due = compute_due(DeadlineKey.WORKFLOW, today)
    deadlines = page.get_by_test_id("deadlines")
    expect(deadlines.locator("tr[data-deadline='list'] .due")).to_have_text(
        list_due.strftime("%d/%m/%Y")
    )
    expect(deadlines.locator("tr[data-deadline='workflow'] .due")).to_have_text(
        workflow_due.strftime("%d/%m/%Y")
    )
    shoot(page, "publication-1-task-deadlines")

    # 2. The department's specialist drafts the version and its workflow.
    switch_user(page, base, "chuyenvien.yte")
    page.goto(f"{base}/thu-tuc/cong-bo/nhiem-vu/{task.pk}/")
    page.get_by_role("button", name="Soạn dự thảo").click()
    expect(page.get_by_test_id("version-status")).to_have_text("Dự thảo")
    # A new procedure goes to the head only with its code and its field.
    expect(page.locator(".problems")).to_contain_text("Thủ tục chưa có mã TTHC.")
    page.locator("#id_procedure_code").fill("1.099777")
    field = Field.objects.exclude(name=UNCLASSIFIED_FIELD_NAME).order_by("name").first()
    page.locator("#id_field").select_option(str(field.pk))
    page.locator("#id_level").select_option("province")
    page.locator("#id_implementing_agency").select_option(label="Sở Y tế")
    page.locator("#id_applicant_types_0").check()
    page.locator("#id_steps_text").fill("Nộp hồ sơ trực tuyến; Sở Y tế thẩm định; trả kết quả.")
    page.locator("#id_channel_online").check()
    page.locator("#id_time_limit").fill("5")
    page.locator("#id_time_unit").select_option("working_days")
    page.locator("#id_online_level").select_option("full")
    page.locator("#id_components-0-order").fill("1")
    page.locator("#id_components-0-name").fill("Đơn đề nghị cấp giấy chứng nhận")
    page.locator("#id_components-0-count").fill("1")
    # A workflow that does not add up is refused with a clear message…
    page.locator("#id_steps-0-order").fill("1")
    page.locator("#id_steps-0-name").fill("Thẩm định và trình ký")
    page.locator("#id_steps-0-actor_role").select_option("specialist")
    page.locator("#id_steps-0-budget").fill("4")
    page.get_by_role("button", name="Lưu và trình lãnh đạo").click()
    expect(page.locator(".message-error").first).to_be_visible()
    expect(page.locator("body")).to_contain_text("không bằng thời hạn giải quyết")
    shoot(page, "publication-2-unbalanced-workflow")
    # …and accepted once a step added on the same page (no save per row) makes
    # the budgets sum to the 5 working days.
    steps = page.locator("[data-formset='steps']")
    steps.get_by_role("button", name="Thêm dòng").click()
    added = steps.locator("[data-formset-row]").last
    added.locator("[name$='-order']").fill("2")
    added.locator("[name$='-name']").fill("Lãnh đạo Sở ký duyệt")
    added.locator("[name$='-actor_role']").select_option("department_head")
    added.locator("[name$='-budget']").fill("1")
    page.get_by_role("button", name="Lưu và trình lãnh đạo").click()
    expect(page.locator(".message").first).to_contain_text("Đã trình lãnh đạo phê duyệt.")

    # 3. The head reviews the whole content (a new procedure: nothing to compare) and approves.
    switch_user(page, base, "lanhdao.yte")
    version = task.items.get().version
    page.goto(f"{base}/thu-tuc/cong-bo/phien-ban/{version.pk}/")
    expect(page.get_by_test_id("version-status")).to_have_text("Đã trình lãnh đạo")
    expect(page.get_by_test_id("version-review")).to_contain_text("chưa có phiên bản đang áp dụng")
    expect(page.get_by_test_id("diff-steps")).to_contain_text("Lãnh đạo Sở ký duyệt")
    expect(page.get_by_test_id("diff-components")).to_contain_text(
        "Đơn đề nghị cấp giấy chứng nhận"
    )
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("task-status")).to_have_text("Chờ Chủ tịch UBND tỉnh quyết định")

    # 4. Staff record the chairman's decision, effective tomorrow.
    effective = today + timedelta(days=1)
    switch_user(page, base, "vanphong")
    page.goto(f"{base}/thu-tuc/cong-bo/nhiem-vu/{task.pk}/")
    page.get_by_label("Số quyết định công bố").fill("2101/QĐ-UBND")
    page.get_by_label("Ngày ký").fill(today.isoformat())
    page.get_by_label("Ngày có hiệu lực").fill(effective.isoformat())
    page.get_by_role("button", name="Ghi nhận và công bố").click()
    expect(page.get_by_test_id("task-status")).to_have_text("Đã công bố")
    expect(page.get_by_test_id("deadlines").locator("tr[data-deadline='list']")).to_contain_text(
        "Hoàn thành đúng hạn"
    )
    shoot(page, "publication-3-published")

    # 5. Not in the public catalogue before the effective date…
    page.context.clear_cookies()
    page.goto(f"{base}/thu-tuc/?q=thu+nghiem+cong+bo+truc+tuyen")
    expect(page.locator("main")).not_to_contain_text(NEW_NAME)
    # …and visible once the activation job runs on that date.
    assert versions_activate(today=effective)["activated"] == 1
    page.goto(f"{base}/thu-tuc/?q=thu+nghiem+cong+bo+truc+tuyen")
    expect(page.get_by_role("link", name=NEW_NAME)).to_be_visible()
    page.get_by_role("link", name=NEW_NAME).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(NEW_NAME)
    expect(page.locator("main")).to_contain_text("Đơn đề nghị cấp giấy chứng nhận")
    shoot(page, "publication-4-public-catalogue")
    assert_no_console_errors(console_errors)


def test_head_reviews_an_amendment_against_the_version_in_force(
    page: Page, demo_site: str, console_errors: list[str], shoot: Shoot
) -> None:
    """The demo's submitted amendment (88/QĐ-BTP): the head sees every part with what
    was added, removed or changed against the version in force, then approves."""
    base = demo_site
    task = PublicationTask.objects.get(ministry_decision__number="88/QĐ-BTP")
    version = task.items.get().version
    sign_in(page, base, "lanhdao.tuphap")
    page.goto(f"{base}/thu-tuc/cong-bo/phien-ban/{version.pk}/")
    expect(page.get_by_test_id("version-review")).to_contain_text("So sánh với phiên bản")
    added = page.locator("[data-testid^='diff-'] tr[data-state='added']").first
    expect(added).to_contain_text("Thêm mới")
    expect(added.locator("ins").first).to_be_visible()
    expect(page.get_by_test_id("diff-fields")).to_contain_text("Mức độ trực tuyến")
    shoot(page, "publication-6-head-review-diff")
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("task-status")).to_have_text("Chờ Chủ tịch UBND tỉnh quyết định")
    assert_no_console_errors(console_errors)


def test_untouched_task_is_flagged_overdue_by_the_beat_job(
    page: Page, demo_site: str, console_errors: list[str], shoot: Shoot
) -> None:
    base = demo_site
    today = timezone.localdate()
    long_ago = shift_working_days(get_calendar(), today, -6)
    sign_in(page, base, "vanphong")
    record_decision(page, base, "5202/QĐ-BYT", long_ago, {"code": "1.013815", "change": "amended"})
    task = PublicationTask.objects.get(ministry_decision__number="5202/QĐ-BYT")
    assert task.list_due < today and task.alert_level == "none"

    publication_sweep.delay()  # the beat job, run by the worker (eager in tests)

    task.refresh_from_db()
    assert task.alert_level == "overdue"
    assert OutboxMessage.objects.filter(subject__startswith="QUÁ HẠN", topic__endswith=str(task.pk))
    page.goto(base + "/thu-tuc/cong-bo/?trang_thai=overdue")
    row = page.locator(f"tr[data-task='{task.pk}']")
    expect(row).to_contain_text("5202/QĐ-BYT")
    expect(row.locator("[data-state='overdue']").first).to_have_text("Quá hạn")
    expect(row).to_contain_text(task.list_due.strftime("%d/%m/%Y"))
    assert re.search("overdue", row.get_attribute("class") or "")
    assert MinistryDecision.objects.filter(number="5202/QĐ-BYT").exists()
    shoot(page, "publication-5-overdue-on-board")
    assert_no_console_errors(console_errors)
