"""A token sees its agency's dossiers, exactly as that agency's desk does, and
another agency's dossiers not at all (404, as for a missing id)."""

from __future__ import annotations

import pytest

from tests.api_clients.helpers import (
    DESK_LIST,
    HEALTH,
    JUSTICE,
    bearer,
    desk_url,
    issue,
    submitted,
    token_for,
)

pytestmark = pytest.mark.django_db


def test_a_token_reads_its_agencys_dossiers_and_not_another_agencys(
    province, users, online_procedure
):
    dossier = submitted(users, online_procedure)  # received by Sở Tư pháp
    justice = bearer(token_for(issue(province[JUSTICE], ["dossiers:read"])))
    health = bearer(token_for(issue(province[HEALTH], ["dossiers:read"])))

    listed = justice.get(DESK_LIST)
    assert listed.status_code == 200
    assert dossier.pk in {row["id"] for row in listed.json()["results"]}
    assert justice.get(desk_url("desk-dossier-detail", dossier.pk)).status_code == 200

    assert dossier.pk not in {row["id"] for row in health.get(DESK_LIST).json()["results"]}
    refused = health.get(desk_url("desk-dossier-detail", dossier.pk))
    assert refused.status_code == 404
    assert refused.json() == {"detail": "Không tìm thấy hồ sơ."}
