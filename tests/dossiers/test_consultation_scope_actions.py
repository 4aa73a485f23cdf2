"""Issue 18 item 7: a consulted specialist or head reads, answers, and does
nothing else: every other action of the processing page is a 404 and none is
offered; the control sheet (form 06) needs the processing capability on the
dossier, which the consulted agency never has."""

from __future__ import annotations

import pytest

from dossiers.models import DocumentKind, Status
from dossiers.views.processing_actions import ACTIONS
from tests.dossiers.casework import (
    DESK,
    HEAD,
    SPECIALIST,
    workflow_procedure_fixture,  # noqa: F401
)
from tests.dossiers.consultation_scope import (
    ANSWER,
    CONSULTED_HEAD,
    CONSULTED_SPECIALIST,
    action_url,
    consulted,
    forms_offered,
    page_url,
)

pytestmark = pytest.mark.django_db


def test_a_consulted_specialist_is_offered_only_the_answer(client, users, workflow_procedure):
    dossier, _consultation = consulted(users, workflow_procedure)
    for username in (CONSULTED_SPECIALIST, CONSULTED_HEAD):
        client.force_login(users[username])
        page = client.get(page_url(dossier))
        assert forms_offered(page) == {"answer"}, username
        assert 'data-testid="print-control-sheet"' not in page.content.decode(), username


def test_every_other_action_is_a_404_for_the_consulted_agency(client, users, workflow_procedure):
    dossier, consultation = consulted(users, workflow_procedure)
    step = dossier.current_step
    posted = {
        "step": step.pk, "assignee": users[CONSULTED_SPECIALIST].pk, "note": "Ghi chú",
        "to_order": 1, "agency": step.agency_id, "question": "Hỏi lại?", "reason": "Lý do",
        "content": "Nội dung kết quả đủ dài", "consultation": consultation.pk,
    }  # fmt: skip
    for username in (CONSULTED_SPECIALIST, CONSULTED_HEAD):
        client.force_login(users[username])
        for action in ACTIONS:
            if action.name == "answer":
                continue
            response = client.post(action_url(action.name, dossier), posted)
            assert response.status_code == 404, (username, action.name)
        assert client.post(action_url("control_sheet", dossier)).status_code == 404, username
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROCESSING and dossier.current_step_id == step.pk
    assert not dossier.documents.filter(kind=DocumentKind.CONTROL_SHEET).exists()
    assert dossier.steps.count() == 3  # reception, appraisal, the consultation

    client.force_login(users[CONSULTED_SPECIALIST])
    answer = client.post(action_url("answer", dossier), {"consultation": consultation.pk,
                                                         "answer": ANSWER})  # fmt: skip
    assert answer.status_code == 302
    consultation.refresh_from_db()
    assert consultation.note == ANSWER


def test_the_control_sheet_needs_the_processing_capability(client, users, workflow_procedure):
    dossier, _consultation = consulted(users, workflow_procedure)
    # The handling agency's desk officer sees the dossier but does not process it.
    client.force_login(users[DESK])
    page = client.get(page_url(dossier))
    assert page.status_code == 200
    assert 'data-testid="print-control-sheet"' not in page.content.decode()
    assert client.post(action_url("control_sheet", dossier)).status_code == 403
    assert not dossier.documents.filter(kind=DocumentKind.CONTROL_SHEET).exists()
    # Its processing staff print it.
    for number, username in enumerate((SPECIALIST, HEAD), start=1):
        client.force_login(users[username])
        page = client.get(page_url(dossier))
        assert 'data-testid="print-control-sheet"' in page.content.decode(), username
        assert client.post(action_url("control_sheet", dossier)).status_code == 302, username
        assert dossier.documents.filter(kind=DocumentKind.CONTROL_SHEET).count() == number
