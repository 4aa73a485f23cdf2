"""Every demo login in a real browser: sign in, land on the role's home.

Also: the header's language button switches the same page to English, and on
a phone the menu button opens the navigation and the login form is usable.
Any console error (a CSP violation, a JavaScript error) fails the test.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from portal_site.demo import ACCOUNTS, DEMO_PASSWORD, DemoAccount
from tests.browser.second_factor import is_staff_login, pass_second_factor
from tthc_portal.accounts.roles import Role
from tthc_portal.web.views import ROLE_HOMES

LOGIN_PATH = "/tai-khoan/dang-nhap/"
DASHBOARD_PATH = "/bang-dieu-khien/"
CITIZEN_HEADING = "Hồ sơ của tôi"

Shoot = Callable[[Page, str], Path]


def _one_per_kind() -> list[DemoAccount]:
    """The first demo account of each staff role, a citizen and an organisation."""
    chosen: dict[str, DemoAccount] = {}
    for account in ACCOUNTS:
        kind = account.role or ("organisation" if account.tax_code else "citizen")
        chosen.setdefault(str(kind), account)
    return list(chosen.values())


DEMO_LOGINS = _one_per_kind()


def _vi(text: object) -> str:
    with translation.override("vi"):
        return str(text)


def _en(text: object) -> str:
    with translation.override("en"):
        return translation.gettext(_vi(text))


def heading_for(account: DemoAccount) -> str:
    if account.role is None:
        return CITIZEN_HEADING
    return _vi(next(heading for role, heading, _ in ROLE_HOMES if role == account.role))


USERNAME_LABEL = re.compile(r"tên đăng nhập", re.IGNORECASE)


def sign_in(page: Page, base_url: str, identifier: str) -> None:
    page.goto(base_url + LOGIN_PATH)
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    # "Tên đăng nhập" alone where citizens sign in only through the national sign-on.
    page.get_by_label(USERNAME_LABEL).fill(identifier)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    if is_staff_login(identifier):
        pass_second_factor(page, base_url, identifier)
    page.wait_for_url(base_url + DASHBOARD_PATH)


def assert_no_console_errors(console_errors: list[str]) -> None:
    assert console_errors == [], "console errors:\n" + "\n".join(console_errors)


def test_demo_logins_cover_every_role() -> None:
    roles = {account.role for account in DEMO_LOGINS if account.role}
    assert roles == set(Role.values)
    assert any(a.personal_id_number == "001085012345" for a in DEMO_LOGINS)
    assert any(a.tax_code == "0101234567" for a in DEMO_LOGINS)


@pytest.mark.parametrize("account", DEMO_LOGINS, ids=lambda a: a.username)
def test_each_demo_login_lands_on_its_home(
    page: Page,
    demo_site: str,
    console_errors: list[str],
    shoot: Shoot,
    account: DemoAccount,
) -> None:
    sign_in(page, demo_site, account.username)

    expect(page.get_by_role("heading", level=1)).to_have_text(heading_for(account))
    header = page.locator(".site-header")
    expect(header.locator(".user-name")).to_have_text(account.full_name)
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    expect(nav.get_by_role("link", name="Trang của tôi")).to_have_attribute("aria-current", "page")
    if account.role:
        expect(page.get_by_test_id("role")).to_have_text(_vi(Role(account.role).label))
        expect(nav.get_by_role("link", name="Tính hạn xử lý")).to_be_visible()
    else:
        expect(page.get_by_test_id("role")).to_have_count(0)
        expect(nav.get_by_role("link", name="Tính hạn xử lý")).to_have_count(0)
    assert page.title().startswith(heading_for(account))
    shoot(page, f"home-{account.username}")
    assert_no_console_errors(console_errors)


def test_language_button_switches_the_same_home_to_english(
    page: Page, demo_site: str, console_errors: list[str], shoot: Shoot
) -> None:
    account = next(a for a in DEMO_LOGINS if a.role == Role.SPECIALIST)
    heading_vi = heading_for(account)
    heading_en = _en(heading_vi)
    assert heading_en != heading_vi

    sign_in(page, demo_site, account.username)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading_vi)

    page.locator(".site-header").get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.url == demo_site + DASHBOARD_PATH
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading_en)
    expect(page.get_by_test_id("role")).to_have_text(_en(Role.SPECIALIST.label))
    nav = page.get_by_role("navigation", name=_en("Điều hướng chính"))
    expect(nav.get_by_role("link", name=_en("Trang của tôi"))).to_be_visible()
    expect(page.get_by_role("button", name=_en("Đăng xuất"))).to_be_visible()
    shoot(page, "home-specialist-english")

    # And back: the button is labelled in Vietnamese whatever the page language.
    page.locator(".site-header").get_by_role("button", name="Tiếng Việt").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading_vi)
    assert_no_console_errors(console_errors)


def test_english_home_page_for_visitors(
    page: Page, demo_site: str, console_errors: list[str], shoot: Shoot
) -> None:
    page.goto(demo_site + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dịch vụ công trực tuyến")
    shoot(page, "home-visitor")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(_en("Dịch vụ công trực tuyến"))
    shoot(page, "home-visitor-english")
    assert_no_console_errors(console_errors)


def test_phone_menu_and_login(
    phone_page: Page, demo_site: str, console_errors: list[str], shoot: Shoot
) -> None:
    page = phone_page
    page.goto(demo_site + "/")
    toggle = page.get_by_role("button", name="Mở menu")
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    assert _fits_the_screen(page)
    shoot(page, "phone-home")

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    shoot(page, "phone-menu-open")
    nav.get_by_role("link", name="Đăng nhập").click()
    page.wait_for_url(demo_site + LOGIN_PATH)

    identifier = page.get_by_label("Số định danh cá nhân, mã số thuế hoặc tên đăng nhập")
    password = page.get_by_label("Mật khẩu")
    submit = page.get_by_role("button", name="Đăng nhập")
    for control in (identifier, password, submit):
        expect(control).to_be_visible()
        box = control.bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        assert box["height"] >= 44, "touch targets are at least 44px high"
    identifier.tap()
    identifier.fill("001085012345")
    password.fill(DEMO_PASSWORD)
    assert _fits_the_screen(page)
    shoot(page, "phone-login")
    submit.tap()
    page.wait_for_url(demo_site + DASHBOARD_PATH)
    expect(page.get_by_role("heading", level=1)).to_have_text(CITIZEN_HEADING)

    toggle = page.get_by_role("button", name="Mở menu")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Thông tin tài khoản")).to_be_visible()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    assert _fits_the_screen(page)
    shoot(page, "phone-citizen-home-menu")

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    assert_no_console_errors(console_errors)


def _fits_the_screen(page: Page) -> bool:
    """No horizontal scrolling on a phone."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_login_error_is_announced_and_fields_are_described(
    page: Page, demo_site: str, console_errors: list[str], shoot: Shoot
) -> None:
    page.goto(demo_site + LOGIN_PATH)
    page.get_by_label("Số định danh cá nhân, mã số thuế hoặc tên đăng nhập").fill("001085012345")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    assert page.url == demo_site + LOGIN_PATH
    expect(page.get_by_role("alert")).to_contain_text("Thông tin đăng nhập không đúng")
    shoot(page, "login-error")

    # Every help text and error a field points at exists, in English too.
    sign_in(page, demo_site, "chuyenvien.tuphap")
    page.goto(demo_site + "/lich-lam-viec/tinh-han/?start=&amount=x&mode=whole_day")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    amount = page.get_by_label(_en("Thời hạn"))
    expect(amount).to_have_attribute("aria-invalid", "true")
    expect(amount).to_have_accessible_description(re.compile(r"^For example: 5d .*Invalid"))
    broken = page.evaluate(
        """() => [...document.querySelectorAll('[aria-describedby]')].flatMap(el =>
            el.getAttribute('aria-describedby').split(/\\s+/)
              .filter(id => !document.getElementById(id)).map(id => el.name + ' → ' + id))"""
    )
    assert broken == []
    shoot(page, "calculator-errors-english")
    assert_no_console_errors(console_errors)
