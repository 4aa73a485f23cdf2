"""Dossier code formats are dated versions an administrator can add (issue 14, item 6)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers.models import DossierCodeFormat
from dossiers.services.codes import dossier_code_allocate
from tests.factories import AgencyFactory, StaffFactory
from tthc_portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(StaffFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def in_force() -> DossierCodeFormat:
    DossierCodeFormat.objects.all().delete()
    return DossierCodeFormat.objects.create(
        valid_from=date(2025, 7, 1), template="{agency}-{yymmdd}-{seq}", sequence_digits=4
    )


def add(admin_client, **values):
    data = {"template": "{agency}.{yymmdd}.{seq}", "sequence_digits": 5, "source": "TT 91/2026"}
    data.update(values)
    return admin_client.post(reverse("admin:dossiers_dossiercodeformat_add"), data)


def test_a_new_version_applies_from_its_date(admin_client, in_force) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = add(admin_client, valid_from=tomorrow.isoformat())
    assert response.status_code == 302
    added = DossierCodeFormat.objects.get(valid_from=tomorrow)
    assert AuditEvent.objects.filter(
        action="dossiers.code_format_added", target_id=str(added.pk)
    ).exists()
    agency = AgencyFactory(code="000.00.01.H99")
    today = timezone.localdate()
    assert dossier_code_allocate(agency, today).count("-") == 2
    assert dossier_code_allocate(agency, tomorrow) == f"000.00.01.H99.{tomorrow:%y%m%d}.00001"


def test_a_version_cannot_start_today_or_earlier(admin_client, in_force) -> None:
    response = add(admin_client, valid_from=timezone.localdate().isoformat())
    assert response.status_code == 200
    assert "từ ngày mai" in response.content.decode()
    assert DossierCodeFormat.objects.count() == 1


@pytest.mark.parametrize(
    "template", ["{agency}-{seq}", "{agency}-{yymmdd}-{seq}-{year}", "{agency}-{yymmdd}-{seq"]
)
def test_a_template_must_name_unit_day_and_number(admin_client, in_force, template) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = add(admin_client, valid_from=tomorrow.isoformat(), template=template)
    assert response.status_code == 200
    assert "{agency}, {yymmdd} và {seq}" in response.content.decode()
    assert DossierCodeFormat.objects.count() == 1


def test_a_version_in_force_is_read_only(admin_client, in_force) -> None:
    url = reverse("admin:dossiers_dossiercodeformat_change", args=[in_force.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="template"' not in page.content.decode()
    response = admin_client.post(
        url,
        {"valid_from": "2025-07-01", "template": "{seq}-{agency}-{yymmdd}", "sequence_digits": 4},
    )
    assert response.status_code == 403
    delete = reverse("admin:dossiers_dossiercodeformat_delete", args=[in_force.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    in_force.refresh_from_db()
    assert in_force.template == "{agency}-{yymmdd}-{seq}"


def test_a_future_version_can_be_changed_and_deleted(admin_client, in_force) -> None:
    later = timezone.localdate() + timedelta(days=30)
    future = DossierCodeFormat.objects.create(
        valid_from=later, template="{agency}-{yymmdd}-{seq}", sequence_digits=4
    )
    url = reverse("admin:dossiers_dossiercodeformat_change", args=[future.pk])
    response = admin_client.post(
        url,
        {
            "valid_from": later.isoformat(),
            "template": "{agency}/{yymmdd}/{seq}",
            "sequence_digits": 4,
        },
    )
    assert response.status_code == 302
    future.refresh_from_db()
    assert future.template == "{agency}/{yymmdd}/{seq}"
    delete = reverse("admin:dossiers_dossiercodeformat_delete", args=[future.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert not DossierCodeFormat.objects.filter(pk=future.pk).exists()
    assert AuditEvent.objects.filter(action="dossiers.code_format_deleted").exists()
