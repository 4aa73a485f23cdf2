"""Double-clicking "approve and sign" (issue #15 item 8): the result is signed
once and the second click gets the first result — the same redirect and the
same success message — not an error."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from dossiers.models import DocumentKind, Status, StepOutcome
from tests.dossiers.casework import (
    HEAD,
    at_approval,
    workflow_procedure_fixture,  # noqa: F401 (the workflow_procedure fixture)
)
from tests.web.idempotency_support import (
    FIELD_NAME,
    KEY,
    idempotent_forms,  # noqa: F401 (fixture)
)

pytestmark = pytest.mark.django_db


def test_second_approve_with_the_same_key_shows_the_first_result(
    client,
    users,
    workflow_procedure,
    idempotent_forms,  # noqa: F811
):
    dossier = at_approval(users, workflow_procedure)
    client.force_login(users[HEAD])
    approve = reverse("processing:approve", args=[dossier.pk])
    sent = {"note": "Đồng ý", FIELD_NAME: KEY}

    first = client.post(approve, sent)
    # The browser dropped the first answer when the second click went out.
    client.cookies.pop("messages", None)
    second = client.post(approve, sent)

    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_READY and dossier.result_code
    assert first.status_code == 302, first.content.decode()[:400]
    assert second.status_code == 302, second.content.decode()[:400]
    assert second["Location"] == first["Location"]
    signed = f"Đã phê duyệt và ký số kết quả {dossier.result_code}"
    assert [str(m) for m in get_messages(second.wsgi_request)] == [
        f"{signed}; Bộ phận Một cửa trả kết quả."
    ]
    page = client.get(second["Location"]).content.decode()
    assert page.count(signed) == 1
    # Signed once: one approval row, one signed result.
    assert dossier.steps.filter(outcome=StepOutcome.APPROVED).count() == 1
    assert dossier.documents.filter(kind=DocumentKind.RESULT, signed_at__isnull=False).count() == 1
