"""The sign-in lockout counts per account, whatever spelling names it.

The backend matches a username case-insensitively and also accepts the personal
ID or tax code, so django-axes must key its counter on the account, not on the
text as typed: otherwise ``MOTCUA.PHOHIEN`` walks past a lock on
``motcua.phohien`` (and its success clears that lock).
"""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.test import Client, RequestFactory, override_settings

from tests.factories import PASSWORD, StaffFactory, UserFactory
from tthc_portal.accounts.lockout import identifier_normalise
from tthc_portal.accounts.models import UserKind

pytestmark = pytest.mark.django_db

LOGIN_URL = "/tai-khoan/dang-nhap/"
ADMIN_LOGIN_URL = "/quan-tri/login/"
INVALID_LOGIN = "Thông tin đăng nhập không đúng"
LOCKED_OUT = "Tạm khóa đăng nhập"
ATTACKER_IP = "203.0.113.7"
WRONG = "sai-mat-khau"


@pytest.fixture(autouse=True)
def _fresh_attempts():
    axes_reset()
    yield
    axes_reset()


def post(client: Client, url: str, username: str, password: str):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ATTACKER_IP)


def assert_locked(response, client: Client) -> None:
    assert response.status_code == 429
    assert LOCKED_OUT in response.content.decode()
    assert client.session.get("_auth_user_id") is None


def test_the_setting_points_at_the_normaliser() -> None:
    assert settings.AXES_USERNAME_CALLABLE == "tthc_portal.accounts.lockout.identifier_normalise"


def test_identifier_maps_to_the_account_username() -> None:
    staff = StaffFactory(username="motcua.phohien")
    citizen = UserFactory(username="nguyenvanan", personal_id_number="036190004567")
    company = UserFactory(
        username="CongTy.Demo",
        personal_id_number=None,
        tax_code="0101234567",
        kind=UserKind.ORGANISATION,
    )
    request = RequestFactory().post(LOGIN_URL)

    def key(typed: str) -> str | None:
        return identifier_normalise(request, {"username": typed})

    assert key("MOTCUA.PHOHIEN") == key("MotCua.PhoHien") == key(" motcua.phohien ")
    assert key("motcua.phohien") == staff.username
    assert key("036190004567") == key("NguyenVanAn") == citizen.username
    # The account's own username is lower-cased too, so every spelling agrees.
    assert key("0101234567") == key("congty.demo") == "congty.demo" == company.username.lower()
    # No account: the stripped, lower-cased text (the same shape as a real one).
    assert key("  KhongCo.TaiKhoan ") == "khongco.taikhoan"
    assert key("") is None
    assert identifier_normalise(request, None) is None
    # Without credentials, axes reads the posted form.
    posted = RequestFactory().post(LOGIN_URL, {"username": "MOTCUA.PHOHIEN"})
    assert identifier_normalise(posted, None) == "motcua.phohien"


@override_settings(AXES_ENABLED=True)
@pytest.mark.parametrize("typed", ["MOTCUA.PHOHIEN", "MotCua.PhoHien", "motcua.PHOHIEN"])
def test_another_spelling_does_not_bypass_the_lock(client: Client, typed: str) -> None:
    StaffFactory(username="motcua.phohien")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post(client, LOGIN_URL, "motcua.phohien", WRONG)

    assert_locked(post(client, LOGIN_URL, typed, PASSWORD), client)
    # The refused attempt did not clear the lock on the real name either.
    assert_locked(post(client, LOGIN_URL, "motcua.phohien", PASSWORD), client)
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"motcua.phohien"}


@override_settings(AXES_ENABLED=True)
def test_failures_in_mixed_spellings_share_one_counter(client: Client) -> None:
    StaffFactory(username="motcua.phohien")
    spellings = ["motcua.phohien", "MOTCUA.PHOHIEN", "MotCua.PhoHien", "motcua.PHOHIEN"]
    limit = settings.AXES_FAILURE_LIMIT

    for attempt in range(1, limit):
        response = post(client, LOGIN_URL, spellings[attempt % len(spellings)], WRONG)
        assert response.status_code == 200, attempt
        assert INVALID_LOGIN in response.content.decode()

    assert_locked(post(client, LOGIN_URL, "Motcua.Phohien", WRONG), client)
    attempt = AccessAttempt.objects.get(ip_address=ATTACKER_IP)
    assert attempt.username == "motcua.phohien"
    assert attempt.failures_since_start == limit


@override_settings(AXES_ENABLED=True)
def test_personal_id_and_username_share_one_counter(client: Client) -> None:
    UserFactory(username="nguyenvanan", personal_id_number="036190004567")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post(client, LOGIN_URL, "036190004567", WRONG)

    assert_locked(post(client, LOGIN_URL, "NguyenVanAn", PASSWORD), client)


@override_settings(AXES_ENABLED=True)
def test_unknown_identifiers_are_counted_in_lower_case(client: Client) -> None:
    for typed in ["KhongCo.TaiKhoan", "khongco.taikhoan ", "KHONGCO.TAIKHOAN"]:
        post(client, LOGIN_URL, typed, WRONG)

    attempt = AccessAttempt.objects.get(ip_address=ATTACKER_IP)
    assert (attempt.username, attempt.failures_since_start) == ("khongco.taikhoan", 3)


@override_settings(AXES_ENABLED=True)
def test_success_clears_the_counter_of_the_account_whatever_the_spelling(client: Client) -> None:
    StaffFactory(username="motcua.phohien")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        post(client, LOGIN_URL, "motcua.phohien", WRONG)

    response = post(client, LOGIN_URL, "MOTCUA.PHOHIEN", PASSWORD)

    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()


@override_settings(AXES_ENABLED=True)
def test_admin_login_is_locked_for_every_spelling_too(client: Client) -> None:
    StaffFactory(username="quantri.thu", is_staff=True, is_superuser=True)
    limit = settings.AXES_FAILURE_LIMIT

    # Failures on the portal form and on the admin form add up on one counter.
    post(client, LOGIN_URL, "QuanTri.Thu", WRONG)
    for attempt in range(2, limit):
        response = post(client, ADMIN_LOGIN_URL, "quantri.thu", WRONG)
        assert response.status_code == 200, attempt
    assert_locked(post(client, ADMIN_LOGIN_URL, "QUANTRI.THU", WRONG), client)

    assert_locked(post(client, ADMIN_LOGIN_URL, "QUANTRI.THU", PASSWORD), client)
    assert_locked(post(client, ADMIN_LOGIN_URL, "quantri.thu", PASSWORD), client)
    assert AccessAttempt.objects.get(ip_address=ATTACKER_IP).username == "quantri.thu"

    # Once an administrator lifts the lock, the right password works again.
    axes_reset(username="quantri.thu")
    response = post(client, ADMIN_LOGIN_URL, "QUANTRI.THU", PASSWORD)
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") is not None
