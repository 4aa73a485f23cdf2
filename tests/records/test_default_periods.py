"""The default periods come from settings (unconfirmed rules are configuration)."""

from __future__ import annotations

from datetime import date

import pytest

from records.models import DisposalItem
from records.services import disposal_lists_propose
from tests.records.conftest import returned

pytestmark = pytest.mark.django_db


def test_default_dossier_and_result_periods_from_settings(build, settings) -> None:
    dossier = returned(build)  # returned on 23/03/2025
    assert disposal_lists_propose(date(2028, 3, 24)) == []
    settings.TTHC = {**settings.TTHC, "RECORDS_DOSSIER_YEARS": 3, "RECORDS_RESULT_YEARS": 3}
    disposal_lists_propose(date(2028, 3, 24))
    item = DisposalItem.objects.get(dossier=dossier)
    assert (item.retention_years, item.keep_result) == (3, False)
