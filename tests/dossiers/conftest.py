"""A demo province with its catalogue, shared by the dossier tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from procedures.models import Procedure
from tthc_portal.agencies.models import Agency
from tthc_portal.demo import seed_accounts, seed_agencies, seed_procedures, seed_reference_data

JUSTICE = "000.00.10.H99"
HEALTH = "000.00.11.H99"


@pytest.fixture(scope="module")
def _province_for_module(django_db_setup, django_db_blocker) -> Iterator[list[str]]:
    """The demo province built once per test module, not once per test.

    Seeding 63 procedures and the demo accounts costs seconds; every test of
    the module runs in a savepoint inside this transaction (pytest-django's
    ``db``), so each still starts from the same fresh province, and the
    transaction is rolled back when the module ends.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            seed_reference_data()  # flushed by transactional tests that ran earlier
            agencies = seed_agencies()
            seed_accounts(agencies)
            seed_procedures()
            yield list(agencies)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def province(request: pytest.FixtureRequest) -> dict[str, Agency]:
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" in request.fixturenames or (marker and marker.kwargs.get("transaction")):
        # Threads and commits need real transactions: seed for this test alone.
        request.getfixturevalue("transactional_db")
        seed_reference_data()
        agencies = seed_agencies()
        seed_accounts(agencies)
        seed_procedures()
        return agencies
    codes = request.getfixturevalue("_province_for_module")
    request.getfixturevalue("db")
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


# Processing tests share a fixed workflow and a movable clock.
from tests.dossiers.processing import clock, workflow_procedure  # noqa: E402, F401
