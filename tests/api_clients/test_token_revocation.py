"""Expired, revoked and re-keyed: the token stops working at once (401)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from oauth2_provider.models import AccessToken

from tests.api_clients.helpers import DESK_LIST, basic, bearer, token_for, token_response
from tthc_portal.api_clients.services import api_client_revoke, api_client_secret_rotate

pytestmark = pytest.mark.django_db


def assert_refused(api) -> None:
    response = api.get(DESK_LIST)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer ")
    assert "thu hồi" in response.json()["detail"]


def test_an_expired_token_is_refused(reader):
    api = bearer(token_for(reader))
    assert api.get(DESK_LIST).status_code == 200
    AccessToken.objects.update(expires=timezone.now() - timedelta(seconds=1))
    assert_refused(api)


def test_an_unknown_token_is_refused(reader):
    assert_refused(bearer("khong-phai-ma-that"))


def test_revoking_the_client_stops_its_existing_tokens_and_new_ones(reader):
    api = bearer(token_for(reader))
    assert api.get(DESK_LIST).status_code == 200
    api_client_revoke(actor=None, client=reader.client)
    assert_refused(api)
    assert token_response(reader).status_code == 401
    account = reader.client.service_account
    account.refresh_from_db()
    assert not account.is_active
    assert not account.memberships.exists()


def test_a_token_revoked_by_its_client_is_refused(reader):
    token = token_for(reader)
    api = bearer(token)
    assert api.get(DESK_LIST).status_code == 200
    response = Client().post(
        reverse("api_clients:revoke-token"),
        {"token": token, "token_type_hint": "access_token"},
        HTTP_AUTHORIZATION=basic(reader.client.client_id, reader.client_secret),
    )
    assert response.status_code == 200
    assert_refused(api)


def test_rotating_the_secret_ends_the_old_secret_and_its_tokens(reader):
    api = bearer(token_for(reader))
    rotated = api_client_secret_rotate(actor=None, client=reader.client)
    assert_refused(api)
    assert token_response(reader).status_code == 401  # the old secret
    assert bearer(token_for(rotated)).get(DESK_LIST).status_code == 200


def test_a_session_request_is_unaffected(reader, agency):
    from tests.factories import make_staff
    from tthc_portal.accounts.roles import Role

    desk = Client()
    desk.force_login(make_staff(Role.DESK_OFFICER, agency))
    assert desk.get(DESK_LIST).status_code == 200
