"""Processing in a real browser (issue #5): the desk receives a submitted online
dossier and transfers it → the head assigns the specialist → the specialist
drafts the result from the template and hands it on → the head approves and
signs → the citizen downloads the signed PDF and sees the signature as valid
→ the desk records the return at the counter.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from playwright.sync_api import Page, expect

from dossiers.models import Dossier, Status, StepKind
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_dossier_journey import switch_user
from tests.browser.test_smoke_roles import assert_no_console_errors
from tthc_portal.signing.services import pdf_verify

Shoot = Callable[[Page, str], Path]
CITIZEN = "001085012345"
DESK, SPECIALIST, HEAD = "motcua.tuphap", "chuyenvien.tuphap", "lanhdao.tuphap"
RESULT_TEXT = (
    "Miễn nhiệm giám định viên tư pháp đối với ông Nguyễn Văn An theo đề nghị của tổ chức "
    "quản lý giám định viên."
)


def open_from_worklist(page: Page, base: str, dossier: Dossier, tab: str = "") -> None:
    page.goto(f"{base}/xu-ly/")
    if tab:
        page.get_by_test_id("worklist-tabs").get_by_role("link", name=tab).click()
    row = page.locator(f"tr[data-dossier='{dossier.pk}']")
    expect(row).to_be_visible()
    row.get_by_role("link", name=dossier.code).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {dossier.code}")


def verify_outside_the_loop(content: bytes):
    """pyHanko runs its own asyncio loop; Playwright's sync API keeps one running
    in this thread, so the check runs in a worker thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(pdf_verify, content).result()


def test_receive_transfer_assign_draft_approve_and_download(
    demo_site: str, page: Page, console_errors: list[str], shoot: Shoot, tmp_path: Path
) -> None:
    # demo_site comes first: the seed signs demo results, which cannot happen
    # once Playwright's event loop runs in this thread.
    base = demo_site
    dossier = Dossier.objects.get(form_data__demo="submitted", applicant__username=CITIZEN)

    # 1. The desk receives the online dossier and hands it to the department.
    switch_user(page, base, DESK)
    page.goto(f"{base}/mot-cua/{dossier.pk}/kiem-tra/")
    page.get_by_test_id("receive-form").get_by_role("button", name="Tiếp nhận hồ sơ").click()
    expect(page.get_by_test_id("dossier-status")).to_have_text("Đã tiếp nhận")
    page.get_by_test_id("transfer-form").get_by_role("button", name="Chuyển xử lý").click()
    dossier.refresh_from_db()
    expect(page.locator(".messages")).to_contain_text(f"Đã chuyển hồ sơ {dossier.code}")
    assert dossier.status == Status.IN_PROCESSING
    shoot(page, "processing-1-transferred")

    # 2. The head finds it waiting for assignment and gives it to the specialist.
    switch_user(page, base, HEAD)
    open_from_worklist(page, base, dossier, tab="Chờ phân công")
    expect(page.get_by_test_id("step-holder")).to_have_text("Chưa phân công")
    assign = page.get_by_test_id("assign-form")
    assign.get_by_label("Giao cho").select_option(label="Phạm Thị Thụ Lý")
    assign.get_by_role("button", name="Phân công").click()
    expect(page.locator(".messages")).to_contain_text("Đã phân công Phạm Thị Thụ Lý")
    expect(page.get_by_test_id("step-holder")).to_have_text("Phạm Thị Thụ Lý")

    # 3. The specialist sees it on a phone as a card with its light and words…
    switch_user(page, base, SPECIALIST)
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/xu-ly/")
    card = page.locator(f"tr[data-dossier='{dossier.pk}']")
    expect(card.locator("[data-light]")).to_have_text("Trong hạn")
    expect(page.locator("table[data-testid=worklist] thead")).to_have_css("position", "absolute")
    shoot(page, "processing-2-phone-worklist")
    page.set_viewport_size(DESKTOP)

    # …drafts the result from the template and hands the dossier to the head.
    open_from_worklist(page, base, dossier)
    draft = page.get_by_test_id("result-generate-form")
    draft.get_by_label("Nội dung kết quả giải quyết").fill(RESULT_TEXT)
    draft.get_by_role("button", name="Soạn dự thảo kết quả").click()
    expect(page.get_by_test_id("result-draft")).to_be_visible()
    complete = page.get_by_test_id("complete-form")
    complete.get_by_label("Ý kiến, kết quả xử lý").fill("Hồ sơ đủ điều kiện, trình ký.")
    complete.get_by_role("button", name="Hoàn thành và chuyển").click()
    expect(page.locator(".messages")).to_contain_text("Lãnh đạo xem xét, ký duyệt")
    shoot(page, "processing-3-handed-to-head")

    # 4. The head approves and signs; the page shows the signature check.
    switch_user(page, base, HEAD)
    open_from_worklist(page, base, dossier)
    expect(page.get_by_test_id("draft-preview")).to_be_visible()
    page.get_by_test_id("approve-form").get_by_role("button", name="Phê duyệt và ký số").click()
    expect(page.get_by_test_id("dossier-status")).to_have_text("Đã có kết quả")
    expect(page.get_by_test_id("signature")).to_contain_text("Chữ ký số hợp lệ")
    expect(page.get_by_test_id("control-sheet")).to_contain_text("Phê duyệt, ký kết quả")
    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_READY and dossier.result_code
    shoot(page, "processing-4-signed")

    # 5. The citizen downloads the signed result; its signature verifies.
    switch_user(page, base, CITIZEN)
    page.goto(f"{base}/ho-so/{dossier.pk}/")
    result = page.get_by_test_id("result")
    expect(result.get_by_test_id("signature")).to_contain_text("Chữ ký số hợp lệ")
    expect(result.get_by_test_id("signer")).to_contain_text("Sở Tư pháp")
    with page.expect_download() as download_info:
        result.get_by_test_id("result-download").click()
    pdf_path = tmp_path / "ket-qua.pdf"
    download_info.value.save_as(pdf_path)
    content = pdf_path.read_bytes()
    assert content.startswith(b"%PDF")
    report = verify_outside_the_loop(content)
    assert report.valid and report.intact and report.trusted
    assert report.agency_code == dossier.processing_agency.code
    shoot(page, "processing-5-citizen-result")

    # 6. The citizen collects the paper at the counter: the desk records it.
    switch_user(page, base, DESK)
    page.goto(f"{base}/mot-cua/tra-ket-qua/")
    page.locator(f"tr[data-dossier='{dossier.pk}']").get_by_role("link", name="Trả kết quả").click()
    form = page.get_by_test_id("return-form")
    expect(form.get_by_label("Họ tên người nhận kết quả")).to_have_value("Nguyễn Văn An")
    form.get_by_role("button", name="Xác nhận đã trả kết quả").click()
    expect(page.locator(".messages")).to_contain_text(f"Đã trả kết quả hồ sơ {dossier.code}")
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED and dossier.return_method == "desk"
    assert not dossier.steps.filter(kind=StepKind.RETURN, completed_at__isnull=True).exists()
    assert_no_console_errors(console_errors)
