"""Ending one's own sessions on other devices, or everywhere, from the profile page."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from tthc_portal.accounts.models import SessionEndReason, SignInSession
from tthc_portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

LOGIN_URL = "/tai-khoan/dang-nhap/"
PROFILE_URL = "/tai-khoan/ho-so/"
OTHERS_URL = "/tai-khoan/phien-dang-nhap/ket-thuc-thiet-bi-khac/"
ALL_URL = "/tai-khoan/phien-dang-nhap/ket-thuc-tat-ca/"


def signed_in(user, **extra) -> Client:
    client = Client()
    response = client.post(LOGIN_URL, {"username": user.username, "password": PASSWORD}, **extra)
    assert response.status_code == 302
    return client


def is_signed_in(client: Client) -> bool:
    return client.get(PROFILE_URL).status_code == 200


def row_of(client: Client) -> SignInSession:
    return SignInSession.objects.get(session_key=client.session.session_key)


@pytest.fixture
def citizen():
    return UserFactory()


def test_urls_are_the_vietnamese_ones() -> None:
    assert reverse("accounts:sessions_end_others") == OTHERS_URL
    assert reverse("accounts:sessions_end_all") == ALL_URL
    assert reverse("accounts:session_end", args=[7]) == "/tai-khoan/phien-dang-nhap/7/ket-thuc/"


def test_other_devices_are_signed_out_and_this_one_stays(citizen) -> None:
    laptop, phone = signed_in(citizen), signed_in(citizen)
    laptop_row, phone_row = row_of(laptop), row_of(phone)

    response = laptop.post(OTHERS_URL, follow=True)

    assert response.redirect_chain[-1][0] == PROFILE_URL
    assert "Đã đăng xuất khỏi các thiết bị khác." in response.content.decode()
    assert is_signed_in(laptop)
    assert not is_signed_in(phone)
    assert not SessionStore().exists(phone_row.session_key)
    phone_row.refresh_from_db()
    laptop_row.refresh_from_db()
    assert phone_row.end_reason == SessionEndReason.REVOKED
    assert phone_row.ended_at is not None
    assert laptop_row.ended_at is None
    [event] = AuditEvent.objects.filter(action="accounts.sessions_revoked")
    assert event.actor == citizen
    assert event.after == {"scope": "others", "sign_in_sessions": [phone_row.pk]}


def test_all_sessions_end_including_this_one(citizen) -> None:
    laptop, phone = signed_in(citizen), signed_in(citizen)
    rows = [row_of(laptop), row_of(phone)]

    response = laptop.post(ALL_URL)

    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert SESSION_KEY not in laptop.session
    assert not is_signed_in(laptop)
    assert not is_signed_in(phone)
    for row in rows:
        row.refresh_from_db()
        assert row.end_reason == SessionEndReason.REVOKED
        assert not SessionStore().exists(row.session_key)
    [event] = AuditEvent.objects.filter(action="accounts.sessions_revoked")
    assert event.after["scope"] == "all"
    assert sorted(event.after["sign_in_sessions"]) == sorted(row.pk for row in rows)
    # One event for the action: ending this session is not a separate sign-out.
    assert not AuditEvent.objects.filter(action="accounts.signed_out").exists()
    login_page = laptop.get(response.url).content.decode()
    assert "Đã đăng xuất khỏi tất cả các thiết bị." in login_page


def test_one_session_can_be_ended(citizen) -> None:
    laptop, phone, tablet = signed_in(citizen), signed_in(citizen), signed_in(citizen)
    phone_row = row_of(phone)

    response = laptop.post(reverse("accounts:session_end", args=[phone_row.pk]))

    assert response.status_code == 302
    assert is_signed_in(laptop)
    assert is_signed_in(tablet)
    assert not is_signed_in(phone)
    phone_row.refresh_from_db()
    assert phone_row.end_reason == SessionEndReason.REVOKED
    event = AuditEvent.objects.get(action="accounts.sessions_revoked")
    assert event.after == {"scope": "one", "sign_in_sessions": [phone_row.pk]}


def test_someone_elses_session_is_not_found(citizen) -> None:
    mine = signed_in(citizen)
    stranger = UserFactory()
    theirs = signed_in(stranger)
    their_row = row_of(theirs)

    response = mine.post(reverse("accounts:session_end", args=[their_row.pk]))

    assert response.status_code == 404
    assert is_signed_in(theirs)
    their_row.refresh_from_db()
    assert their_row.ended_at is None
    assert not AuditEvent.objects.filter(action="accounts.sessions_revoked").exists()


def test_an_ended_session_cannot_be_ended_again(citizen) -> None:
    laptop, phone = signed_in(citizen), signed_in(citizen)
    phone_row = row_of(phone)
    laptop.post(OTHERS_URL)

    response = laptop.post(reverse("accounts:session_end", args=[phone_row.pk]))

    assert response.status_code == 404


def test_ending_sessions_needs_a_post(citizen) -> None:
    laptop, phone = signed_in(citizen), signed_in(citizen)

    assert laptop.get(OTHERS_URL).status_code == 405
    assert laptop.get(ALL_URL).status_code == 405
    assert laptop.get(reverse("accounts:session_end", args=[row_of(phone).pk])).status_code == 405
    assert is_signed_in(phone)


def test_anonymous_visitors_are_sent_to_sign_in(citizen) -> None:
    signed_in(citizen)

    response = Client().post(ALL_URL)

    assert response.status_code == 302
    assert response.url.startswith(LOGIN_URL)
    assert SignInSession.objects.get(user=citizen).ended_at is None
