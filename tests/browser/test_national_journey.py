"""The national journey in a real browser (issue #12): a citizen submits on the
(simulated) National Public Service Portal → the hub pushes the dossier to the
province → it waits in the desk queue → received, transferred, assigned, drafted,
approved and signed, returned → the hub shows national statuses 1→2→4→9→10 at the
portal's own times, has fetched the signed e-result, and the office's sync
dashboard shows nothing left to send.

The simulator is a separate process (real HTTP both ways); Celery runs eagerly, so
each transition's after-commit dispatch sends to the hub before the page answers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import Page, expect

from dossiers.demo import DEMO_CODE
from dossiers.models import Dossier, Status, StatusHistory
from integrations.demo import demo_hub_setup
from integrations.models import DossierSync, EventStatus, SyncEvent
from integrations.simulator import HubProcess
from procedures.models import Procedure
from tests.browser.national import (
    NationalSite,
    assert_no_console_errors,
    hub_wait,
    open_from_worklist,
    progress_rows,
    switch_user,
    wire_stamp,
)
from tests.dossiers.files import make_pdf

Shoot = Callable[[Page, str], Path]
DESK, SPECIALIST, HEAD, OFFICE = "motcua.tuphap", "chuyenvien.tuphap", "lanhdao.tuphap", "vanphong"
CITIZEN = {
    "ChuHoSo": "Trần Thị Quốc Gia",
    "SoDinhDanh": "001085012345",
    "SoDienThoai": "0912345678",
    "Email": "tran.quocgia@example.vn",
    "DiaChi": "Số 5 đường Điện Biên, phường Hiến Nam",
}
RESULT_TEXT = "Miễn nhiệm giám định viên tư pháp theo đề nghị nộp trên Cổng Dịch vụ công quốc gia."
# The transitions that move the national status, in order, and the codes the hub shows.
JOURNEY = [("submit", 1), ("receive", 2), ("transfer", 4), ("approve", 9), ("return_result", 10)]


@pytest.fixture
def national_site(demo_site: str, live_server, settings, tmp_path: Path) -> Iterator[NationalSite]:
    """The seeded portal wired to its own simulator (before Playwright's loop starts:
    the setup renders a PDF for the data store)."""
    # The hub downloads e-results through signed links built on SITE_URL.
    settings.TTHC = {**django_settings.TTHC, "SITE_URL": live_server.url}
    with HubProcess(tmp_path / "national-hub.json") as process:
        demo_hub_setup(process.url, site_url=live_server.url)
        yield NationalSite(base=demo_site, hub_url=process.url, control=process.control)


def test_national_submission_is_processed_and_synced_back(
    national_site: NationalSite,
    page: Page,
    phone_page: Page,
    console_errors: list[str],
    shoot: Shoot,
    tmp_path: Path,
) -> None:
    base, hub = national_site.base, national_site.hub_url
    procedure = Procedure.objects.select_related("current_version__implementing_agency").get(
        code=DEMO_CODE
    )
    unit = procedure.current_version.implementing_agency.code
    components = list(procedure.current_version.components.order_by("order"))
    files = []
    for component in components:
        path = tmp_path / f"thanh-phan-{component.order}.pdf"
        path.write_bytes(make_pdf())
        files.append(path)

    # 1. On the national portal the citizen picks the procedure by its localised code…
    page.goto(f"{hub}/cong-dvc/")
    row = page.locator("#thu-tuc tbody tr", has_text=f"{DEMO_CODE}")
    expect(row).to_have_count(1)
    national_code = row.locator("td").first.inner_text().strip()
    assert national_code.startswith(DEMO_CODE) and national_code == procedure.localised_code
    row.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nộp hồ sơ trực tuyến")

    # …the same form on a phone fits the screen (no sideways scrolling).
    phone_page.goto(page.url)
    expect(phone_page.get_by_label("Họ và tên người nộp")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shoot(phone_page, "national-1-portal-form-phone")

    # …fills in who they are, the receiving unit, one PDF per component, and submits.
    page.get_by_label("Họ và tên người nộp").fill(CITIZEN["ChuHoSo"])
    page.get_by_label("Số định danh cá nhân (12 chữ số)").fill(CITIZEN["SoDinhDanh"])
    page.get_by_label("Số điện thoại").fill(CITIZEN["SoDienThoai"])
    page.get_by_label("Thư điện tử").fill(CITIZEN["Email"])
    page.get_by_label("Địa chỉ").fill(CITIZEN["DiaChi"])
    page.get_by_label("Đơn vị tiếp nhận (mã đơn vị)").select_option(unit)
    file_inputs = page.locator("form input[type=file]")
    expect(file_inputs).to_have_count(len(components))
    for component, path in zip(components, files, strict=True):
        page.get_by_label(component.name).set_input_files(str(path))
    shoot(page, "national-1-portal-form")
    page.locator("#nop-ho-so").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Theo dõi hồ sơ")
    code = page.locator("#ma-ho-so").inner_text().strip()
    assert code.startswith(f"G{unit}-")

    # 2. The hub pushed it: one online dossier with the national code, in the desk queue.
    dossier = hub_wait(lambda: Dossier.objects.filter(code=code).first(), timeout=20)
    assert dossier.status == Status.SUBMITTED and dossier.receiving_agency.code == unit
    assert dossier.form_data.get("national_origin") and dossier.applicant_name == CITIZEN["ChuHoSo"]
    assert dossier.components.count() == len(components)
    page.reload()
    expect(page.locator("#ket-qua-chuyen li[data-kind=HoSoMoi]")).to_have_attribute(
        "data-acknowledged", "1"
    )

    switch_user(page, base, DESK)
    page.goto(f"{base}/mot-cua/?trang_thai=submitted")
    queued = page.get_by_test_id("queue").locator(f"tr[data-dossier='{dossier.pk}']")
    expect(queued).to_contain_text(CITIZEN["ChuHoSo"])
    expect(queued).to_contain_text(procedure.localised_code)
    queued.get_by_role("link", name="Kiểm tra").click()

    # 3. The desk receives it (the national code stays) and hands it to the department.
    expect(page.get_by_test_id("inbound-problems")).to_have_count(0)
    page.get_by_test_id("receive-form").get_by_role("button", name="Tiếp nhận hồ sơ").click()
    expect(page.get_by_test_id("dossier-status")).to_have_text("Đã tiếp nhận")
    expect(page.get_by_test_id("dossier-code")).to_have_text(code)
    page.get_by_test_id("transfer-form").get_by_role("button", name="Chuyển xử lý").click()
    expect(page.locator(".messages")).to_contain_text(f"Đã chuyển hồ sơ {code}")
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROCESSING and dossier.code == code

    # 4. The head assigns the specialist.
    switch_user(page, base, HEAD)
    open_from_worklist(page, base, dossier, tab="Chờ phân công")
    assign = page.get_by_test_id("assign-form")
    assign.get_by_label("Giao cho").select_option(label="Phạm Thị Thụ Lý")
    assign.get_by_role("button", name="Phân công").click()
    expect(page.get_by_test_id("step-holder")).to_have_text("Phạm Thị Thụ Lý")

    # 5. The specialist drafts the result from the template and hands it on.
    switch_user(page, base, SPECIALIST)
    open_from_worklist(page, base, dossier)
    draft = page.get_by_test_id("result-generate-form")
    draft.get_by_label("Nội dung kết quả giải quyết").fill(RESULT_TEXT)
    draft.get_by_role("button", name="Soạn dự thảo kết quả").click()
    expect(page.get_by_test_id("result-draft")).to_be_visible()
    complete = page.get_by_test_id("complete-form")
    complete.get_by_label("Ý kiến, kết quả xử lý").fill("Hồ sơ đủ điều kiện, trình ký.")
    complete.get_by_role("button", name="Hoàn thành và chuyển").click()
    expect(page.locator(".messages")).to_contain_text("Lãnh đạo xem xét, ký duyệt")

    # 6. The head approves and signs.
    switch_user(page, base, HEAD)
    open_from_worklist(page, base, dossier)
    page.get_by_test_id("approve-form").get_by_role("button", name="Phê duyệt và ký số").click()
    expect(page.get_by_test_id("dossier-status")).to_have_text("Đã có kết quả")
    expect(page.get_by_test_id("signature")).to_contain_text("Chữ ký số hợp lệ")

    # 7. The desk returns the result at the counter.
    switch_user(page, base, DESK)
    page.goto(f"{base}/mot-cua/tra-ket-qua/")
    page.locator(f"tr[data-dossier='{dossier.pk}']").get_by_role("link", name="Trả kết quả").click()
    form = page.get_by_test_id("return-form")
    expect(form.get_by_label("Họ tên người nhận kết quả")).to_have_value(CITIZEN["ChuHoSo"])
    form.get_by_role("button", name="Xác nhận đã trả kết quả").click()
    expect(page.locator(".messages")).to_contain_text(f"Đã trả kết quả hồ sơ {code}")
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED

    # 8. The hub shows 1→2→4→9→10, each at the time of the portal's own transition.
    control = national_site.control
    record = hub_wait(
        lambda: (r := control.dossier(code)) and r["header"].get("TrangThaiHoSo") == "10" and r,
    )
    history = list(StatusHistory.objects.filter(dossier=dossier).order_by("at", "pk"))
    expected = []
    for action, national in JOURNEY:
        rows = [h for h in history if h.action == action]
        assert len(rows) == 1, f"{action}: {[h.action for h in history]}"
        expected.append((national, wire_stamp(rows[0].at)))
    page.goto(f"{hub}/cong-dvc/ho-so/{code}")
    expect(page.locator("#trang-thai")).to_have_attribute("data-status", "10")
    assert progress_rows(page) == expected
    assert [int(e["SoThuTu"]) for e in record["TienDo"]] == [1, 2, 3, 4, 5]

    # The header carries the signed e-result with a link the hub fetched successfully.
    results = record["header"].get("DanhSachGiayToKetQua") or []
    assert len(results) == 1 and results[0]["MaGiayToKetQua"] == dossier.result_code
    link = results[0]["DuongDanTepTinKetQua"]
    assert link.startswith(base + "/")
    fetched = hub_wait(
        lambda: [
            i for i in (control.dossier(code) or {}).get("KetQuaTaiVe", []) if i["url"] == link
        ],
    )
    assert fetched[-1]["status"] == 200 and fetched[-1]["bytes"] > 0
    shoot(page, "national-2-hub-progress")

    # Nothing left in the outbox for this dossier; the portal knows it is synced.
    assert not SyncEvent.objects.filter(dossier=dossier).exclude(status=EventStatus.SENT).exists()
    synced = DossierSync.objects.get(dossier=dossier)
    assert synced.last_national_status == 10 and synced.last_acked_seq == 5
    assert synced.received_synced and synced.result_synced and not synced.blocked

    # 9. The provincial office's sync dashboard: zero backlog, no dead letters.
    switch_user(page, base, OFFICE)
    page.goto(f"{base}/lien-thong/")
    summary = page.get_by_test_id("sync-summary")
    expect(summary.locator("[data-figure=backlog]")).to_have_text("0")
    expect(summary.locator("[data-figure=oldest]")).to_have_text("—")
    expect(summary.locator("[data-figure=dead]")).to_have_text("0")
    backlog = page.get_by_test_id("backlog").locator("tr[data-target=dvcqg]")
    expect(backlog).to_contain_text("Không có sự kiện nào chờ gửi.")
    expect(backlog.locator("[data-breaker]")).to_have_attribute("data-breaker", "closed")
    expect(page.get_by_test_id("dead-letters").locator("tr[data-task]")).to_have_count(0)
    shoot(page, "national-3-sync-dashboard")
    assert_no_console_errors(console_errors)
