"""The public monthly report: no login, published periods only, each unit's
total, band and on-time rate, and nothing about any person or dossier."""

from __future__ import annotations

import pytest
from django.urls import reverse

from indicators.services.periods import period_get_or_create, period_publish, period_recompute
from tests.factories import make_staff
from tests.indicators.dashboard_data import MONTHS, build_tree, store_results
from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.services import agency_groups_sync

pytestmark = pytest.mark.django_db
LIST = reverse("indicators:public_list")


@pytest.fixture
def published(commune, worked_example):
    province = commune.parent
    for agency in (province, commune):
        agency_groups_sync(agency)
    period = period_get_or_create("2025-04", reporting_15th=True)
    period_recompute(actor=None, period=period)
    office = make_staff(Role.PROVINCIAL_STAFF, province)
    return period_publish(actor=office, period=period)


def test_published_month_shows_scores_and_on_time_rate_without_personal_data(
    client, published, commune, worked_example
):
    listing = client.get(LIST)
    assert listing.status_code == 200
    assert published.title in listing.content.decode()
    response = client.get(reverse("indicators:public_detail", args=[published.label]))
    assert response.status_code == 200
    report = response.context["report"]
    row = next(r for r in report.communes if r.agency_id == commune.pk)
    assert row.on_time == 70  # 2.1: 7 of 10 dossiers
    stored = sum(r.score for r in published.results.filter(agency=commune))
    assert row.total == stored and row.band
    assert report.province.total == sum(
        r.score for r in published.results.filter(agency__isnull=True)
    )
    body = response.content.decode()
    assert "UBND Xã A" in body and "70,00%" in body
    for dossier in worked_example.values():
        assert dossier.applicant_name not in body
        assert dossier.applicant_id_number not in body
        assert str(dossier.lookup_token) not in body


def test_open_periods_stay_private(client):
    tree = build_tree(departments=1, communes=1)
    period = store_results(tree, *MONTHS[0])
    assert period.title not in client.get(LIST).content.decode()
    assert "Chưa có kỳ nào được công bố" in client.get(LIST).content.decode()
    url = reverse("indicators:public_detail", args=[period.label])
    assert client.get(url).status_code == 404
    assert client.get(reverse("indicators:public_detail", args=["2099-01"])).status_code == 404


def test_a_unit_without_dossiers_has_no_rate(client, published):
    report = client.get(reverse("indicators:public_detail", args=[published.label])).context[
        "report"
    ]
    # The province root's own row is not listed twice; no unit is missing its rate by accident.
    assert all(r.on_time is not None for r in report.communes)
    assert report.departments == [] and report.others == []
