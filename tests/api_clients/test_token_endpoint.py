"""A calling system obtains a token with its client credentials, and only that way."""

from __future__ import annotations

import pytest
from django.test import Client
from oauth2_provider.models import AccessToken

from tests.api_clients.helpers import TOKEN_URL, basic, issue, token_response

pytestmark = pytest.mark.django_db


def test_client_credentials_give_a_short_lived_token_with_the_clients_scopes(reader):
    response = token_response(reader)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["scope"] == "dossiers:read"
    assert 0 < body["expires_in"] <= 3600
    assert "refresh_token" not in body
    token = AccessToken.objects.get(application=reader.client.application)
    assert token.user is None  # the service account is taken from the client, not the token


def test_a_wrong_secret_gets_no_token(reader):
    assert token_response(reader, secret="sai-khoa").status_code == 401
    assert not AccessToken.objects.exists()


def test_a_client_cannot_ask_for_a_scope_it_was_not_given(reader):
    response = token_response(reader, scope="dossiers:read dossiers:write")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


def test_the_secret_is_stored_hashed(reader):
    application = reader.client.application
    assert application.client_secret != reader.client_secret
    assert application.client_secret.startswith(("pbkdf2", "argon2", "md5", "bcrypt", "scrypt"))


def test_other_grants_are_refused(agency):
    issued = issue(agency, ["dossiers:read"])
    response = Client().post(
        TOKEN_URL,
        {"grant_type": "password", "username": "motcua.tuphap", "password": "x"},
        HTTP_AUTHORIZATION=basic(issued.client.client_id, issued.client_secret),
    )
    assert response.status_code in (400, 401)
    assert not AccessToken.objects.exists()
