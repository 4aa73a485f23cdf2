"""Staff signed in with only a password are sent to the second factor before any
page; API calls get a JSON 403; citizens are never affected."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.accounts.second_factor_support import (
    DASHBOARD_URL,
    LOGIN_URL,
    SETUP_URL,
    VERIFY_URL,
    enrol,
    password_sign_in,
)
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

STAFF_PAGES = [
    DASHBOARD_URL,
    "/mot-cua/",  # the desk queue
    "/xu-ly/",  # the processing worklist
    "/quan-tri/",  # Django's admin
    "/tai-khoan/ho-so/",
    "/lich-lam-viec/",
]


def with_next(url: str, page: str) -> str:
    return f"{url}?next={quote(page, safe='')}"


@pytest.fixture
def enrolled_staff(client: Client):
    staff = StaffFactory(username="canbo.motcua", is_staff=True)
    enrol(staff)
    password_sign_in(client, "canbo.motcua")
    return staff


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_unverified_staff_is_sent_to_verify_with_next(client, enrolled_staff, page):
    response = client.get(page)

    assert response.status_code == 302
    assert response["Location"] == with_next(VERIFY_URL, page)


def test_query_string_is_kept_in_next(client, enrolled_staff):
    response = client.get("/xu-ly/?pham_vi=cua-toi&trang=2")

    assert response["Location"] == with_next(VERIFY_URL, "/xu-ly/?pham_vi=cua-toi&trang=2")


def test_staff_without_a_device_is_sent_to_enrolment(client):
    StaffFactory(username="canbo.moi")
    password_sign_in(client, "canbo.moi")

    response = client.get("/xu-ly/")

    assert response.status_code == 302
    assert response["Location"] == with_next(SETUP_URL, "/xu-ly/")


def test_superuser_is_staff_too(client):
    UserFactory(username="001099000001", is_superuser=True)
    password_sign_in(client, "001099000001")

    assert client.get(DASHBOARD_URL)["Location"] == with_next(SETUP_URL, DASHBOARD_URL)


def test_api_call_gets_a_json_403(client, enrolled_staff):
    response = client.get("/api/desk/dossiers/")

    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert "xác thực hai bước" in response.json()["detail"]


def test_a_post_is_redirected_without_next(client, enrolled_staff):
    response = client.post("/xu-ly/ho-so/1/phe-duyet/", {"note": ""})

    assert response.status_code == 302
    assert response["Location"] == VERIFY_URL


def test_exempt_pages_stay_reachable(client, enrolled_staff):
    assert client.get(VERIFY_URL).status_code == 200
    # The enrolment page of an enrolled person sends them to verify, not to a loop.
    assert client.get(SETUP_URL)["Location"] == with_next(VERIFY_URL, DASHBOARD_URL)
    assert client.get("/static/css/portal.css").status_code != 302
    assert client.get("/jsi18n/").status_code == 200
    admin_login = client.get("/quan-tri/login/")
    assert not admin_login.get("Location", "").startswith(VERIFY_URL)
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert switched.status_code == 302 and switched["Location"] == "/"
    assert client.get(LOGIN_URL).status_code == 302  # the login view's own redirect
    logged_out = client.post("/tai-khoan/dang-xuat/")
    assert logged_out.status_code == 302
    assert client.session.get("_auth_user_id") is None


@pytest.mark.parametrize("page", [DASHBOARD_URL, "/tai-khoan/ho-so/", "/api/dossiers/"])
def test_citizens_are_not_affected(client, page):
    UserFactory(username="001085012345")
    password_sign_in(client, "001085012345")

    assert client.get(page).status_code == 200


def test_verified_staff_passes_with_no_extra_query(client, enrolled_staff):
    device = enrolled_staff.totpdevice_set.get()
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    client.get(DASHBOARD_URL)  # warm-up: caches, first-request work

    with CaptureQueriesContext(connection) as queries:
        assert client.get(DASHBOARD_URL).status_code == 200
    # No query on the second-factor tables besides OTPMiddleware's device lookup.
    otp_queries = [q["sql"] for q in queries if "otp_" in q["sql"]]
    assert len(otp_queries) == 1, otp_queries
