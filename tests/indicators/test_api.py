"""The 766 REST API: scoped by view_indicators, paginated, documented."""

from __future__ import annotations

import pytest

from indicators.models import IndexRuleSet, RecomputeRun
from indicators.services.periods import period_get_or_create, period_recompute
from tests.factories import UserFactory, make_staff
from tthc_portal.accounts.roles import Role

pytestmark = pytest.mark.django_db
API = "/api/indicators"


@pytest.fixture
def office(commune):
    return make_staff(Role.PROVINCIAL_STAFF, commune.parent)


@pytest.fixture
def head(commune, office):
    # After the office: granting a unit first would create the province's office group
    # with rights on that unit only (agency_groups_sync runs once per group).
    return make_staff(Role.DEPARTMENT_HEAD, commune)


@pytest.fixture
def period(commune, worked_example):
    IndexRuleSet.objects.update(period_start_day=15)
    period = period_get_or_create("2025-04", reporting_15th=True)
    period_recompute(actor=None, period=period)
    return period


def test_only_indicator_viewers_get_in(client, period):
    assert client.get(f"{API}/periods/").status_code == 403
    client.force_login(UserFactory())
    response = client.get(f"{API}/periods/")
    assert response.status_code == 403 and response.json()["detail"]


def test_results_and_summary_are_scoped(client, period, commune, head, office):
    client.force_login(head)
    rows = client.get(f"{API}/periods/{period.pk}/results/", {"page_size": 200}).json()
    assert {r["agency"] for r in rows["results"]} == {commune.pk}
    assert rows["count"] == len(rows["results"]) > 20
    c21 = next(r for r in rows["results"] if r["criterion"] == "2.1")
    assert (c21["numerator"], c21["score"], c21["source"]) == ("7.00", "14.00", "records")
    province = client.get(f"{API}/periods/{period.pk}/results/", {"agency": commune.parent_id})
    assert province.status_code == 404
    summary = client.get(f"{API}/periods/{period.pk}/summary/").json()["results"]
    assert [s["agency"] for s in summary] == [commune.pk]

    client.force_login(office)
    summary = client.get(f"{API}/periods/{period.pk}/summary/").json()["results"]
    assert summary[0]["agency"] is None and summary[0]["name"] == "Toàn tỉnh"
    assert {s["agency"] for s in summary} == {None, commune.pk, commune.parent_id}
    assert summary[0]["groups"]["dvc-progress-tree"] == "14.00"
    grouped = client.get(f"{API}/periods/{period.pk}/results/", {"group": "dvc-progress-tree"})
    assert {r["criterion"] for r in grouped.json()["results"]} == {"2.1", "2.2"}


def test_cases_are_paginated_with_reasons(client, period, commune, head, worked_example):
    client.force_login(head)
    url = f"{API}/periods/{period.pk}/cases/"
    page = client.get(url, {"agency": commune.pk, "criterion": "2.1", "page_size": 2}).json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]
    first = page["results"][0]
    assert first["kind"] == "dossier" and first["reason"] and first["title"]
    # Without a unit a department head is asked to choose one.
    refused = client.get(url, {"criterion": "2.1"})
    assert refused.status_code == 400 and "Chọn một đơn vị" in refused.json()["detail"]
    unknown = client.get(url, {"agency": commune.pk, "criterion": "9.9"})
    assert unknown.status_code == 400


def test_predicted_and_at_risk_lists(client, period, commune, office):
    client.force_login(office)
    units = client.get(f"{API}/periods/{period.pk}/predicted/").json()["results"]
    assert units[0]["agency"] is None
    assert {"current_score", "predicted_score", "points_at_stake", "criteria"} <= set(units[0])
    at_risk = client.get(f"{API}/periods/{period.pk}/predicted/dossiers/", {"agency": commune.pk})
    assert at_risk.status_code == 200 and at_risk.json()["count"] == 0  # the period is over


def test_publish_and_recompute(client, period, head, office, django_capture_on_commit_callbacks):
    client.force_login(head)
    assert client.post(f"{API}/periods/{period.pk}/publish/").status_code == 403
    response = client.post(f"{API}/periods/{period.pk}/recompute/")
    assert response.status_code == 403  # whole province: the province's permission

    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post(f"{API}/periods/{period.pk}/recompute/")
    assert queued.status_code == 202
    run = client.get(f"{API}/runs/{queued.json()['id']}/").json()
    assert (run["status"], run["progress"]) == ("done", 100)
    published = client.post(f"{API}/periods/{period.pk}/publish/")
    assert published.status_code == 200 and published.json()["status"] == "published"
    again = client.post(f"{API}/periods/{period.pk}/recompute/")
    assert again.status_code == 400 and "đã được công bố" in again.json()["detail"]
    done = RecomputeRun.objects.filter(period=period, status="done")
    # The publication is a run of its own (kind "publish"), as on the page.
    assert sorted(done.values_list("kind", flat=True)) == sorted(
        ["recompute", "recompute", "publish"]
    )


def test_periods_list_and_open(client, period, head):
    client.force_login(head)
    listed = client.get(f"{API}/periods/", {"label": "2025-04"}).json()
    assert [p["id"] for p in listed["results"]] == [period.pk]
    assert listed["results"][0]["title"].startswith("Tháng 04/2025")
    opened = client.post(f"{API}/periods/", {"label": "2025-Q2"}, content_type="application/json")
    assert opened.status_code == 200 and opened.json()["kind"] == "quarter"
    bad = client.post(f"{API}/periods/", {"label": "2025-13"}, content_type="application/json")
    assert bad.status_code == 400 and "không hợp lệ" in bad.json()["detail"]


def test_periodic_report_json_and_files(client, period, commune, head):
    client.force_login(head)
    url = f"{API}/periodic-report/"
    params = {"start": "2025-03-15", "end": "2025-04-14", "group_by": "agency"}
    data = client.get(url, params).json()
    assert [r["key"] for r in data["results"]] == [commune.pk]
    assert data["total"]["is_total"] and data["total"]["received_total"] == 10
    xlsx = client.get(url, {**params, "export": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert xlsx.content[:2] == b"PK"
    text = client.get(url, {**params, "export": "csv"}).content.decode("utf-8-sig")
    assert text.splitlines()[-1].split(",")[2] == "Tổng cộng"
    assert client.get(url, {"start": "x"}).status_code == 400


def test_schema_documents_the_endpoints(client):
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]
    for path in (
        "/api/indicators/periods/",
        "/api/indicators/periods/{id}/results/",
        "/api/indicators/periods/{id}/summary/",
        "/api/indicators/periods/{id}/cases/",
        "/api/indicators/periods/{id}/predicted/",
        "/api/indicators/periods/{id}/publish/",
        "/api/indicators/runs/{id}/",
        "/api/indicators/periodic-report/",
    ):
        assert path in paths, path
