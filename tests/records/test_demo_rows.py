"""The demo rows the security matrix requests: idempotent, and the pages answer 404 to
staff without a records role and 200 to a records officer of the agency."""

from __future__ import annotations

import pytest

from records.demo import demo_disposal_rows
from records.models import DisposalItem, LegalHold
from tests.factories import make_staff
from tests.records.conftest import returned
from tthc_portal.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_demo_rows_idempotent(build, commune, officer, client) -> None:
    returned(build)
    returned(build)
    admin = make_staff(Role.ADMINISTRATOR, commune)
    first = demo_disposal_rows(admin)
    assert demo_disposal_rows(admin) == first
    assert DisposalItem.objects.count() == 1 and LegalHold.objects.count() == 1
    client.force_login(officer)
    assert client.get(f"/luu-tru/huy-ho-so/{first.pk}/").status_code == 200
    assert client.get("/luu-tru/giu-ho-so/").status_code == 200
    client.force_login(make_staff(Role.SPECIALIST, commune))
    assert client.get(f"/luu-tru/huy-ho-so/{first.pk}/").status_code == 404
