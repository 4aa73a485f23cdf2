"""The profile page lists the person's open sessions, newest activity first."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.utils import timezone

from tests.factories import PASSWORD, UserFactory
from tthc_portal.accounts.models import SignInMethod, SignInSession
from tthc_portal.accounts.signins.devices import device_describe

pytestmark = pytest.mark.django_db

LOGIN_URL = "/tai-khoan/dang-nhap/"
PROFILE_URL = "/tai-khoan/ho-so/"
WINDOWS_CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"
)
IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)


def signed_in(user, **extra) -> Client:
    client = Client()
    response = client.post(LOGIN_URL, {"username": user.username, "password": PASSWORD}, **extra)
    assert response.status_code == 302
    return client


def listed(client: Client) -> list:
    response = client.get(PROFILE_URL)
    assert response.status_code == 200
    return response.context["sign_in_sessions"]


def test_the_profile_lists_this_and_other_sessions() -> None:
    citizen = UserFactory()
    laptop = signed_in(citizen, REMOTE_ADDR="198.51.100.7", HTTP_USER_AGENT=WINDOWS_CHROME)
    signed_in(citizen, REMOTE_ADDR="203.0.113.20", HTTP_USER_AGENT=IPHONE_SAFARI)

    response = laptop.get(PROFILE_URL)

    page = response.content.decode()
    assert "Phiên đăng nhập đang mở" in page
    assert "Chrome trên Windows" in page
    assert "Safari trên iPhone" in page
    assert "198.51.100.7" in page and "203.0.113.20" in page
    assert page.count("phiên này") == 1
    assert "Mật khẩu" in page
    assert "Đăng xuất khỏi các thiết bị khác" in page
    assert "Đăng xuất tất cả" in page
    sessions = response.context["sign_in_sessions"]
    assert [item.is_current for item in sessions].count(True) == 1
    current = next(item for item in sessions if item.is_current)
    assert current.row.session_key == laptop.session.session_key
    # Only the other session has its own "end" button.
    other = next(item for item in sessions if not item.is_current)
    assert f"/tai-khoan/phien-dang-nhap/{other.row.pk}/ket-thuc/" in page
    assert f"/tai-khoan/phien-dang-nhap/{current.row.pk}/ket-thuc/" not in page


def test_ended_and_other_peoples_sessions_are_not_listed() -> None:
    citizen = UserFactory()
    client = signed_in(citizen)
    gone = signed_in(citizen)
    gone.post("/tai-khoan/dang-xuat/")
    signed_in(UserFactory())

    sessions = listed(client)

    assert [item.row.session_key for item in sessions] == [client.session.session_key]


def test_sessions_that_expired_by_themselves_are_not_listed() -> None:
    citizen = UserFactory()
    client = signed_in(citizen)
    long_ago = timezone.now() - timedelta(days=2)
    expired = signed_in(citizen)
    expired_key = expired.session.session_key
    SessionStore(session_key=expired_key).delete()
    # Still alive in the store though last recorded long ago (the "exists" half).
    kept = signed_in(citizen)
    SignInSession.objects.filter(session_key__in=[expired_key, kept.session.session_key]).update(
        last_seen_at=long_ago
    )

    keys = {item.row.session_key for item in listed(client)}

    assert keys == {client.session.session_key, kept.session.session_key}
    # The expired row stays open in the table: it is only hidden.
    assert SignInSession.objects.get(session_key=expired_key).ended_at is None


def test_the_list_is_capped_at_twenty() -> None:
    citizen = UserFactory()
    client = signed_in(citizen)
    SignInSession.objects.bulk_create(
        SignInSession(user=citizen, session_key=f"old{n:03d}", method=SignInMethod.NATIONAL_SSO)
        for n in range(25)
    )

    sessions = listed(client)

    assert len(sessions) == 20


def test_the_national_sign_on_is_named() -> None:
    citizen = UserFactory()
    client = signed_in(citizen)
    SignInSession.objects.filter(user=citizen).update(method=SignInMethod.NATIONAL_SSO)

    assert "VNeID / Cổng DVCQG" in client.get(PROFILE_URL).content.decode()


@pytest.mark.parametrize(
    "user_agent, expected",
    [
        (WINDOWS_CHROME, "Chrome trên Windows"),
        (IPHONE_SAFARI, "Safari trên iPhone"),
        (
            "Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/126.0 Safari/537.36 Edg/126.0",
            "Microsoft Edge trên Windows",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 coc_coc_browser/120 "
            "Chrome/120 Mobile Safari/537.36",
            "Cốc Cốc trên Android",
        ),
        ("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko Firefox/128.0", "Firefox trên Linux"),
        ("", "Thiết bị không xác định"),
    ],
)
def test_devices_are_described_in_plain_words(user_agent: str, expected: str) -> None:
    assert device_describe(user_agent) == expected
