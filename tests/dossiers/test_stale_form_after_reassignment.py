"""A stale form after a reassignment explains who holds the step now (issue 15, item 9).

Before: the specialist whose page was opened before the head reassigned the step
pressed "complete" and got the bare "no access, contact the administrator" page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dossiers.services.processing import step_assign
from tests.dossiers.casework import (
    HEAD,
    SPECIALIST,
    assigned,
    open_step,
    workflow_procedure_fixture,  # noqa: F401 (the workflow_procedure fixture)
)
from tests.dossiers.conftest import JUSTICE
from tests.factories import make_staff
from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.models import Agency

pytestmark = pytest.mark.django_db


def test_the_page_names_the_new_holder_and_links_back(client, users, workflow_procedure):
    dossier = assigned(users, workflow_procedure)
    step = open_step(dossier)
    colleague = make_staff(
        Role.SPECIALIST, Agency.objects.get(code=JUSTICE), full_name="Trần Văn Đồng Nghiệp"
    )
    client.force_login(users[SPECIALIST])
    page = client.get(reverse("processing:dossier", args=[dossier.pk]))
    assert page.status_code == 200
    # Meanwhile the head gives the step to a colleague.
    step_assign(actor=users[HEAD], step=step, assignee=colleague)
    response = client.post(
        reverse("processing:complete", args=[dossier.pk]), {"step": step.pk, "note": "Hợp lệ"}
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert 'data-testid="step-moved-on"' in body
    assert "Trần Văn Đồng Nghiệp" in body
    assert reverse("processing:worklist") in body
    assert "liên hệ quản trị" not in body
    step.refresh_from_db()
    assert step.completed_at is None and step.assignee == colleague
