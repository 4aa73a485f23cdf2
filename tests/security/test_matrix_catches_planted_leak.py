"""The matrix fails when scoping breaks: a leak planted in the citizen selector
(every dossier instead of the applicant's own) is reported on the dossier page
(a 2xx on a foreign dossier) and on the list (a foreign dossier's code shown)."""

from __future__ import annotations

from django.db import connection
from django.test import Client

from dossiers.models import Dossier
from tests.security import matrix
from tests.security.objects import actor_build
from tests.security.routes import routes_portal
from tests.security.world import CITIZEN_B


def test_planted_leak_is_reported(world, monkeypatch) -> None:
    monkeypatch.setattr(
        "dossiers.selectors_citizen.dossiers_for_applicant", lambda user: Dossier.objects.all()
    )
    user = world.users[CITIZEN_B]
    client = Client()
    client.force_login(user)
    routes = [r for r in routes_portal() if r.name in ("dossiers:detail", "dossiers:my_dossiers")]
    outcome = matrix.role_run(client, connection, actor_build("citizen B", user), routes)

    text = "\n".join(outcome.failures)
    assert "(dossiers:detail) as citizen B on dossier" in text
    assert "(foreign object)" in text
    assert "(dossiers:my_dossiers) as citizen B: HTTP 200 shows dossier" in text
