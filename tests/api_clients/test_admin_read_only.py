"""The Django admin is not a second way to create clients or tokens."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse
from oauth2_provider.models import AccessToken, Application, Grant, RefreshToken

from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_oauth_models_are_not_in_the_admin():
    for model in (Application, AccessToken, RefreshToken, Grant):
        assert not admin.site.is_registered(model), model


def test_clients_are_shown_read_only(client, reader):
    superuser = StaffFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    changelist = reverse("admin:api_clients_apiclient_changelist")
    assert client.get(changelist).status_code == 200
    assert client.get(reverse("admin:api_clients_apiclient_add")).status_code == 403
    detail = reverse("admin:api_clients_apiclient_change", args=[reader.client.pk])
    assert client.post(detail, {"name": "Đổi tên"}).status_code == 403
    reader.client.refresh_from_db()
    assert reader.client.name != "Đổi tên"
