"""Tokens are cached, renewed on 401, and a refused credential never loops."""

from __future__ import annotations

import pytest

from integrations.models import SyncAttempt, SyncEvent
from tests.dossiers.processing import in_processing
from tests.integrations.sync_helpers import drain_all, hub_progress, hub_target

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("transport", ["rest", "service"])
def test_expired_token_is_renewed_once(national_hub, users, workflow_procedure, clock, transport):
    hub_target(national_hub.url, transport=transport)
    first = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    drain_all()
    auth = "token" if transport == "rest" else "login"
    assert SyncAttempt.objects.filter(operation=auth).count() == 1
    national_hub.control.expire_tokens()
    second = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 10, 0)
    drain_all()
    attempts = list(SyncAttempt.objects.order_by("pk").values_list("operation", "reply_class"))
    # create → 401, a new token, the same create again → ok.
    assert attempts.count((auth, "ok")) == 2
    assert ("create", "auth") in attempts
    assert [s for _, s, _ in hub_progress(national_hub.control, second.code)] == [1, 2, 4]
    assert hub_progress(national_hub.control, first.code)


def test_refused_credentials_back_off(national_hub, users, workflow_procedure, clock):
    national_hub.control.configure(
        units={"000.00.10.H99": {"username": "dung", "password": "dung",
                                 "client_id": "dung", "client_secret": "dung"}}
    )  # fmt: skip
    hub_target(national_hub.url)
    dossier = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    drain_all(rounds=2)
    rows = SyncEvent.objects.filter(dossier=dossier)
    assert set(rows.values_list("error_class", flat=True)) == {"auth"}
    assert set(rows.values_list("status", flat=True)) == {"pending"}
    assert SyncAttempt.objects.filter(operation="token", reply_class="auth").count() <= 2
