"""/bang-dieu-khien/ sends every demo account to its role's home page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils.html import escape

from portal_site import demo
from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.models import Agency
from tthc_portal.web.views import ROLE_HOMES

DASHBOARD_URL = "/bang-dieu-khien/"
LOGIN_URL = "/tai-khoan/dang-nhap/"
CITIZEN_HEADING = "Hồ sơ của tôi"
WORK_CALENDAR = "Lịch làm việc"
HEADINGS = {role: (str(heading), str(lead)) for role, heading, lead in ROLE_HOMES}
STAFF = [spec for spec in demo.ACCOUNTS if spec.role]
APPLICANTS = [spec for spec in demo.ACCOUNTS if not spec.role]
MAX_QUERIES = 15


@pytest.fixture(scope="module")
def _demo_province(django_db_setup, django_db_blocker) -> Iterator[None]:
    """Seed once for the module inside a transaction rolled back at the end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_demo", stdout=StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo_province(_demo_province: None, db) -> None:
    return None


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def main_nav(page: str) -> str:
    match = re.search(r'<nav id="site-nav".*?</nav>', page, flags=re.DOTALL)
    assert match, "the page has no main navigation"
    return match.group(0)


def h1(page: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", page, flags=re.DOTALL)
    assert match, "the page has no <h1>"
    return match.group(1).strip()


def test_role_homes_cover_every_role() -> None:
    assert set(HEADINGS) == set(Role.values)


@pytest.mark.parametrize("spec", STAFF, ids=lambda spec: spec.username)
def test_staff_land_on_their_role_home(
    demo_province: None, spec: demo.DemoAccount, django_assert_max_num_queries
) -> None:
    client = signed_in(spec.username)

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(DASHBOARD_URL)

    assert response.status_code == 200
    page = response.content.decode()
    heading, lead = HEADINGS[spec.role]
    assert h1(page) == escape(heading)
    assert escape(lead) in page
    assert escape(str(Role(spec.role).label)) in page
    agency = Agency.objects.get(code=spec.agency_code)
    assert escape(agency.name) in page
    assert response.context["role"] == spec.role


@pytest.mark.parametrize("spec", APPLICANTS, ids=lambda spec: spec.username)
def test_applicants_land_on_my_dossiers(
    demo_province: None, spec: demo.DemoAccount, django_assert_max_num_queries
) -> None:
    client = signed_in(spec.username)

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(DASHBOARD_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert h1(page) == CITIZEN_HEADING
    assert escape(spec.full_name) in page
    assert 'data-testid="role"' not in page


def test_scope_tile_counts_the_agencies_in_reach(demo_province: None) -> None:
    everything = Agency.objects.count()
    for username, expected in (("vanphong", everything), ("motcua.tuphap", 1)):
        response = signed_in(username).get(DASHBOARD_URL)
        assert response.context["scoped_agency_count"] == expected
        assert f"Bạn được xem hồ sơ của {expected} đơn vị." in response.content.decode()


def test_anonymous_visitor_is_sent_to_login(client: Client, db) -> None:
    response = client.get(DASHBOARD_URL)

    assert response.status_code == 302
    assert response.url == f"{LOGIN_URL}?next={DASHBOARD_URL}"


def test_dashboard_accepts_only_get(demo_province: None) -> None:
    response = signed_in("001085012345").post(DASHBOARD_URL)
    assert response.status_code == 405


@pytest.mark.parametrize("spec", STAFF, ids=lambda spec: spec.username)
def test_staff_navigation_shows_the_work_calendar(
    demo_province: None, spec: demo.DemoAccount
) -> None:
    nav = main_nav(signed_in(spec.username).get(DASHBOARD_URL).content.decode())

    assert WORK_CALENDAR in nav
    assert "Tính hạn xử lý" in nav
    assert "Đăng xuất" in nav


@pytest.mark.parametrize("spec", APPLICANTS, ids=lambda spec: spec.username)
def test_applicant_navigation_hides_the_work_calendar(
    demo_province: None, spec: demo.DemoAccount
) -> None:
    page = signed_in(spec.username).get(DASHBOARD_URL).content.decode()
    nav = main_nav(page)

    assert WORK_CALENDAR not in nav
    assert "Tính hạn xử lý" not in nav
    assert "Trang của tôi" in nav
    assert "Thông tin tài khoản" in nav
    assert WORK_CALENDAR not in page


def test_anonymous_navigation_offers_only_login(client: Client, db) -> None:
    nav = main_nav(client.get("/").content.decode())

    assert WORK_CALENDAR not in nav
    assert "Trang của tôi" not in nav
    assert LOGIN_URL in nav
