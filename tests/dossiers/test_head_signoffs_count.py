"""The head's "my work" counts the sign-offs waiting (issue #15 item 11)."""

from __future__ import annotations

import pytest

from dossiers.selectors_processing import worklist_summary
from tests.dossiers.casework import (
    HEAD,
    at_approval,
    transferred,
    workflow_procedure_fixture,  # noqa: F401 (fixture)
)

pytestmark = pytest.mark.django_db


def test_sign_offs_waiting_are_counted_for_the_head(users, workflow_procedure, client) -> None:
    at_approval(users, workflow_procedure)
    at_approval(users, workflow_procedure)
    transferred(users, workflow_procedure)  # at the specialist: not a sign-off
    head = users[HEAD]
    summary = worklist_summary(head, scope="unit")
    assert summary.signoffs == 2
    client.force_login(head)
    page = client.get("/xu-ly/?pham_vi=don-vi").content.decode()
    assert 'data-count="signoffs">2<' in page
