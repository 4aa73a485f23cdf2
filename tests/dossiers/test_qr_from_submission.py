"""The QR link works from submission on and carries no personal data (issue 15, item 6).

Before: the status page said "not found" until the desk received the dossier
(no code yet), and every QR carried the applicant's 12-digit ID number."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dossiers.models import Dossier, Status
from dossiers.services.submission import dossier_create_draft
from tests.dossiers.test_desk_queue import submit_online

pytestmark = pytest.mark.django_db


def test_a_submitted_dossier_is_found_by_its_qr_link(client, users, online_procedure):
    dossier = submit_online(users, online_procedure)
    assert dossier.status == Status.SUBMITTED and not dossier.code
    response = client.get(reverse("dossiers:lookup_token", args=[dossier.lookup_token]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Chưa cấp (hồ sơ đang chờ Bộ phận Một cửa tiếp nhận)" in body
    assert online_procedure.current_version.name in body


def test_a_draft_is_never_found(client, users, online_procedure):
    draft = dossier_create_draft(actor=users["001085012345"], procedure=online_procedure)
    assert Dossier.objects.get(pk=draft.pk).status == Status.DRAFT
    response = client.get(reverse("dossiers:lookup_token", args=[draft.lookup_token]))
    assert response.status_code == 404
