"""Issue 18 item 7: a consultation appears in the consulted unit's queues for
its specialists and heads only — its desk officer has no part in it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.dossiers.casework import workflow_procedure_fixture  # noqa: F401
from tests.dossiers.consultation_scope import (
    CONSULTED_DESK,
    CONSULTED_HEAD,
    CONSULTED_SPECIALIST,
    consulted,
)

pytestmark = pytest.mark.django_db


def test_the_unit_queue_lists_a_consultation_only_to_those_who_answer(
    client, users, workflow_procedure
):
    _dossier, consultation = consulted(users, workflow_procedure)
    row = f'data-step="{consultation.pk}"'
    for username, listed in (
        (CONSULTED_DESK, False), (CONSULTED_SPECIALIST, True), (CONSULTED_HEAD, True),
    ):  # fmt: skip
        client.force_login(users[username])
        for scope in ("don-vi", "cua-toi"):
            page = client.get(reverse("processing:worklist"), {"pham_vi": scope})
            assert (row in page.content.decode()) is listed, (username, scope)
