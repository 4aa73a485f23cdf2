"""Helpers of the national-portal journey (issue #12): the portal wired to a simulator
process, signing in, the worklist, and reading what the hub shows.

Small helpers are copied from the other journeys on purpose: a test module imports
from helpers, never from another test module."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar
from zoneinfo import ZoneInfo

from django.utils import timezone
from playwright.sync_api import Page, expect

from dossiers.models import Dossier
from integrations.simulator import HubControl
from portal_site.demo import DEMO_PASSWORD
from tests.browser.second_factor import is_staff_login, pass_second_factor

LOGIN_PATH = "/tai-khoan/dang-nhap/"
DASHBOARD_PATH = "/bang-dieu-khien/"
WIRE_FORMAT = "%Y%m%d%H%M%S"  # the hub's times: yyyyMMddHHmmss, Asia/Ho_Chi_Minh
VN = ZoneInfo("Asia/Ho_Chi_Minh")
T = TypeVar("T")


@dataclass(frozen=True)
class NationalSite:
    """The seeded portal (live server) and the simulator it is wired to."""

    base: str
    hub_url: str
    control: HubControl


def sign_in(page: Page, base: str, identifier: str) -> None:
    page.goto(base + LOGIN_PATH)
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    page.get_by_label("Số định danh cá nhân, mã số thuế hoặc tên đăng nhập").fill(identifier)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    if is_staff_login(identifier):
        pass_second_factor(page, base, identifier)
    page.wait_for_url(base + DASHBOARD_PATH)


def switch_user(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, base, username)


def open_from_worklist(page: Page, base: str, dossier: Dossier, tab: str = "") -> None:
    page.goto(f"{base}/xu-ly/")
    if tab:
        page.get_by_test_id("worklist-tabs").get_by_role("link", name=tab).click()
    row = page.locator(f"tr[data-dossier='{dossier.pk}']")
    expect(row).to_be_visible()
    row.get_by_role("link", name=dossier.code).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {dossier.code}")


def assert_no_console_errors(console_errors: list[str]) -> None:
    assert console_errors == [], "console errors:\n" + "\n".join(console_errors)


def wire_stamp(value) -> str:
    """A local datetime as the hub writes it (to the second)."""
    return timezone.localtime(value, timezone=VN).strftime(WIRE_FORMAT)


def progress_rows(page: Page) -> list[tuple[int, str]]:
    """(status, time) of each row of the hub's progress table, in its order."""
    rows = page.locator("#tien-do tbody tr[data-status]")
    return [
        (int(row.get_attribute("data-status") or 0), row.get_attribute("data-time") or "")
        for row in rows.all()
    ]


def hub_wait(predicate: Callable[[], T], timeout: float = 15.0) -> T:
    """Poll until truthy: the hub's push and its result download are asynchronous."""
    return HubControl.wait_until(predicate, timeout=timeout, interval=0.1)
