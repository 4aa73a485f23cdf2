"""Message templates can be administered, checked and recorded (issue 14, item 6)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import StaffFactory
from tthc_portal.audit.models import AuditEvent
from tthc_portal.notifications.models import MessageTemplate

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(StaffFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def template() -> MessageTemplate:
    return MessageTemplate.objects.create(
        key="test.received",
        subject="Đã tiếp nhận hồ sơ {{ code }}",
        email_body="Hồ sơ {{ code }} đã được tiếp nhận.",
        sms_body="Ho so {{ code }} da duoc tiep nhan",
    )


def form(template: MessageTemplate, **changes) -> dict:
    data = {
        "description": template.description,
        "subject": template.subject,
        "email_body": template.email_body,
        "sms_body": template.sms_body,
        "is_active": "on" if template.is_active else "",
    }
    data.update(changes)
    return data


def test_list_and_change_pages_exist(admin_client, template) -> None:
    listing = admin_client.get(reverse("admin:notifications_messagetemplate_changelist"))
    assert listing.status_code == 200
    assert "test.received" in listing.content.decode()
    page = admin_client.get(
        reverse("admin:notifications_messagetemplate_change", args=[template.pk])
    )
    assert page.status_code == 200


def test_change_is_saved_and_audited(admin_client, template) -> None:
    url = reverse("admin:notifications_messagetemplate_change", args=[template.pk])
    response = admin_client.post(url, form(template, subject="Hồ sơ {{ code }}: đã nhận"))
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.subject == "Hồ sơ {{ code }}: đã nhận"
    event = AuditEvent.objects.get(action="notifications.template_changed")
    assert event.before == {"subject": "Đã tiếp nhận hồ sơ {{ code }}"}
    assert event.after == {"subject": "Hồ sơ {{ code }}: đã nhận"}


def test_broken_wording_is_refused_and_nothing_changes(admin_client, template) -> None:
    url = reverse("admin:notifications_messagetemplate_change", args=[template.pk])
    response = admin_client.post(url, form(template, email_body="Hồ sơ {% if code %}"))
    assert response.status_code == 200
    assert "Mẫu không hợp lệ" in response.content.decode()
    template.refresh_from_db()
    assert template.email_body == "Hồ sơ {{ code }} đã được tiếp nhận."
    assert not AuditEvent.objects.filter(action="notifications.template_changed").exists()


def test_keys_are_neither_added_nor_deleted(admin_client, template) -> None:
    assert admin_client.get(reverse("admin:notifications_messagetemplate_add")).status_code == 403
    delete = reverse("admin:notifications_messagetemplate_delete", args=[template.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert MessageTemplate.objects.filter(pk=template.pk).exists()
