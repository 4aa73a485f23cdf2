"""Feedback end to end in Chromium against the live demo site.

A citizen files a PAKN on the public form (on a phone) → the provincial
office classifies it and forwards it to the Department of Justice → the
department's head answers → the office approves and publishes → the citizen
finds it on the public page without login and dislikes it. Then a citizen
rates a returned dossier at the desk kiosk. Screenshots in var/test-artifacts/.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from dossiers.models import Dossier, Status
from feedback.demo import seed_feedback
from feedback.models import Feedback, Rating, RatingSource
from tests.browser.test_smoke_roles import assert_no_console_errors, sign_in

Shoot = Callable[[Page, str], Path]
TITLE = "Biểu mẫu tờ khai lý lịch tư pháp đòi ghi nơi đăng ký hộ khẩu"
CONTENT = (
    "Tờ khai cấp phiếu lý lịch tư pháp vẫn yêu cầu ghi nơi đăng ký hộ khẩu thường trú, "
    "trong khi sổ hộ khẩu đã bị bãi bỏ. Đề nghị sửa biểu mẫu."
)
ANSWER = "Sở Tư pháp đã hướng dẫn ghi nơi cư trú theo dữ liệu dân cư; không yêu cầu sổ hộ khẩu."
NAME, PHONE = "Phạm Thị Hành Trình", "0909123456"


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_load_state()


def open_item(page: Page, base: str, code: str) -> None:
    page.goto(base + "/phan-anh-kien-nghi/xu-ly/?trang_thai=all")
    page.get_by_role("link", name=code).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(code)


def test_pakn_journey_and_kiosk_rating(
    page: Page, phone_page: Page, demo_site: str, console_errors: list[str], shoot: Shoot
) -> None:
    seed_feedback()

    # 1. A citizen files a PAKN on the public form, on a phone, without logging in.
    citizen = phone_page
    citizen.goto(demo_site + "/phan-anh-kien-nghi/gui/")
    expect(citizen.get_by_role("heading", level=1)).to_have_text(
        "Gửi phản ánh, kiến nghị về quy định hành chính"
    )
    citizen.get_by_label("Họ và tên / tên tổ chức").fill(NAME)
    citizen.get_by_label("Số điện thoại").fill(PHONE)
    citizen.get_by_label("Địa chỉ", exact=True).fill("Số 12 Nguyễn Văn Linh, phường Phố Hiến")
    citizen.get_by_label("Tiêu đề").fill(TITLE)
    citizen.get_by_label("Nội dung phản ánh, kiến nghị").fill(CONTENT)
    consent = citizen.get_by_label("Tôi đồng ý công khai họ tên khi công khai kết quả xử lý")
    expect(consent).not_to_be_checked()
    citizen.get_by_role("button", name="Gửi phản ánh, kiến nghị").click()
    # Neither an email nor a postal address: refused with the reason, input kept.
    expect(citizen.get_by_role("alert").first).to_be_visible()
    # One focused summary at the top of the form links to the field with its error.
    summary = citizen.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(
        summary.get_by_role("link", name=re.compile("Vui lòng nhập thư điện tử"))
    ).to_be_visible()
    expect(citizen.locator("#id_submitter_email_error")).to_contain_text(
        "Vui lòng nhập thư điện tử hoặc địa chỉ nhận thư"
    )
    expect(citizen.get_by_label("Tiêu đề")).to_have_value(TITLE)
    shoot(citizen, "pakn-form-error-phone")
    citizen.get_by_label("Thư điện tử").fill("hanh.trinh@example.vn")
    citizen.get_by_role("button", name="Gửi phản ánh, kiến nghị").click()
    expect(citizen.get_by_role("heading", level=1)).to_contain_text("Phản ánh, kiến nghị PAKN-")
    code = re.search(r"PAKN-\d{6}-\d{4}", citizen.locator("h1").inner_text()).group(0)
    expect(citizen.locator(".state")).to_have_text("Chờ tiếp nhận, phân loại")
    assert citizen.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    shoot(citizen, "pakn-submitted-phone")

    # 2. The provincial office classifies and forwards it to the Department of Justice.
    sign_in(page, demo_site, "vanphong")
    open_item(page, demo_site, code)
    classify = page.locator("form[data-action='classify']")
    classify.get_by_label("Về quy định thuộc thẩm quyền").check()
    classify.get_by_role("button", name="Phân loại").click()
    expect(page.get_by_text("Đã phân loại PAKN.")).to_be_visible()
    forward = page.locator("form[data-action='forward']")
    forward.get_by_label("Đơn vị xử lý").select_option(label="Sở Tư pháp")
    forward.get_by_role("button", name="Chuyển đơn vị xử lý").click()
    expect(page.get_by_test_id("agency")).to_have_text("Sở Tư pháp")
    expect(page.locator(".page-head .state")).to_have_text("Đang xử lý")
    shoot(page, "pakn-forwarded-office")
    sign_out(page)

    # 3. The department's head answers.
    sign_in(page, demo_site, "lanhdao.tuphap")
    open_item(page, demo_site, code)
    answer = page.locator("form[data-action='answer']")
    answer.get_by_label("Nội dung trả lời, kết quả xử lý").fill(ANSWER)
    answer.get_by_role("button", name="Trả lời, báo cáo kết quả xử lý").click()
    expect(page.get_by_test_id("answer")).to_have_text(ANSWER)
    expect(page.locator("form[data-action='approve_publication']")).to_have_count(0)
    shoot(page, "pakn-answered-department")
    sign_out(page)

    # 4. The office approves the answer and publishes it.
    sign_in(page, demo_site, "vanphong")
    open_item(page, demo_site, code)
    page.locator("form[data-action='approve_publication']").get_by_role("button").click()
    expect(page.locator(".page-head .state")).to_have_text("Chờ công khai")
    page.locator("form[data-action='publish']").get_by_role("button").click()
    expect(page.locator(".page-head .state")).to_have_text("Đã công khai")
    shoot(page, "pakn-published-office")
    sign_out(page)

    # 5. The citizen finds it on the public page (no diacritics typed) and dislikes it.
    citizen.goto(demo_site + "/phan-anh-kien-nghi/")
    citizen.get_by_label("Từ khóa").fill("bieu mau to khai ly lich")
    citizen.get_by_role("button", name="Tìm kiếm").click()
    citizen.get_by_role("link", name=TITLE).click()
    expect(citizen.get_by_test_id("answer")).to_have_text(ANSWER)
    body = citizen.locator("main").inner_text()
    assert NAME not in body and PHONE not in body and "hanh.trinh@" not in body
    citizen.get_by_role("button", name=re.compile("Không hài lòng")).click()
    expect(citizen.get_by_test_id("dislikes")).to_have_text("1")
    expect(citizen.get_by_text("Ông/bà đã đánh giá; có thể đổi ý")).to_be_visible()
    shoot(citizen, "pakn-public-disliked-phone")
    item = Feedback.objects.get(code=code)
    assert item.reactions.get().value == "dislike"
    assert list(item.history.values_list("action", flat=True)) == [
        "submit", "classify", "forward", "answer", "approve_publication", "publish",
    ]  # fmt: skip

    # 6. At the desk kiosk, a citizen rates a returned dossier: code + last 4 digits.
    dossier = (
        Dossier.objects.filter(status=Status.RETURNED)
        .exclude(ratings__source=RatingSource.DESK_KIOSK)
        .order_by("pk")
        .first()
    )
    assert dossier is not None
    page.goto(demo_site + "/danh-gia/ki-ot/")
    page.get_by_label("Mã hồ sơ").fill(dossier.code)
    page.get_by_label("4 số cuối điện thoại hoặc số định danh").fill(dossier.applicant_phone[-4:])
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Đánh giá hồ sơ {dossier.code}")
    for group in page.locator("fieldset.choice-group").all():
        legend = group.locator("legend").inner_text()
        if "hài lòng" in legend:
            group.get_by_label("Hài lòng", exact=True).check()
        elif not group.locator("input:checked").count():  # c5–c9: the citizen answers
            group.locator("label.choice").first.click()
    button = page.get_by_role("button", name="Gửi đánh giá")
    assert button.bounding_box()["height"] >= 60, "kiosk buttons are large"
    shoot(page, "kiosk-sheet")
    button.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cảm ơn ông/bà đã đánh giá!")
    shoot(page, "kiosk-thanks")
    rating = Rating.objects.get(dossier=dossier, source=RatingSource.DESK_KIOSK)
    assert rating.like == "like" and rating.total == 18
    assert_no_console_errors(console_errors)
