"""Two "approve and sign" requests with the same key at the same instant, on
PostgreSQL: the result is signed exactly once and both get its redirect."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client
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
from tthc_portal.web.idempotency import REPLAYED_HEADER
from tthc_portal.web.models import SubmittedForm

# Transactional: each thread's connection must see the committed rows. The
# demo province is seeded by the fixtures (seed_reference_data included).
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.postgres,
]


def post_together(clients: list[Client], url: str, data: dict) -> list:
    """Every client posts at the same instant, each in its own thread/connection."""
    barrier = threading.Barrier(len(clients))
    results: list = [None] * len(clients)

    def worker(index: int, client: Client) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = client.post(url, data)
        except Exception as exc:  # asserted by the test
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_two_simultaneous_approvals_with_one_key_sign_once(
    require_postgres,
    users,
    workflow_procedure,
    idempotent_forms,  # noqa: F811
):
    assert connection.vendor == "postgresql"
    dossier = at_approval(users, workflow_procedure)
    first = Client()
    first.force_login(users[HEAD])
    second = Client()
    second.cookies = first.cookies  # one browser, two clicks

    responses = post_together(
        [first, second],
        reverse("processing:approve", args=[dossier.pk]),
        {"note": "Đồng ý", FIELD_NAME: KEY},
    )

    assert [getattr(r, "status_code", r) for r in responses] == [302, 302], responses
    assert responses[0]["Location"] == responses[1]["Location"]
    assert sorted(r.get(REPLAYED_HEADER, "") for r in responses) == ["", "true"]
    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_READY
    assert dossier.steps.filter(outcome=StepOutcome.APPROVED).count() == 1
    assert dossier.documents.filter(kind=DocumentKind.RESULT, signed_at__isnull=False).count() == 1
    assert SubmittedForm.objects.get().completed_at is not None
