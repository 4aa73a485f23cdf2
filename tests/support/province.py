"""The demo province with its catalogue: fixtures shared by every test package.

Registered as a plugin in tests/conftest.py, so no test module imports
another's fixtures. The province is seeded once per test module (see
``module_data``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model

from portal_site.demo import seed_accounts, seed_agencies, seed_procedures, seed_reference_data
from procedures.models import Procedure
from tests.support.module_data import seeded_for_module, wants_transaction
from tthc_portal.agencies.models import Agency

JUSTICE = "000.00.10.H99"
HEALTH = "000.00.11.H99"


def _seed_province() -> list[str]:
    seed_reference_data()  # flushed by transactional tests that ran earlier
    agencies = seed_agencies()
    seed_accounts(agencies)
    seed_procedures()
    return list(agencies)


@pytest.fixture(scope="module")
def _province_for_module(request, django_db_setup, django_db_blocker) -> Iterator[list[str] | None]:
    """The demo province (63 procedures, the demo accounts) once per module."""
    yield from seeded_for_module(request, django_db_blocker, _seed_province)


@pytest.fixture
def province(request: pytest.FixtureRequest, _province_for_module) -> dict[str, Agency]:
    if _province_for_module is None:
        request.getfixturevalue("transactional_db" if wants_transaction(request.node) else "db")
        codes = _seed_province()
    else:
        request.getfixturevalue("db")
        codes = _province_for_module
    # Fresh instances per test: a test that changes one must not leak the change.
    return Agency.objects.in_bulk(codes, field_name="code")


@pytest.fixture
def users(province):
    return get_user_model().objects.in_bulk(field_name="username")


@pytest.fixture
def online_procedure(province) -> Procedure:
    """A full-online provincial procedure of the Department of Justice, with a
    required component and a fee (adjusted on its published version for tests)."""
    from procedures.models import ComponentRequirement, FeeItem, ProcedureVersion

    procedure = Procedure.objects.get(code="1.001122")
    version = procedure.current_version
    ProcedureVersion.objects.filter(pk=version.pk).update(
        online_level="full", channel_online=True, implementing_agency=province[JUSTICE],
        level="province",
    )  # fmt: skip
    ComponentRequirement.objects.filter(version=version).delete()
    ComponentRequirement.objects.create(version=version, order=1, name="Đơn đề nghị", required=True)
    ComponentRequirement.objects.create(
        version=version, order=2, name="Sơ yếu lý lịch", required=True
    )
    ComponentRequirement.objects.create(
        version=version, order=3, name="Giấy tờ khác", required=False
    )
    FeeItem.objects.filter(version=version).delete()
    FeeItem.objects.create(version=version, name="Lệ phí", kind="charge", amount_vnd=100000,
                           online_amount_vnd=50000)  # fmt: skip
    procedure.refresh_from_db()
    return procedure
