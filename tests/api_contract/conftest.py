"""The contract run's world: the demo province, one account per role, and their sessions.

The demo data is seeded once per module inside a transaction that is rolled back
when the module ends, so the other test modules never see it; each test then runs
in a savepoint of that transaction (pytest-django's ``db``).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections, transaction
from django.test import Client

from tests.factories import UserFactory, make_staff

ALL_PHASES_ROLES = ["anonymous", "administrator"]
ROLES = [
    "citizen",
    "desk_officer",
    "specialist",
    "department_head",
    "provincial_staff",
]
if os.environ.get("TTHC_CONTRACT_ROLES"):
    # Local debugging: TTHC_CONTRACT_ROLES=citizen,desk_officer narrows the run to those roles.
    ROLES = [r for r in ROLES if r in os.environ["TTHC_CONTRACT_ROLES"].split(",")]
    ALL_PHASES_ROLES = [
        r for r in ALL_PHASES_ROLES if r in os.environ["TTHC_CONTRACT_ROLES"].split(",")
    ]
DEPARTMENT_CODE = "000.00.10.H99"  # Sở Tư pháp: the demo's dossiers for 2.000894
PROVINCE_CODE = "000.00.00.H99"


@dataclass(frozen=True)
class Caller:
    role: str
    cookies: dict[str, str]
    headers: dict[str, str]


def _seed_world() -> dict[str, object]:
    from dossiers.services.submission import dossier_create_draft
    from procedures.models import Procedure
    from tthc_portal.agencies.models import Agency

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    department = Agency.objects.get(code=DEPARTMENT_CODE)
    province = Agency.objects.get(code=PROVINCE_CODE)
    users: dict[str, object] = {}
    for role in ("desk_officer", "specialist", "department_head"):
        users[role] = make_staff(role, department)
    for role in ("provincial_staff", "administrator"):
        users[role] = make_staff(role, province)
    citizen = UserFactory()
    procedure = Procedure.objects.get(code="2.000894")
    for _ in range(2):
        dossier_create_draft(actor=citizen, procedure=procedure)
    users["citizen"] = citizen
    return users


@pytest.fixture(scope="module")
def contract_world(django_db_setup, django_db_blocker) -> Iterator[dict[str, object]]:
    # schemathesis calls the bare WSGI handler, which closes the connection after
    # each request; Django's own test client switches that off the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _seed_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)


_current: list[Caller] = []


def current_caller() -> Caller:
    # schemathesis also asks while collecting (no role yet): nobody signed in.
    return _current[-1] if _current else Caller(role="anonymous", cookies={}, headers={})


@pytest.fixture(params=ROLES)
def caller(request, contract_world, db) -> Iterator[Caller]:
    """A signed-in session (second factor verified for staff) plus a CSRF pair."""
    yield from _signed_in(request.param, contract_world)


@pytest.fixture(params=ALL_PHASES_ROLES)
def caller_all_phases(request, contract_world, db) -> Iterator[Caller]:
    yield from _signed_in(request.param, contract_world)


def _signed_in(role: str, contract_world: dict[str, object]) -> Iterator[Caller]:
    csrf = secrets.token_hex(16)
    cookies = {"csrftoken": csrf}
    headers = {"X-CSRFToken": csrf}
    if role != "anonymous":
        client = Client()
        client.force_login(contract_world[role])
        cookies["sessionid"] = client.cookies["sessionid"].value
    _current.append(Caller(role=role, cookies=cookies, headers=headers))
    yield _current[-1]
    _current.pop()
