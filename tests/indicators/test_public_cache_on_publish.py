"""Publishing a 766 period invalidates the cached public report pages (issue #17)."""

from __future__ import annotations

import pytest

from indicators.models import IndexRuleSet
from indicators.services import periods as services
from tests.factories import make_staff
from tthc_portal.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_publication_invalidates_the_public_report(
    commune, worked_example, client, settings, django_capture_on_commit_callbacks
) -> None:
    settings.TTHC = {**settings.TTHC, "PUBLIC_CACHE_SECONDS": 3600}
    office = make_staff(Role.PROVINCIAL_STAFF, commune.parent)
    IndexRuleSet.objects.update(period_start_day=15)
    period = services.period_get_or_create("2025-04", reporting_15th=True)
    client.get("/cong-khai/chi-so-766/")
    before = client.get("/cong-khai/chi-so-766/")
    assert before["X-Public-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        services.period_publish(actor=office, period=period)
    after = client.get("/cong-khai/chi-so-766/")
    assert after["X-Public-Cache"] == "miss"
    assert period.title in after.content.decode()
