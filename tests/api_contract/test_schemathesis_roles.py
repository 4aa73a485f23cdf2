"""schemathesis against /api/schema/: every operation, every role, the full default check set.

The schema is downloaded from the running WSGI app, as a client would; each
role signs in through the Django session (staff with the second factor
verified) and sends the CSRF pair on every call. The throttles are tested on
their own: here every call starts with a fresh budget.

One check is configured, none is excluded: ``positive_data_acceptance`` also
accepts 400, because the services refuse well-formed requests that break a
business rule (a dossier not in a state that allows the action, an agency id
that does not exist, a feedback without the sender's address) with 400 and
the error envelope; no schema can state those rules.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from .conftest import Caller, current_caller

pytestmark = pytest.mark.django_db
MAX_EXAMPLES = int(os.environ.get("TTHC_CONTRACT_EXAMPLES", "10"))

CHECKS = {
    "positive_data_acceptance": {
        "expected-statuses": ["2xx", "400", "401", "403", "404", "409", "429"]
    }
}


def _load(phases: dict) -> schemathesis.schemas.BaseSchema:
    config = SchemathesisConfig.from_dict({"checks": CHECKS, "phases": phases})
    loaded = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application(), config=config)
    if os.environ.get("TTHC_CONTRACT_PATHS"):
        # Local debugging: TTHC_CONTRACT_PATHS=desk/dossiers narrows the run to matching paths.
        loaded = loaded.include(path_regex=os.environ["TTHC_CONTRACT_PATHS"])

    @loaded.auth(refresh_interval=None)
    class RoleSession:
        """The session of the role under test (set by the caller fixtures)."""

        def get(self, case, context) -> Caller:
            return current_caller()

        def set(self, case, data: Caller, context) -> None:
            case.cookies = {**(case.cookies or {}), **data.cookies}
            case.headers = {**(case.headers or {}), **data.headers}

    return loaded


# Every phase (explicit examples, the coverage phase's boundary and negative
# values, fuzzing) for the caller who sees everything and the one who sees
# nothing; the other roles skip the coverage phase, whose cases are the same
# for every role, to keep the run within CI's budget.
schema = _load({})
schema_without_coverage = _load({"coverage": {"enabled": False}})
SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)


def _call(case, caller: Caller) -> None:
    cache.clear()
    if case.operation.schema.is_security_param_negated(case):
        # schemathesis left the session out on purpose: the API must refuse.
        case.call_and_validate()
        return
    # Also per call: cases built while collecting were not given the role's session.
    case.call_and_validate(cookies=caller.cookies, headers=caller.headers)


@schema.parametrize()
@SETTINGS
def test_api_contract_all_phases(case, caller_all_phases: Caller) -> None:
    _call(case, caller_all_phases)


@schema_without_coverage.parametrize()
@SETTINGS
def test_api_contract(case, caller: Caller) -> None:
    _call(case, caller)
