"""Issue 18 item 7: who of a consulted agency reads the dossier, and for how
long. Only the consulted unit's specialists and heads, while the
consultation is open; its desk officers never. After the answer the dossier
and its files are gone for them (404), the consultation record stays."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.dossiers.casework import workflow_procedure_fixture  # noqa: F401
from tests.dossiers.consultation_scope import (
    ANSWER,
    CONSULTED_DESK,
    CONSULTED_HEAD,
    CONSULTED_SPECIALIST,
    QUESTION,
    answered,
    consulted,
    reading_urls,
)

pytestmark = pytest.mark.django_db


def test_the_consulted_units_desk_officer_never_sees_the_dossier(client, users, workflow_procedure):
    dossier, _consultation = consulted(users, workflow_procedure)
    client.force_login(users[CONSULTED_DESK])
    for name, url in reading_urls(dossier).items():
        assert client.get(url).status_code == 404, name


def test_specialists_and_heads_read_while_the_consultation_is_open(
    client, users, workflow_procedure
):
    dossier, _consultation = consulted(users, workflow_procedure)
    for username in (CONSULTED_SPECIALIST, CONSULTED_HEAD):
        client.force_login(users[username])
        for name, url in reading_urls(dossier).items():
            assert client.get(url).status_code == 200, (username, name)


def test_after_answering_only_the_consultation_record_remains(client, users, workflow_procedure):
    dossier, consultation = answered(users, workflow_procedure)
    for username in (CONSULTED_SPECIALIST, CONSULTED_HEAD):
        client.force_login(users[username])
        for name, url in reading_urls(dossier).items():
            assert client.get(url).status_code == 404, (username, name)
        # The unit's answered consultations: the request and the answer, no link
        # to the dossier any more.
        response = client.get(reverse("processing:worklist"), {"pham_vi": "y-kien"})
        assert response.status_code == 200, username
        page = response.content.decode()
        assert f'data-consult="{consultation.pk}"' in page, username
        assert QUESTION in page and ANSWER in page and dossier.code in page
        assert reverse("processing:dossier", args=[dossier.pk]) not in page


def test_the_answered_record_is_not_shown_to_the_desk_officer(client, users, workflow_procedure):
    _dossier, consultation = answered(users, workflow_procedure)
    client.force_login(users[CONSULTED_DESK])
    response = client.get(reverse("processing:worklist"), {"pham_vi": "y-kien"})
    assert f'data-consult="{consultation.pk}"' not in response.content.decode()
    assert 'data-scope="y-kien"' not in response.content.decode()
