"""Integration clients. Most tests need only an agency; those that read or
change dossiers use the demo province of the dossier tests (slower to seed)."""

from __future__ import annotations

import pytest

from tests.api_clients.helpers import issue
from tests.factories import AgencyFactory


@pytest.fixture
def agency(db):
    return AgencyFactory(name="Sở Tư pháp thử nghiệm", code="000.00.10.T01")


@pytest.fixture
def reader(agency):
    """A client that may read dossiers of its agency, and nothing else."""
    return issue(agency, ["dossiers:read"])
