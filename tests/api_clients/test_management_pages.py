"""Administrators register, re-key and revoke clients at /ket-noi/quan-tri/;
nobody else learns the pages exist. The secret is shown once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.api_clients.helpers import DESK_LIST, bearer, token_for
from tests.factories import AgencyFactory, UserFactory, make_staff
from tthc_portal.accounts.roles import Role
from tthc_portal.api_clients.models import ApiClient
from tthc_portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
LIST = reverse("api_clients:list")
CREATE = reverse("api_clients:create")


@pytest.fixture
def admin_client(client, agency):
    client.force_login(make_staff(Role.ADMINISTRATOR, agency))
    return client


def test_the_pages_are_hidden_from_other_staff_and_citizens(client, agency, reader):
    pk = reader.client.pk
    for user in (make_staff(Role.DEPARTMENT_HEAD, agency), UserFactory()):
        client.force_login(user)
        assert client.get(LIST).status_code == 404
        assert client.get(CREATE).status_code == 404
        assert client.post(reverse("api_clients:revoke", args=[pk])).status_code == 404
        assert client.post(reverse("api_clients:rotate", args=[pk])).status_code == 404
    client.logout()
    assert client.get(LIST).status_code == 302  # to the sign-in page
    reader.client.refresh_from_db()
    assert reader.client.revoked_at is None


def test_an_administrator_registers_a_client_and_sees_the_secret_once(admin_client, agency):
    form = admin_client.get(CREATE)
    assert form.status_code == 200
    assert "dossiers:read" in form.content.decode()
    response = admin_client.post(
        CREATE,
        {"name": "Hệ thống một cửa điện tử", "agency": agency.pk, "scopes": ["dossiers:read"]},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    created = ApiClient.objects.get(name="Hệ thống một cửa điện tử")
    page = response.content.decode()
    secret = page.split('data-testid="client-secret">')[1].split("<")[0]
    assert created.client_id in page and len(secret) > 40
    assert "chỉ hiển thị một lần" in page
    listed = admin_client.get(LIST).content.decode()
    assert created.client_id in listed and secret not in listed
    assert AuditEvent.objects.filter(action="api_client.create", target_id=str(created.pk)).exists()
    # The secret works, for the scopes chosen.
    from tthc_portal.api_clients.services import IssuedSecret

    api = bearer(token_for(IssuedSecret(client=created, client_secret=secret)))
    assert api.get(DESK_LIST).status_code == 200


def test_a_client_needs_a_name_and_a_scope(admin_client, agency):
    response = admin_client.post(CREATE, {"name": "", "agency": agency.pk})
    assert response.status_code == 200
    assert 'class="errorlist" id="id_name_error"' in response.content.decode()
    assert not ApiClient.objects.exists()


def test_an_administrator_cannot_register_for_an_agency_outside_their_own(admin_client):
    elsewhere = AgencyFactory(name="Sở khác", code="000.00.99.T99")
    response = admin_client.post(
        CREATE, {"name": "Hệ thống lạ", "agency": elsewhere.pk, "scopes": ["dossiers:read"]}
    )
    assert response.status_code == 200
    assert not ApiClient.objects.exists()


def test_an_administrator_revokes_a_client(admin_client, reader):
    api = bearer(token_for(reader))
    response = admin_client.post(reverse("api_clients:revoke", args=[reader.client.pk]))
    assert response.status_code == 302
    reader.client.refresh_from_db()
    assert reader.client.revoked_at is not None
    assert api.get(DESK_LIST).status_code == 401
    assert AuditEvent.objects.filter(action="api_client.revoke").count() == 1
    assert "Đã thu hồi" in admin_client.get(LIST).content.decode()


def test_an_administrator_rotates_the_secret(admin_client, reader):
    response = admin_client.post(reverse("api_clients:rotate", args=[reader.client.pk]))
    assert response.status_code == 200
    secret = response.content.decode().split('data-testid="client-secret">')[1].split("<")[0]
    assert secret and secret != reader.client_secret
    assert AuditEvent.objects.filter(action="api_client.secret_rotate").count() == 1


def test_a_service_account_cannot_sign_in_on_the_pages(client, reader):
    account = reader.client.service_account
    assert not account.has_usable_password()
    assert not client.login(username=account.username, password="")
