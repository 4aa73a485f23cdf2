"""Refusing a dossier at the counter asks for confirmation first (issue 15
item 14), on a phone and a tablet, with axe-core on every state visited: a
blank reason is shown again with its error focused; the confirmation page
lists what follows; "Quay lại" changes nothing; confirming refuses once."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from dossiers.demo import DEMO_CODE
from dossiers.models import DocumentKind, Dossier, Status
from procedures.models import Procedure
from tests.browser.test_casework_journeys import (  # noqa: F401 (the device fixture)
    DESK,
    check,
    device,
    no_console_errors_but,
    walk_in_draft,
)
from tests.browser.test_dossier_journey import switch_user

REASON = "Thủ tục không thuộc thẩm quyền giải quyết của Sở Tư pháp"


def test_refusal_is_confirmed_with_its_consequences(
    demo_site: str,
    device: Page,  # noqa: F811 (the fixture imported above)
    console_errors: list[str],
) -> None:
    base, page = demo_site, device
    dossier = walk_in_draft(Procedure.objects.get(code=DEMO_CODE))
    switch_user(page, base, DESK)
    page.goto(f"{base}/mot-cua/{dossier.pk}/kiem-tra/")
    refusal = page.get_by_test_id("refusal-form")
    continue_button = refusal.get_by_role("button", name="Tiếp tục: xem hậu quả và xác nhận")

    # No reason: the page again (400), the error summary focused.
    continue_button.click()
    expect(page.locator("#id_reason_error")).to_contain_text("Vui lòng ghi rõ lý do")
    expect(page.locator(".error-summary")).to_be_focused()
    check(page, "refusal without a reason")

    # With a reason: what follows, read from this dossier; nothing happened yet.
    page.get_by_test_id("refusal-form").get_by_label("Lý do từ chối tiếp nhận").fill(REASON)
    page.get_by_test_id("refusal-form").get_by_role(
        "button", name="Tiếp tục: xem hậu quả và xác nhận"
    ).click()
    consequences = page.get_by_test_id("consequences")
    expect(consequences).to_contain_text("mẫu 03")
    expect(consequences).to_contain_text("Cổng Dịch vụ công quốc gia")
    expect(consequences).to_contain_text("không thể hoàn tác")
    expect(page.get_by_label("Lý do từ chối tiếp nhận")).to_have_value(REASON)
    check(page, "refusal confirmation")
    page.get_by_role("link", name="Quay lại, chưa quyết định").click()
    expect(page.get_by_test_id("refusal-form")).to_be_visible()
    dossier.refresh_from_db()
    assert dossier.status == Status.DRAFT and not dossier.documents.exists()

    # Confirmed: refused once, form 03 issued, the outcome shown on the page.
    page.goto(f"{base}/mot-cua/{dossier.pk}/tu-choi/")
    page.get_by_label("Lý do từ chối tiếp nhận").fill(REASON)
    page.get_by_role("button", name="Xác nhận: Từ chối tiếp nhận").click()
    expect(page.locator(".messages")).to_contain_text("Đã từ chối tiếp nhận hồ sơ")
    expect(page.get_by_test_id("refusal")).to_contain_text(REASON)
    check(page, "refused")
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.status == Status.REFUSED
    assert dossier.documents.filter(kind=DocumentKind.REFUSAL).count() == 1
    no_console_errors_but(console_errors, "/tu-choi/")
