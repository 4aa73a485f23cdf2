"""Administrators re-issue and revoke certificates from the admin, through
the services (audited, actor recorded)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.factories import StaffFactory
from tthc_portal.audit.models import AuditEvent
from tthc_portal.signing.models import AgencyCertificate
from tthc_portal.signing.services import agency_certificate_issue

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.signing.urls")]


@pytest.fixture
def admin_user():
    return StaffFactory(is_staff=True, is_superuser=True)


def _act(client, action: str, certificate: AgencyCertificate):
    return client.post(
        reverse("admin:signing_agencycertificate_changelist"),
        {"action": action, "_selected_action": [certificate.pk]},
        follow=True,
    )


def test_reissue_action(agency, client, admin_user):
    old = agency_certificate_issue(agency)
    client.force_login(admin_user)

    response = _act(client, "reissue", old)

    assert response.status_code == 200
    assert "Đã cấp lại 1 chứng thư." in response.content.decode()
    new = AgencyCertificate.objects.get(agency=agency, is_active=True)
    assert new.pk != old.pk
    event = AuditEvent.objects.filter(action="signing.certificate_issue").first()
    assert event.actor == admin_user


def test_revoke_action(agency, client, admin_user):
    certificate = agency_certificate_issue(agency)
    client.force_login(admin_user)

    response = _act(client, "revoke", certificate)

    assert "Đã thu hồi 1 chứng thư." in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    assert AuditEvent.objects.get(action="signing.certificate_revoke").actor == admin_user


def test_staff_without_the_permission_gets_no_actions(agency, client):
    certificate = agency_certificate_issue(agency)
    viewer = StaffFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_agencycertificate"))
    client.force_login(viewer)

    response = _act(client, "revoke", certificate)

    certificate.refresh_from_db()
    assert response.status_code == 200
    assert certificate.revoked_at is None
