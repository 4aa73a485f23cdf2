"""Citizens' local password form exists only where an administrator enables it.

Staff always keep their local accounts; citizens and businesses otherwise
sign in through the national single sign-on.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, override_settings

from tests.factories import PASSWORD, StaffFactory, UserFactory
from tthc_portal.accounts.models import UserKind

pytestmark = pytest.mark.django_db
LOGIN_URL = "/tai-khoan/dang-nhap/"


def identity(**overrides) -> dict:
    return {**settings.IDENTITY, **overrides}


def test_by_default_citizens_cannot_use_the_password_form(client: Client) -> None:
    UserFactory(username="001085012345", personal_id_number="001085012345")
    with override_settings(IDENTITY=identity(CITIZEN_PASSWORD_LOGIN=False)):
        response = client.post(LOGIN_URL, {"username": "001085012345", "password": PASSWORD})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Đăng nhập bằng VNeID / Cổng DVCQG" in response.content.decode()


def test_businesses_cannot_either(client: Client) -> None:
    UserFactory(
        username="0101234567", kind=UserKind.ORGANISATION, personal_id_number=None,
        tax_code="0101234567",
    )  # fmt: skip
    with override_settings(IDENTITY=identity(CITIZEN_PASSWORD_LOGIN=False)):
        client.post(LOGIN_URL, {"username": "0101234567", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_staff_keep_their_local_accounts(client: Client) -> None:
    staff = StaffFactory(username="motcua.test")
    with override_settings(IDENTITY=identity(CITIZEN_PASSWORD_LOGIN=False)):
        response = client.post(LOGIN_URL, {"username": "motcua.test", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_an_administrator_can_enable_it_for_a_pilot(client: Client) -> None:
    citizen = UserFactory(username="001085012345", personal_id_number="001085012345")
    with override_settings(IDENTITY=identity(CITIZEN_PASSWORD_LOGIN=True)):
        response = client.post(LOGIN_URL, {"username": "001085012345", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(citizen.pk)


def test_the_production_default_is_off() -> None:
    """Only the demo and the test settings turn it on (by environment variable)."""
    import importlib
    import os
    from unittest import mock

    from tthc_portal.settings import identity as identity_settings

    with mock.patch.dict(os.environ, {}, clear=False):
        os.environ.pop("TTHC_CITIZEN_PASSWORD_LOGIN", None)
        reloaded = importlib.reload(identity_settings)
    assert reloaded.IDENTITY["CITIZEN_PASSWORD_LOGIN"] is False


def test_the_sign_on_button_shows_when_a_provider_is_configured(client: Client) -> None:
    configured = identity(
        OIDC_DISCOVERY_URL="http://127.0.0.1:9/.well-known/openid-configuration",
        OIDC_CLIENT_ID="tthc-portal",
    )
    with override_settings(IDENTITY=configured):
        page = client.get(LOGIN_URL).content.decode()
    assert 'href="/tai-khoan/dang-nhap/vneid/"' in page
    with override_settings(IDENTITY=identity(OIDC_DISCOVERY_URL="")):
        page = client.get(LOGIN_URL).content.decode()
    assert "/tai-khoan/dang-nhap/vneid/" not in page
