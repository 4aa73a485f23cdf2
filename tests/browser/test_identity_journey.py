"""Identity in a real browser (issue: identity, "done" journey).

A citizen clicks "Đăng nhập bằng VNeID / Cổng DVCQG", picks herself at the
demo national identity provider (a real OpenID Connect process), lands back
on "Hồ sơ của tôi" and submits a dossier; a desk officer signs in with
password and TOTP and receives it. The dossier carries the VNeID flag.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from dossiers.demo import DEMO_CODE
from dossiers.models import Dossier, Status
from idp_demo.process import IdpProcess
from procedures.models import Procedure
from tests.browser.test_smoke_roles import assert_no_console_errors, sign_in
from tests.dossiers.files import make_pdf
from tthc_portal.accounts.oidc.provider import national_sso_forget

Shoot = Callable[[Page, str], Path]
CITIZEN = "001085012345"
DESK = "motcua.tuphap"
SECRET = "journey-secret"


@pytest.fixture
def national_sso(demo_site: str, settings, tmp_path: Path) -> Iterator[IdpProcess]:
    """The demo provider registered for this live server, and the portal pointed at it."""
    idp = IdpProcess(
        tmp_path / "idp",
        client_secret=SECRET,
        redirect_uris=[f"{demo_site}/tai-khoan/dang-nhap/vneid/xong/"],
        post_logout_redirect_uris=[f"{demo_site}/"],
    )
    with idp:
        settings.IDENTITY = {
            **settings.IDENTITY,
            "OIDC_DISCOVERY_URL": idp.discovery_url,
            "OIDC_CLIENT_ID": "tthc-portal",
            "OIDC_CLIENT_SECRET": SECRET,
            "CITIZEN_PASSWORD_LOGIN": False,
        }
        # As the settings do for a configured provider: logout redirects there.
        csp = settings.CONTENT_SECURITY_POLICY
        directives = {**csp["DIRECTIVES"]}
        directives["form-action"] = [*directives["form-action"], idp.url]
        settings.CONTENT_SECURITY_POLICY = {**csp, "DIRECTIVES": directives}
        national_sso_forget()
        yield idp
    national_sso_forget()


def test_citizen_signs_in_with_vneid_submits_and_the_desk_receives(
    page: Page, demo_site: str, national_sso: IdpProcess, console_errors: list[str],
    shoot: Shoot, tmp_path: Path,
) -> None:  # fmt: skip
    base = demo_site
    procedure = Procedure.objects.get(code=DEMO_CODE)
    requirements = list(procedure.current_version.components.order_by("order"))

    # 1. The national sign-on, from the portal's sign-in page.
    page.goto(f"{base}/tai-khoan/dang-nhap/")
    expect(page.get_by_role("heading", name="Cán bộ, công chức")).to_be_visible()
    shoot(page, "identity-1-sign-in-page")
    page.get_by_role("link", name="Đăng nhập bằng VNeID / Cổng DVCQG").click()
    page.wait_for_url(f"{national_sso.url}/**")
    shoot(page, "identity-2-provider-picker")
    page.get_by_role("button", name="Đăng nhập: Nguyễn Văn An").click()
    page.wait_for_url(f"{base}/ho-so/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ của tôi")
    shoot(page, "identity-3-my-dossiers")

    # 2. She submits a dossier online.
    page.goto(f"{base}/thu-tuc/{procedure.pk}/")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").first.click()
    page.get_by_role("button", name="Tạo hồ sơ").click()
    expect(page.get_by_test_id("draft-form")).to_be_visible()
    for requirement in requirements:
        path = tmp_path / f"giay-to-{requirement.order}.pdf"
        path.write_bytes(make_pdf())
        slot = page.get_by_test_id(f"slot-{requirement.pk}")
        slot.locator("input[type=file]").set_input_files(str(path))
        slot.get_by_role("button", name="Tải lên", exact=True).click()
        expect(page.get_by_test_id(f"slot-{requirement.pk}")).to_contain_text(path.name)
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("status")).to_have_text("Chờ tiếp nhận")
    dossier = Dossier.objects.get(applicant__username=CITIZEN, status=Status.SUBMITTED,
                                  form_data__demo__isnull=True)  # fmt: skip
    assert dossier.vneid_verified and dossier.assurance_level == "2"
    page.get_by_role("link", name="Thanh toán trực tuyến").click()
    page.get_by_role("button", name="Thanh toán 50.000 đ").click()
    page.get_by_role("button", name="Xác nhận thanh toán").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thanh toán thành công")
    shoot(page, "identity-4-submitted-and-paid")

    # 3. Signing out ends the provider's session too, then back to the portal.
    visited: list[str] = []
    page.on("request", lambda request: visited.append(request.url))
    page.goto(f"{base}/tai-khoan/ho-so/")
    page.get_by_role("button", name="Đăng xuất", exact=True).click()
    page.wait_for_url(re.compile(re.escape(base) + r"/(\?.*)?$"))
    assert any(url.startswith(f"{national_sso.url}/o/logout/") for url in visited), visited
    expect(page.get_by_role("link", name="Đăng nhập", exact=True)).to_be_visible()

    # 4. The desk officer: password, then the authenticator code; receives it.
    page.context.clear_cookies()
    sign_in(page, base, DESK)
    page.goto(f"{base}/mot-cua/{dossier.pk}/kiem-tra/")
    page.get_by_test_id("receive-form").get_by_role("button", name="Tiếp nhận hồ sơ").click()
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED and dossier.code
    expect(page.get_by_test_id("dossier-code")).to_have_text(dossier.code)
    shoot(page, "identity-5-desk-received")
    assert_no_console_errors(console_errors)
