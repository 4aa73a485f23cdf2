"""Online submission to receipt in a real browser (issue: dossiers, part 1).

A citizen submits a dossier with uploads and pays online → the desk requests
a supplement → the citizen supplements → the desk receives → the citizen
downloads the receipt PDF (with its QR code) and finds the dossier with the
public lookup.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from dossiers.demo import DEMO_CODE
from dossiers.models import Dossier, Payment, Status
from procedures.models import Procedure
from tests.browser.test_smoke_roles import assert_no_console_errors, sign_in
from tests.conftest import require
from tests.dossiers.files import make_pdf

Shoot = Callable[[Page, str], Path]
CITIZEN = "001085012345"  # phone 0912345678


def switch_user(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, base, username)


def test_submit_pay_supplement_receive_download_and_look_up(
    page: Page, demo_site: str, console_errors: list[str], shoot: Shoot, tmp_path: Path
) -> None:
    base = demo_site
    procedure = Procedure.objects.get(code=DEMO_CODE)
    requirements = list(procedure.current_version.components.order_by("order"))
    files = []
    for requirement in requirements:
        path = tmp_path / f"giay-to-{requirement.order}.pdf"
        path.write_bytes(make_pdf())
        files.append(path)

    # 1. The citizen finds the procedure and submits online with both uploads.
    sign_in(page, base, CITIZEN)
    page.goto(f"{base}/thu-tuc/{procedure.pk}/")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").first.click()
    page.get_by_role("button", name="Tạo hồ sơ").click()
    expect(page.get_by_test_id("draft-form")).to_be_visible()
    for requirement, path in zip(requirements, files, strict=True):
        slot = page.get_by_test_id(f"slot-{requirement.pk}")
        slot.locator("input[type=file]").set_input_files(str(path))
        slot.get_by_role("button", name="Tải lên", exact=True).click()
        expect(page.get_by_test_id(f"slot-{requirement.pk}")).to_contain_text(path.name)
    shoot(page, "dossier-1-draft-with-uploads")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("status")).to_have_text("Chờ tiếp nhận")
    dossier = Dossier.objects.get(applicant__username=CITIZEN, status=Status.SUBMITTED,
                                  form_data__demo__isnull=True)  # fmt: skip
    expect(page.get_by_test_id("payment-amount")).to_have_text("50.000 đ")

    # …and pays the online fee through the (simulated) gateway.
    page.get_by_role("link", name="Thanh toán trực tuyến").click()
    page.get_by_role("button", name="Thanh toán 50.000 đ").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ngân hàng mô phỏng")
    page.get_by_role("button", name="Xác nhận thanh toán").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thanh toán thành công")
    payment = Payment.objects.get(dossier=dossier)
    assert payment.status == "paid" and payment.gateway_flag == 2 and payment.receipt_no
    shoot(page, "dossier-2-paid")

    # 2. The desk asks, once, for a signed version of the first document.
    switch_user(page, base, "motcua.tuphap")
    page.goto(f"{base}/mot-cua/")
    expect(page.locator(f"a[href='/mot-cua/{dossier.pk}/kiem-tra/']").first).to_be_visible()
    page.locator(f"a[href='/mot-cua/{dossier.pk}/kiem-tra/']").first.click()
    form = page.get_by_test_id("completion-form")
    form.locator(f"input[name='item_{requirements[0].pk}']").check()
    form.locator(f"[name='reason_{requirements[0].pk}']").fill("Văn bản chưa có chữ ký")
    form.get_by_role("button", name="Lập phiếu yêu cầu bổ sung").click()
    expect(page.get_by_test_id("dossier-status")).to_have_text("Chờ bổ sung trước khi tiếp nhận")
    shoot(page, "dossier-3-completion-requested")

    # 3. The citizen replaces the document and sends the dossier back.
    switch_user(page, base, CITIZEN)
    page.goto(f"{base}/ho-so/{dossier.pk}/")
    expect(page.get_by_test_id("supplement")).to_contain_text("Văn bản chưa có chữ ký")
    page.get_by_role("link", name="Sửa, bổ sung giấy tờ").click()
    slot = page.get_by_test_id(f"slot-{requirements[0].pk}")
    signed = tmp_path / "van-ban-da-ky.pdf"
    signed.write_bytes(make_pdf(pages=2))
    slot.locator("input[type=file]").set_input_files(str(signed))
    slot.get_by_role("button", name="Tải lên", exact=True).click()
    expect(page.get_by_test_id(f"slot-{requirements[0].pk}")).to_contain_text("van-ban-da-ky.pdf")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("status")).to_have_text("Chờ tiếp nhận")

    # 4. The desk receives it: code and appointment.
    switch_user(page, base, "motcua.tuphap")
    page.goto(f"{base}/mot-cua/{dossier.pk}/kiem-tra/")
    page.get_by_test_id("receive-form").get_by_role("button", name="Tiếp nhận hồ sơ").click()
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED and dossier.code
    expect(page.get_by_test_id("dossier-code")).to_have_text(dossier.code)
    shoot(page, "dossier-4-received")

    # 5. The citizen downloads the receipt (form 01) with its QR code.
    switch_user(page, base, CITIZEN)
    page.goto(f"{base}/ho-so/{dossier.pk}/")
    expect(page.get_by_test_id("code")).to_have_text(dossier.code)
    link = page.get_by_role("link", name="Tải về Giấy tiếp nhận hồ sơ và hẹn trả kết quả (PDF)")
    with page.expect_download() as download_info:
        link.click()
    pdf_path = tmp_path / "phieu-tiep-nhan.pdf"
    download_info.value.save_as(pdf_path)
    content = pdf_path.read_bytes()
    assert content.startswith(b"%PDF")
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert dossier.code in text and "Nguyễn Văn An" in text
    require(
        shutil.which("pdftoppm") and shutil.which("zbarimg"), "needs poppler-utils and zbar-tools"
    )
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(pdf_path),
                    str(tmp_path / "page")], check=True)  # fmt: skip
    png = next(tmp_path.glob("page*.png"))
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(png)], capture_output=True,
                             text=True, check=True).stdout  # fmt: skip
    # A plain link with the dossier's token, no personal data (issue 15, item 6).
    assert decoded.strip().endswith(f"/tra-cuu/{dossier.lookup_token}/")
    assert CITIZEN not in decoded

    # 6. Anyone finds it with the public lookup: code + last 4 digits of the phone.
    page.context.clear_cookies()
    page.goto(f"{base}/tra-cuu/")
    page.get_by_label("Mã hồ sơ").fill(dossier.code)
    page.get_by_label("4 số cuối điện thoại hoặc số định danh").fill("5678")
    page.get_by_role("button", name="Tra cứu").click()
    main = page.locator("main")
    expect(main).to_contain_text("Đã tiếp nhận")
    expect(main).to_contain_text(dossier.code)
    expect(main).not_to_contain_text("Nguyễn Văn An")
    shoot(page, "dossier-5-public-lookup")
    assert_no_console_errors(console_errors)
