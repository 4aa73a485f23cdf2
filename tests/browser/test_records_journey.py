"""Records disposal in Chromium: the records officer reviews the list on a phone
(it fits the screen, the dossier rows become cards) and submits it with the
council's opinion; the head of the archive unit approves it on a desktop; the
destruction record downloads as a PDF."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from records.demo import demo_disposal_rows
from records.groups import ARCHIVE_HEAD, RECORDS_OFFICER, records_groups_sync
from records.models import DisposedDossier, ListStatus
from tests.browser.test_smoke_roles import assert_no_console_errors, sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _fits_the_screen(page: Page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_review_on_a_phone_and_approve(
    phone_page: Page, page: Page, demo_site: str, console_errors: list[str]
) -> None:
    users = get_user_model().objects.in_bulk(field_name="username")
    groups = records_groups_sync()
    users["vanphong"].groups.add(groups[RECORDS_OFFICER])
    users["quantri"].groups.add(groups[ARCHIVE_HEAD])
    disposal_list = demo_disposal_rows(users["quantri"])
    assert disposal_list is not None
    url = f"{demo_site}/luu-tru/huy-ho-so/{disposal_list.pk}/"

    sign_in(phone_page, demo_site, "vanphong")
    phone_page.goto(f"{demo_site}/luu-tru/huy-ho-so/")
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Danh mục hồ sơ đề nghị hủy")
    phone_page.get_by_role("link", name=disposal_list.period.strftime("%m/%Y")).click()
    phone_page.wait_for_url(url)
    assert _fits_the_screen(phone_page)
    phone_page.get_by_label("Ý kiến của Hội đồng xác định giá trị tài liệu").fill(
        "Hội đồng thống nhất đề nghị hủy"
    )
    phone_page.get_by_role("button", name="Trình lãnh đạo phê duyệt").tap()
    expect(phone_page.get_by_test_id("list-status")).to_have_text("Chờ phê duyệt")
    expect(phone_page.get_by_role("link", name="Danh mục hồ sơ đề nghị hủy kèm bản thuyết minh"))\
        .to_be_visible()  # fmt: skip

    sign_in(page, demo_site, "quantri")
    page.goto(url + "phe-duyet/")
    page.get_by_label("Phê duyệt hủy").check()
    page.get_by_label("Số quyết định hủy").fill("15/QĐ-LT")
    page.get_by_role("button", name="Ghi nhận quyết định").click()
    expect(page.get_by_test_id("list-status")).to_have_text("Đã hủy")
    with page.expect_download() as download:
        page.get_by_role("link", name="Biên bản hủy tài liệu hết giá trị").click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    disposal_list.refresh_from_db()
    assert disposal_list.status == ListStatus.DESTROYED
    assert DisposedDossier.objects.filter(disposal_list=disposal_list).count() == 1
    assert_no_console_errors(console_errors)
