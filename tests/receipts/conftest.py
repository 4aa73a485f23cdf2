"""Fixtures of the receipt tests: the simulated receipt provider as a real child
process (session scope, reset per test), its target and a number range."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model

from portal_site.demo import seed_accounts, seed_agencies, seed_procedures, seed_reference_data
from receipts.simulator import ReceiptProviderControl, ReceiptProviderProcess
from tests.dossiers.conftest import JUSTICE
from tests.receipts.helpers import PASSWORD, USERNAME, justice, provider_target, receipt_series


@pytest.fixture
def province(holiday_calendar):
    """The demo province, seeded for each test (threads and commits need real rows)."""
    seed_reference_data()  # flushed by transactional tests that ran earlier
    agencies = seed_agencies()
    seed_accounts(agencies)
    seed_procedures()
    return agencies


@pytest.fixture
def users(province):
    return get_user_model().objects.in_bulk(field_name="username")


@pytest.fixture
def online_procedure(province):
    """The dossier tests' procedure with a 100,000 đ charge (50,000 đ online)."""
    from procedures.models import ComponentRequirement, FeeItem, Procedure, ProcedureVersion

    procedure = Procedure.objects.get(code="1.001122")
    version = procedure.current_version
    ProcedureVersion.objects.filter(pk=version.pk).update(
        online_level="full", channel_online=True, implementing_agency=province[JUSTICE],
        level="province",
    )  # fmt: skip
    ComponentRequirement.objects.filter(version=version).delete()
    for order, name in ((1, "Đơn đề nghị"), (2, "Sơ yếu lý lịch")):
        ComponentRequirement.objects.create(version=version, order=order, name=name, required=True)
    FeeItem.objects.filter(version=version).delete()
    FeeItem.objects.create(version=version, name="Lệ phí", kind="charge", amount_vnd=100000,
                           online_amount_vnd=50000)  # fmt: skip
    procedure.refresh_from_db()
    return procedure


@pytest.fixture(scope="session")
def _provider_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReceiptProviderProcess]:
    process = ReceiptProviderProcess(tmp_path_factory.mktemp("receipt-provider") / "state.json")
    process.start()
    yield process
    process.stop()


@pytest.fixture
def receipt_provider(_provider_process: ReceiptProviderProcess) -> ReceiptProviderProcess:
    if not _provider_process.running:  # a test stopped it
        _provider_process.start()
    control: ReceiptProviderControl = _provider_process.control
    control.reset(everything=True)
    control.configure(accounts={USERNAME: PASSWORD})
    return _provider_process


@pytest.fixture
def provider_target_row(receipt_provider):
    return provider_target(receipt_provider.url)


@pytest.fixture
def series(province, provider_target_row):
    return receipt_series(justice(province), provider_target_row)
