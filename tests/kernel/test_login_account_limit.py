"""A per-account failure limit that rotating addresses cannot get around.

django-axes locks an (account, address) pair after AXES_FAILURE_LIMIT failures;
an attacker with many addresses never reaches it. Failures on one account are
also summed across addresses and, past the higher AXES_ACCOUNT_FAILURE_LIMIT
within the cool-off window, password sign-in to that account is refused.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.test import Client, override_settings
from django.utils import timezone

from tests.factories import PASSWORD, StaffFactory, UserFactory
from tthc_portal.accounts.lockout import account_failures_count

pytestmark = pytest.mark.django_db

LOGIN_URL = "/tai-khoan/dang-nhap/"
ADMIN_LOGIN_URL = "/quan-tri/login/"
INVALID_LOGIN = "Thông tin đăng nhập không đúng"
LOCKED_OUT = "Tạm khóa đăng nhập"
OWNER_IP = "192.0.2.200"
WRONG = "sai-mat-khau"


@pytest.fixture(autouse=True)
def _fresh_attempts():
    axes_reset()
    yield
    axes_reset()


def address(n: int) -> str:
    return f"198.51.{n // 250}.{n % 250 + 1}"


def post(client: Client, username: str, password: str, ip: str, url: str = LOGIN_URL):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


def fail_from_many_addresses(username: str, count: int) -> list:
    """One wrong password per address: the per-address limit never trips."""
    return [post(Client(), username, WRONG, address(n)) for n in range(count)]


def test_account_limit_is_configured_above_the_address_limit() -> None:
    assert settings.AXES_ACCOUNT_FAILURE_LIMIT == 20
    assert settings.AXES_ACCOUNT_FAILURE_LIMIT > settings.AXES_FAILURE_LIMIT
    assert settings.AXES_HANDLER == "tthc_portal.accounts.lockout.AccountLimitHandler"


@override_settings(AXES_ENABLED=True)
def test_rotating_addresses_lock_the_account() -> None:
    StaffFactory(username="motcua.phohien")
    limit = settings.AXES_ACCOUNT_FAILURE_LIMIT

    responses = fail_from_many_addresses("motcua.phohien", limit)

    for n, response in enumerate(responses[:-1]):
        assert response.status_code == 200, n
        assert INVALID_LOGIN in response.content.decode()
    # The limit-th failure trips the account lock and shows the lockout page.
    assert responses[-1].status_code == 429
    assert LOCKED_OUT in responses[-1].content.decode()

    # Even the owner with the right password, from a fresh address, in any spelling.
    owner = Client()
    for typed in ("motcua.phohien", "MOTCUA.PHOHIEN"):
        response = post(owner, typed, PASSWORD, OWNER_IP)
        assert response.status_code == 429
        assert LOCKED_OUT in response.content.decode()
        assert "Vui lòng thử lại sau 15 phút" in response.content.decode()
        assert owner.session.get("_auth_user_id") is None
    # The admin login is behind the same lock.
    response = post(owner, "motcua.phohien", PASSWORD, OWNER_IP, ADMIN_LOGIN_URL)
    assert response.status_code == 429
    # Another account is not affected.
    StaffFactory(username="motcua.tuphap")
    assert post(Client(), "motcua.tuphap", PASSWORD, address(3)).status_code == 302


@override_settings(AXES_ENABLED=True)
def test_below_the_account_limit_the_owner_signs_in() -> None:
    StaffFactory(username="motcua.phohien")
    fail_from_many_addresses("motcua.phohien", settings.AXES_ACCOUNT_FAILURE_LIMIT - 1)

    owner = Client()
    response = post(owner, "motcua.phohien", PASSWORD, OWNER_IP)

    assert response.status_code == 302
    assert owner.session.get("_auth_user_id") is not None


@override_settings(AXES_ENABLED=True)
def test_failures_by_personal_id_and_username_add_up() -> None:
    UserFactory(username="nguyenvanan", personal_id_number="036190004567")
    half = settings.AXES_ACCOUNT_FAILURE_LIMIT // 2
    for n in range(half):
        post(Client(), "036190004567", WRONG, address(n))
    for n in range(half, settings.AXES_ACCOUNT_FAILURE_LIMIT):
        post(Client(), "NguyenVanAn", WRONG, address(n))

    assert post(Client(), "nguyenvanan", PASSWORD, OWNER_IP).status_code == 429


@override_settings(AXES_ENABLED=True)
def test_the_lock_does_not_reveal_whether_the_account_exists() -> None:
    StaffFactory(username="motcua.phohien")
    limit = settings.AXES_ACCOUNT_FAILURE_LIMIT

    def outcomes(username: str) -> list[tuple[int, bool, bool]]:
        responses = fail_from_many_addresses(username, limit)
        responses.append(post(Client(), username, PASSWORD, OWNER_IP))
        return [
            (r.status_code, INVALID_LOGIN in r.content.decode(), LOCKED_OUT in r.content.decode())
            for r in responses
        ]

    existing, unknown = outcomes("motcua.phohien"), outcomes("khongco.taikhoan")

    assert existing == unknown
    assert existing[-1] == (429, False, True)


@override_settings(AXES_ENABLED=True)
def test_only_failures_within_the_cool_off_count() -> None:
    StaffFactory(username="motcua.phohien")
    fail_from_many_addresses("motcua.phohien", settings.AXES_ACCOUNT_FAILURE_LIMIT)
    assert post(Client(), "motcua.phohien", PASSWORD, OWNER_IP).status_code == 429

    cool_off = timedelta(hours=settings.AXES_COOLOFF_TIME)
    AccessAttempt.objects.update(attempt_time=timezone.now() - cool_off - timedelta(minutes=1))

    assert post(Client(), "motcua.phohien", PASSWORD, OWNER_IP).status_code == 302


@override_settings(AXES_ENABLED=True, AXES_ACCOUNT_FAILURE_LIMIT=3)
def test_the_limit_is_configurable_and_an_administrator_reset_lifts_it() -> None:
    StaffFactory(username="motcua.phohien")
    fail_from_many_addresses("motcua.phohien", 2)
    assert post(Client(), "motcua.phohien", WRONG, address(50)).status_code == 429
    assert post(Client(), "motcua.phohien", PASSWORD, OWNER_IP).status_code == 429

    axes_reset(username="motcua.phohien")

    assert post(Client(), "motcua.phohien", PASSWORD, OWNER_IP).status_code == 302


def test_failures_are_summed_across_addresses_in_one_query(django_assert_num_queries) -> None:
    rows = [
        ("motcua.phohien", address(0), 3),
        ("motcua.phohien", address(1), 4),
        ("motcua.phohien", address(2), 5),
        ("motcua.tuphap", address(0), 7),  # another account
        ("motcua.phohien", address(9), 9),  # older than the window, below
    ]
    for username, ip, failures in rows:
        AccessAttempt.objects.create(
            username=username, ip_address=ip, user_agent="thu", failures_since_start=failures
        )
    now = timezone.now()
    # attempt_time is auto_now_add: backdate through update().
    AccessAttempt.objects.filter(ip_address=address(9)).update(
        attempt_time=now - timedelta(hours=1)
    )
    since = now - timedelta(minutes=15)

    with django_assert_num_queries(1):
        total = account_failures_count("motcua.phohien", since=since)

    assert total == 3 + 4 + 5
    assert account_failures_count("khongco.taikhoan", since=since) == 0
