"""A session whose key is rotated (password change, second factor) keeps its row."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client

from tests.factories import PASSWORD, UserFactory
from tthc_portal.accounts.models import SignInSession

pytestmark = pytest.mark.django_db

LOGIN_URL = "/tai-khoan/dang-nhap/"
PROFILE_URL = "/tai-khoan/ho-so/"
OTHERS_URL = "/tai-khoan/phien-dang-nhap/ket-thuc-thiet-bi-khac/"


def signed_in(user) -> Client:
    client = Client()
    response = client.post(LOGIN_URL, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def rotate_key(client: Client) -> str:
    session = client.session
    session.cycle_key()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return session.session_key


def test_the_row_follows_the_new_key_and_can_still_be_ended() -> None:
    citizen = UserFactory()
    laptop, phone = signed_in(citizen), signed_in(citizen)
    row = SignInSession.objects.get(session_key=phone.session.session_key)
    new_key = rotate_key(phone)

    assert phone.get(PROFILE_URL).status_code == 200

    row.refresh_from_db()
    assert row.session_key == new_key
    laptop.post(OTHERS_URL)
    assert SESSION_KEY not in phone.session


def test_a_session_ended_under_its_old_key_is_signed_out() -> None:
    citizen = UserFactory()
    laptop, phone = signed_in(citizen), signed_in(citizen)
    new_key = rotate_key(phone)
    # Ended before the rotated session made a request: its new key was unknown.
    laptop.post(OTHERS_URL)

    response = phone.get(PROFILE_URL)

    assert response.status_code == 302
    assert response.url.startswith(LOGIN_URL)
    assert SESSION_KEY not in phone.session
    assert not SignInSession.objects.filter(session_key=new_key).exists()
