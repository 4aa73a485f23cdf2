"""`manage.py api_client_create` for scripted set-up."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.api_clients.helpers import DESK_LIST, bearer, token_for
from tthc_portal.api_clients.models import ApiClient
from tthc_portal.api_clients.services import IssuedSecret

pytestmark = pytest.mark.django_db


def test_the_command_registers_a_client_and_prints_its_secret_once(agency):
    out = StringIO()
    call_command(
        "api_client_create", "--agency", agency.code, "--name", "Hệ thống văn bản",
        "--scopes", "dossiers:read,procedures:read", stdout=out, stderr=StringIO(),
    )  # fmt: skip
    values = dict(line.split("=", 1) for line in out.getvalue().splitlines())
    created = ApiClient.objects.get(application__client_id=values["client_id"])
    assert created.scopes == ["dossiers:read", "procedures:read"]
    assert created.agency == agency
    issued = IssuedSecret(client=created, client_secret=values["client_secret"])
    assert bearer(token_for(issued)).get(DESK_LIST).status_code == 200


def test_the_command_refuses_unknown_scopes_and_agencies(agency):
    with pytest.raises(CommandError):
        call_command("api_client_create", "--agency", agency.code, "--name", "X", "--scopes", "all")
    with pytest.raises(CommandError):
        call_command(
            "api_client_create", "--agency", "khong-co", "--name", "X", "--scopes", "dossiers:read"
        )
    assert not ApiClient.objects.exists()
