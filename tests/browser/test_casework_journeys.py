"""Issue 15's casework journeys in Chromium, each on a phone (390×844) and a
tablet (1024×768), with axe-core on every page visited (no serious or
critical violation, normal and error states) and no horizontal overflow of
the page on the tablet's worklists and desk pages:

a) a walk-in dossier left half-entered at the counter is resumed from the
   desk page, received and transferred; the head assigns it, the specialist
   drafts the result, the head approves and signs, the desk returns it;
b) a citizen's online dossier gets one supplement request during processing,
   the citizen hands the papers back, a second attempt is refused with the
   reason; a stop asks for confirmation with its consequences first;
c) staff search by the last four digits of a code and an unaccented name.

Data the journey is not about is built through the services.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Browser, Page, expect

from dossiers.demo import DEMO_CODE
from dossiers.models import Channel, Dossier, Status, StepKind, SupplementRequest
from dossiers.services.submission import (
    component_attach,
    dossier_create_draft,
    dossier_update_draft,
)
from procedures.models import Procedure
from tests.browser.conftest import PHONE, _open_page
from tests.browser.test_dossier_journey import switch_user
from tests.browser.test_smoke_roles import assert_no_console_errors
from tests.dossiers.files import make_pdf

CITIZEN = "001085012345"
DESK, SPECIALIST, HEAD = "motcua.tuphap", "chuyenvien.tuphap", "lanhdao.tuphap"
TABLET = {"width": 1024, "height": 768}
DEVICES = {
    "phone": {"viewport": PHONE, "is_mobile": True, "has_touch": True},
    "tablet": {"viewport": TABLET, "has_touch": True},
}
BAD_IMPACTS = {"serious", "critical"}
WALK_IN = "Hoàng Thị Quầy"


@pytest.fixture(params=sorted(DEVICES))
def device(
    request: pytest.FixtureRequest, browser: Browser, artifacts_dir: Path, console_errors: list
) -> Iterator[Page]:
    yield from _open_page(request, browser, artifacts_dir, console_errors, **DEVICES[request.param])


def check(page: Page, name: str) -> None:
    """axe-core on the page as it is now: nothing serious or critical; on the
    tablet, the page itself never scrolls sideways (tables fit or wrap)."""
    violations = [
        v for v in Axe().run(page).response["violations"] if v.get("impact") in BAD_IMPACTS
    ]
    assert not violations, f"{name}: " + "; ".join(
        f"{v['id']} ({len(v['nodes'])}): {v['help']}" for v in violations
    )
    width = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{name}: the page is {width[0]}px wide in {width[1]}px"


def no_console_errors_but(console_errors: list[str], *expected: str) -> None:
    """Chromium logs the 400 of a form shown again with its errors (the
    journey's error states); any other console error fails."""
    assert_no_console_errors(
        [e for e in console_errors if not ("status of 400" in e and any(p in e for p in expected))]
    )


def open_action(page: Page, name: str) -> None:
    """Open an action's form from the "what you can do now" list."""
    form = page.get_by_test_id(f"{name}-form")
    if not form.is_visible():
        page.locator(f"[data-testid=actions-now] a[data-action={name.replace('-', '_')}]").click()
    expect(form).to_be_visible()


def walk_in_draft(procedure: Procedure) -> Dossier:
    """What the officer typed and scanned before the applicant stepped away."""
    from django.contrib.auth import get_user_model

    desk = get_user_model().objects.get(username=DESK)
    dossier = dossier_create_draft(actor=desk, procedure=procedure, channel=Channel.IN_PERSON)
    dossier_update_draft(
        actor=desk, dossier=dossier,
        data={"applicant_name": WALK_IN, "applicant_id_number": "038192009876",
              "applicant_phone": "0903192009", "applicant_address": "Xã Tân Lập"},
    )  # fmt: skip
    for requirement in procedure.current_version.components.all():
        component_attach(
            actor=desk, dossier=dossier, requirement_id=requirement.pk,
            upload=SimpleUploadedFile(f"scan-{requirement.order}.pdf", make_pdf(),
                                      "application/pdf"),
        )  # fmt: skip
    return dossier


def test_walk_in_to_signed_result_returned(
    demo_site: str, device: Page, console_errors: list[str]
) -> None:
    base, page = demo_site, device
    dossier = walk_in_draft(Procedure.objects.get(code=DEMO_CODE))

    # The desk finds the unfinished entry on its page and resumes it.
    switch_user(page, base, DESK)
    page.goto(f"{base}/mot-cua/")
    check(page, "desk queue with drafts")
    drafts = page.get_by_test_id("my-drafts")
    drafts.locator(f"li[data-draft='{dossier.pk}'] a").click()
    expect(page.locator("main")).to_contain_text(WALK_IN)
    check(page, "desk check")
    page.get_by_test_id("receive-form").get_by_role("button", name="Tiếp nhận hồ sơ").click()
    expect(page.get_by_test_id("dossier-status")).to_have_text("Đã tiếp nhận")
    page.get_by_test_id("transfer-form").get_by_role("button", name="Chuyển xử lý").click()
    dossier.refresh_from_db()
    expect(page.locator(".messages")).to_contain_text(f"Đã chuyển hồ sơ {dossier.code}")
    assert dossier.status == Status.IN_PROCESSING

    # The head assigns it: the assignment is the open action.
    switch_user(page, base, HEAD)
    page.goto(f"{base}/xu-ly/?pham_vi=unassigned")
    check(page, "head worklist")
    page.goto(f"{base}/xu-ly/ho-so/{dossier.pk}/")
    check(page, "head processing page")
    assign = page.get_by_test_id("assign-form")
    expect(assign).to_be_visible()
    assign.get_by_label("Giao cho").select_option(label="Phạm Thị Thụ Lý")
    assign.get_by_role("button", name="Phân công").click()
    expect(page.get_by_test_id("step-holder")).to_have_text("Phạm Thị Thụ Lý")

    # The specialist drafts the result (an error first), then hands it on.
    switch_user(page, base, SPECIALIST)
    page.goto(f"{base}/xu-ly/")
    check(page, "specialist worklist")
    page.goto(f"{base}/xu-ly/ho-so/{dossier.pk}/")
    expect(page.get_by_test_id("send-back-form")).not_to_be_visible()  # collapsed, on demand
    draft = page.get_by_test_id("result-generate-form")
    draft.get_by_label("Nội dung kết quả giải quyết").fill("Ngắn")
    draft.get_by_role("button", name="Soạn dự thảo kết quả").click()
    expect(page.get_by_test_id("result-generate-form")).to_contain_text("quá ngắn")
    check(page, "result draft error")
    draft = page.get_by_test_id("result-generate-form")
    draft.get_by_label("Nội dung kết quả giải quyết").fill(
        f"Cấp giấy chứng nhận cho bà {WALK_IN}, thời hạn 05 năm."
    )
    draft.get_by_role("button", name="Soạn dự thảo kết quả").click()
    expect(page.get_by_test_id("result-draft")).to_be_visible()
    open_action(page, "complete")
    page.get_by_test_id("complete-form").get_by_role("button", name="Hoàn thành và chuyển").click()
    expect(page.locator(".messages")).to_contain_text("Đã hoàn thành bước")

    # The head approves and signs.
    switch_user(page, base, HEAD)
    page.goto(f"{base}/xu-ly/ho-so/{dossier.pk}/")
    check(page, "approval page")
    page.get_by_test_id("approve-form").get_by_role("button", name="Phê duyệt và ký số").click()
    expect(page.get_by_test_id("dossier-status")).to_have_text("Đã có kết quả")
    expect(page.get_by_test_id("signature")).to_contain_text("Chữ ký số hợp lệ")
    check(page, "signed result")

    # The desk returns it at the counter.
    switch_user(page, base, DESK)
    page.goto(f"{base}/mot-cua/tra-ket-qua/")
    check(page, "desk returns")
    page.locator(f"tr[data-dossier='{dossier.pk}']").get_by_role("link", name="Trả kết quả").click()
    form = page.get_by_test_id("return-form")
    check(page, "return form")
    form.get_by_role("button", name="Xác nhận đã trả kết quả").click()
    expect(page.locator(".messages")).to_contain_text(f"Đã trả kết quả hồ sơ {dossier.code}")
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED
    assert not dossier.steps.filter(kind=StepKind.RETURN, completed_at__isnull=True).exists()
    no_console_errors_but(console_errors, f"/xu-ly/ho-so/{dossier.pk}/soan-ket-qua/")


def test_one_supplement_then_a_second_is_refused(
    demo_site: str, device: Page, console_errors: list[str]
) -> None:
    base, page = demo_site, device
    dossier = Dossier.objects.get(form_data__demo="assigned")
    requirement = dossier.procedure_version.components.order_by("order").first()
    url = f"{base}/xu-ly/ho-so/{dossier.pk}/"

    # The specialist drafts the one request (form 02) with its reason.
    switch_user(page, base, SPECIALIST)
    page.goto(url)
    check(page, "specialist page")
    open_action(page, "supplement-draft")
    form = page.get_by_test_id("supplement-draft-form")
    form.locator(f"input[name=item_{requirement.pk}]").check()
    form.locator(f"[name=reason_{requirement.pk}]").fill("Bản chụp không rõ trang 2")
    form.get_by_role("button", name="Lập dự thảo, trình lãnh đạo").click()
    expect(page.locator(".messages")).to_contain_text("chờ lãnh đạo ký duyệt")

    # The head signs it off; the dossier waits for the citizen.
    switch_user(page, base, HEAD)
    page.goto(url)
    check(page, "head sign-off")
    page.get_by_test_id("supplement-issue-form").get_by_role(
        "button", name="Ký duyệt và ban hành"
    ).click()
    expect(page.get_by_test_id("dossier-status")).to_have_text("Chờ bổ sung hồ sơ")

    # The citizen reads what is missing and sends the dossier back.
    switch_user(page, base, CITIZEN)
    page.goto(f"{base}/ho-so/{dossier.pk}/")
    todo = page.get_by_test_id("action-needed")
    expect(todo).to_contain_text("Bản chụp không rõ trang 2")
    check(page, "citizen supplement")
    todo.get_by_role("link", name="Sửa, bổ sung giấy tờ").click()
    page.get_by_test_id("submit").click()
    expect(page.locator(".messages")).to_be_visible()
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROCESSING and dossier.supplement_count == 1

    # A second request without a reason for it is refused, saying why.
    switch_user(page, base, SPECIALIST)
    page.goto(url)
    expect(page.get_by_test_id("supplement-warning")).to_contain_text("1 lần")
    open_action(page, "supplement-draft")
    form = page.get_by_test_id("supplement-draft-form")
    form.locator(f"input[name=item_{requirement.pk}]").check()
    form.locator(f"[name=reason_{requirement.pk}]").fill("Thiếu trang 3")
    form.get_by_role("button", name="Lập dự thảo, trình lãnh đạo").click()
    expect(page.get_by_test_id("supplement-draft-form")).to_contain_text(
        "Hồ sơ đã được yêu cầu bổ sung 1 lần."
    )
    check(page, "second supplement refused")
    assert SupplementRequest.objects.filter(dossier=dossier).count() == 1

    # Stopping asks first, with what follows; going back changes nothing.
    switch_user(page, base, HEAD)
    page.goto(url)
    open_action(page, "stop")
    stop = page.get_by_test_id("stop-form")
    stop.get_by_label("Lý do dừng xử lý").fill("Công dân đề nghị dừng")
    stop.get_by_role("button", name="Tiếp tục: xem hậu quả và xác nhận").click()
    expect(page.get_by_test_id("consequences")).to_contain_text("Cổng Dịch vụ công quốc gia")
    check(page, "stop confirmation")
    page.get_by_role("link", name="Quay lại, chưa quyết định").click()
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROCESSING
    no_console_errors_but(console_errors, f"/xu-ly/ho-so/{dossier.pk}/du-thao-bo-sung/")


def test_staff_search_by_last_digits_and_unaccented_name(
    demo_site: str, device: Page, console_errors: list[str]
) -> None:
    base, page = demo_site, device
    dossier = Dossier.objects.filter(
        form_data__demo="returned", code__isnull=False
    ).get()  # a closed one: search covers every state
    switch_user(page, base, DESK)
    page.goto(f"{base}/tim-ho-so/")
    check(page, "search page")
    search = page.get_by_test_id("dossier-search")
    search.get_by_label("Từ khóa").fill(dossier.code[-4:])
    search.get_by_role("button", name="Tìm").click()
    expect(page.locator(f"tr[data-dossier='{dossier.pk}']")).to_be_visible()
    check(page, "search by digits")

    search = page.get_by_test_id("dossier-search")
    search.get_by_label("Từ khóa").fill("nguyen van an")
    search.get_by_role("button", name="Tìm").click()
    row = page.locator(f"tr[data-dossier='{dossier.pk}']")
    expect(row).to_contain_text("Nguyễn Văn An")
    check(page, "search by unaccented name")
    row.get_by_role("link", name=dossier.code).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {dossier.code}")

    search_url = f"{base}/tim-ho-so/?q=%25%25"
    page.goto(search_url)  # a query that cannot be searched: the error state
    check(page, "search error state")
    assert_no_console_errors(console_errors)
