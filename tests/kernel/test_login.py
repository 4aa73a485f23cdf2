"""Signing in with a personal ID, a tax code or a staff username; lockout; logout."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories import PASSWORD, StaffFactory, UserFactory
from tthc_portal.accounts.models import UserKind

pytestmark = pytest.mark.django_db

LOGIN_URL = "/tai-khoan/dang-nhap/"
LOGOUT_URL = "/tai-khoan/dang-xuat/"
DASHBOARD_URL = "/bang-dieu-khien/"
INVALID_LOGIN = "Thông tin đăng nhập không đúng"
LOCKED_OUT = "Tạm khóa đăng nhập"
ATTACKER_IP = "203.0.113.7"


def signed_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def sign_in(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post(LOGIN_URL, {"username": username, "password": password}, **extra)


def test_urls_are_the_vietnamese_ones() -> None:
    assert reverse("accounts:login") == LOGIN_URL
    assert reverse("accounts:logout") == LOGOUT_URL
    assert reverse("web:dashboard") == DASHBOARD_URL


def test_login_page_asks_for_any_identifier(client: Client) -> None:
    response = client.get(LOGIN_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Số định danh cá nhân, mã số thuế hoặc tên đăng nhập" in page
    assert 'autocomplete="current-password"' in page


def test_citizen_signs_in_with_personal_id(client: Client) -> None:
    citizen = UserFactory(username="001085012345", personal_id_number="001085012345")

    response = sign_in(client, "001085012345")

    assert response.status_code == 302
    assert response.url == DASHBOARD_URL
    assert signed_in_user_id(client) == str(citizen.pk)


def test_personal_id_works_even_when_username_differs(client: Client) -> None:
    citizen = UserFactory(username="nguyenvanan", personal_id_number="036190004567")

    response = sign_in(client, " 036190004567 ")

    assert response.status_code == 302
    assert response.url == DASHBOARD_URL
    assert signed_in_user_id(client) == str(citizen.pk)


@pytest.mark.parametrize("tax_code", ["0101234567", "0101234567-001"])
def test_organisation_signs_in_with_tax_code(client: Client, tax_code: str) -> None:
    organisation = UserFactory(
        username=f"congty-{tax_code}",
        personal_id_number=None,
        tax_code=tax_code,
        kind=UserKind.ORGANISATION,
    )

    response = sign_in(client, tax_code)

    assert response.status_code == 302
    assert response.url == DASHBOARD_URL
    assert signed_in_user_id(client) == str(organisation.pk)


@pytest.mark.parametrize("typed", ["motcua.tuphap", "MotCua.TuPhap", "MOTCUA.TUPHAP"])
def test_staff_username_is_case_insensitive(client: Client, typed: str) -> None:
    staff = StaffFactory(username="motcua.tuphap")

    response = sign_in(client, typed)

    assert response.status_code == 302
    assert response.url == DASHBOARD_URL
    assert signed_in_user_id(client) == str(staff.pk)


def test_next_parameter_is_followed_only_within_the_site(client: Client) -> None:
    UserFactory(username="001085012345", personal_id_number="001085012345")
    data = {"username": "001085012345", "password": PASSWORD}

    inside = client.post(f"{LOGIN_URL}?next=/tai-khoan/ho-so/", data)
    assert inside.url == "/tai-khoan/ho-so/"

    client.logout()
    outside = client.post(LOGIN_URL, {**data, "next": "https://evil.example/"})
    assert outside.status_code == 302
    assert outside.url == DASHBOARD_URL


@pytest.mark.parametrize(
    "username, password",
    [
        pytest.param("001085012345", "sai-mat-khau", id="wrong-password"),
        pytest.param("999999999999", PASSWORD, id="unknown-identifier"),
        pytest.param("", PASSWORD, id="empty-identifier"),
    ],
)
def test_failed_sign_in_shows_vietnamese_error(client: Client, username: str, password: str):
    UserFactory(username="001085012345", personal_id_number="001085012345")

    response = sign_in(client, username, password)

    assert response.status_code == 200
    if username:
        assert INVALID_LOGIN in response.content.decode()
    else:
        assert response.context["form"].errors["username"]
    assert signed_in_user_id(client) is None


def test_inactive_account_is_refused(client: Client) -> None:
    UserFactory(username="001085012345", personal_id_number="001085012345", is_active=False)

    response = sign_in(client, "001085012345")

    assert response.status_code == 200
    # Same message as a wrong password: the form does not reveal the account.
    assert INVALID_LOGIN in response.content.decode()
    assert signed_in_user_id(client) is None


def test_signed_in_user_visiting_login_goes_to_dashboard(client: Client) -> None:
    client.force_login(UserFactory())

    response = client.get(LOGIN_URL)

    assert response.status_code == 302
    assert response.url == DASHBOARD_URL


def test_logout_requires_post_and_ends_the_session(client: Client) -> None:
    user = UserFactory()
    client.force_login(user)

    assert client.get(LOGOUT_URL).status_code == 405
    assert signed_in_user_id(client) == str(user.pk)

    response = client.post(LOGOUT_URL)

    assert response.status_code == 302
    assert response.url == reverse("web:home")
    assert signed_in_user_id(client) is None
    dashboard = client.get(DASHBOARD_URL)
    assert dashboard.status_code == 302
    assert dashboard.url.startswith(LOGIN_URL)


@override_settings(AXES_ENABLED=True)
def test_repeated_failures_lock_the_identifier_out(client: Client) -> None:
    axes_reset()
    UserFactory(username="001085012345", personal_id_number="001085012345")
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5

    for attempt in range(1, limit):
        response = sign_in(client, "001085012345", "sai-mat-khau", REMOTE_ADDR=ATTACKER_IP)
        assert response.status_code == 200, attempt
        assert INVALID_LOGIN in response.content.decode()

    # The limit-th failure trips the lock, and every later attempt – even with
    # the right password – gets the Vietnamese lockout page.
    for attempt, password in ((limit, "sai-mat-khau"), (limit + 1, "sai"), (limit + 2, PASSWORD)):
        response = sign_in(client, "001085012345", password, REMOTE_ADDR=ATTACKER_IP)
        assert response.status_code == 429, attempt
        page = response.content.decode()
        assert LOCKED_OUT in page
        assert "Vui lòng thử lại sau 15 phút" in page
        assert signed_in_user_id(client) is None

    attempt = AccessAttempt.objects.get(username="001085012345", ip_address=ATTACKER_IP)
    assert attempt.failures_since_start >= limit

    # The lock is on the (identifier, address) pair: the owner signing in from
    # another address is not locked out.
    owner = Client()
    response = sign_in(owner, "001085012345", REMOTE_ADDR="198.51.100.20")
    assert response.status_code == 302
    assert response.url == DASHBOARD_URL

    # An administrator's reset lifts the lock.
    axes_reset(username="001085012345")
    response = sign_in(client, "001085012345", REMOTE_ADDR=ATTACKER_IP)
    assert response.status_code == 302
    assert response.url == DASHBOARD_URL


@override_settings(AXES_ENABLED=True)
def test_success_resets_the_failure_count(client: Client) -> None:
    axes_reset()
    UserFactory(username="001085012345", personal_id_number="001085012345")

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "001085012345", "sai-mat-khau", REMOTE_ADDR=ATTACKER_IP)
    assert sign_in(client, "001085012345", REMOTE_ADDR=ATTACKER_IP).status_code == 302
    client.post(LOGOUT_URL)

    # AXES_RESET_ON_SUCCESS: the next mistake starts counting from zero.
    response = sign_in(client, "001085012345", "sai-mat-khau", REMOTE_ADDR=ATTACKER_IP)
    assert response.status_code == 200
    assert INVALID_LOGIN in response.content.decode()
