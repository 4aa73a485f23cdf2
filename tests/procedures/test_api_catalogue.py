"""The public catalogue API: anonymous reads, search, filters, fixed query counts, schema."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from procedures.models import Procedure
from procedures.services.versions import versions_activate
from tests.factories import AgencyFactory
from tests.procedures.api_factories import draft_version, full_children, public_version

pytestmark = pytest.mark.django_db

LIST = reverse("procedures_api:catalogue-procedure-list")


def detail(procedure_id: int) -> str:
    return reverse("procedures_api:catalogue-procedure-detail", args=[procedure_id])


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def catalogue():
    """Three public procedures, and three the public must not see."""
    justice = AgencyFactory(name="Sở Tư pháp", code="000.00.10.T01")
    commune = AgencyFactory(name="UBND xã Tân Lập", code="000.22.00.T01")
    versions = {
        "birth": public_version(
            name="Đăng ký khai sinh",
            code="1.001193",
            field_name="Hộ tịch",
            level="commune",
            online_level="full",
            agency=commune,
            children=full_children(),
        ),
        "marriage": public_version(
            name="Đăng ký kết hôn",
            code="1.000894",
            field_name="Hộ tịch",
            level="commune",
            online_level="partial",
            agency=commune,
        ),
        "copy": public_version(
            name="Chứng thực bản sao từ bản chính",
            code="2.000884",
            field_name="Chứng thực",
            level="province",
            agency=justice,
        ),
    }
    hidden = {
        "internal": public_version(
            name="Đăng ký nội bộ giữa các cơ quan", field_name="Nội vụ", internal=True
        ),
        "draft": draft_version(name="Đăng ký dự thảo chưa công bố", code="8.999999"),
        "abolished": public_version(name="Đăng ký bị bãi bỏ", field_name="Hộ tịch"),
    }
    today = timezone.localdate()
    Procedure.objects.filter(pk=hidden["abolished"].procedure_id).update(
        abolished_on=today - timedelta(days=1)
    )
    versions_activate(today=today, procedure_ids=[hidden["abolished"].procedure_id])
    return versions, hidden


def names(response) -> list[str]:
    return [row["name"] for row in response.json()["results"]]


def test_anonymous_list_shows_only_public_current_versions(api, catalogue):
    response = api.get(LIST)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert sorted(names(response)) == sorted(
        ["Chứng thực bản sao từ bản chính", "Đăng ký kết hôn", "Đăng ký khai sinh"]
    )
    birth = next(r for r in body["results"] if r["code"] == "1.001193")
    assert birth["id"] == catalogue[0]["birth"].procedure_id
    assert birth["field"]["name"] == "Hộ tịch"
    assert birth["level"] == "commune"
    assert birth["level_display"] == "Cấp xã"
    assert birth["online_level"] == "full"
    assert birth["implementing_agency"]["code"] == "000.22.00.T01"
    assert Decimal(birth["time_limit"]) == 5
    assert "online" in birth["channels"]


def test_detail_has_components_fees_legal_bases_and_workflow(api, catalogue):
    birth = catalogue[0]["birth"]
    response = api.get(detail(birth.procedure_id))
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Đăng ký khai sinh"
    assert [c["name"] for c in body["components"]] == ["Giấy tờ số 1", "Giấy tờ số 2"]
    assert body["components"][0]["copy_kind_display"] == "Bản sao chứng thực"
    assert [(f["kind"], f["amount_vnd"]) for f in body["fees"]] == [("charge", 50000)]
    assert [lb["title"] for lb in body["legal_bases"]] == ["Luật Hộ tịch số 60/2014/QH13"]
    assert [s["order"] for s in body["workflow_steps"]] == [1, 2, 3]
    assert body["workflow_steps"][0]["actor_role_display"] == "Chuyên viên thụ lý"
    assert body["applicant_types"] == ["citizen"]


def test_hidden_procedures_have_no_detail(api, catalogue):
    _, hidden = catalogue
    for version in hidden.values():
        assert api.get(detail(version.procedure_id)).status_code == 404
    response = api.get(detail(999999))
    assert response.status_code == 404
    assert response.json()["detail"] == "Không tìm thấy."


def test_fields_lists_fields_with_public_procedures(api, catalogue):
    response = api.get(reverse("procedures_api:catalogue-field-list"))
    assert response.status_code == 200
    counts = {row["name"]: row["procedure_count"] for row in response.json()["results"]}
    # "Nội vụ" only has an internal procedure; the abolished one is not counted.
    assert counts == {"Chứng thực": 1, "Hộ tịch": 2}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("dang ky", ["Đăng ký kết hôn", "Đăng ký khai sinh"]),
        ("ĐĂNG KÝ", ["Đăng ký kết hôn", "Đăng ký khai sinh"]),
        ("dang ky ket hon", ["Đăng ký kết hôn"]),
        ("hon dang", ["Đăng ký kết hôn"]),
        ("chung thuc", ["Chứng thực bản sao từ bản chính"]),
        ("2.000884", ["Chứng thực bản sao từ bản chính"]),
        ("tan lap", ["Đăng ký kết hôn", "Đăng ký khai sinh"]),
        ("dang ky ho chieu", []),
    ],
)
def test_search_is_diacritic_insensitive_and_needs_every_word(api, catalogue, query, expected):
    response = api.get(LIST, {"q": query})
    assert response.status_code == 200
    assert sorted(names(response)) == sorted(expected)


def test_filters(api, catalogue):
    versions, _ = catalogue
    birth, copy = versions["birth"], versions["copy"]
    assert names(api.get(LIST, {"field": copy.field_id})) == [copy.name]
    assert sorted(names(api.get(LIST, {"field_code": birth.field.code}))) == sorted(
        ["Đăng ký kết hôn", "Đăng ký khai sinh"]
    )
    assert names(api.get(LIST, {"level": "province"})) == [copy.name]
    assert names(api.get(LIST, {"online_level": "full"})) == [birth.name]
    assert names(api.get(LIST, {"agency": copy.implementing_agency_id})) == [copy.name]
    assert names(api.get(LIST, {"agency_code": "000.22.00.T01", "q": "khai sinh"})) == [birth.name]


def test_invalid_filter_value_is_a_400_in_vietnamese(api, catalogue):
    response = api.get(LIST, {"level": "planet"})
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Dữ liệu gửi lên không hợp lệ."
    assert body["errors"][0].startswith("level:")


def test_pagination(api, catalogue):
    first = api.get(LIST, {"page_size": 2}).json()
    assert first["count"] == 3
    assert len(first["results"]) == 2
    assert first["next"] and first["previous"] is None
    second = api.get(LIST, {"page_size": 2, "page": 2}).json()
    assert len(second["results"]) == 1
    seen = {r["id"] for r in first["results"]} | {r["id"] for r in second["results"]}
    assert len(seen) == 3
    assert api.get(LIST, {"page": 9}).status_code == 404


def test_list_query_count_does_not_grow_with_the_catalogue(api, django_assert_num_queries):
    agency = AgencyFactory()
    for i in range(3):
        public_version(name=f"Thủ tục số {i}", agency=agency, children=full_children())
    # count + one page with procedure, field and agency joined.
    with django_assert_num_queries(2):
        assert api.get(LIST).json()["count"] == 3
    for i in range(3, 30):
        public_version(name=f"Thủ tục số {i}", field_name=f"Lĩnh vực {i % 4}", agency=agency)
    with django_assert_num_queries(2):
        assert api.get(LIST).json()["count"] == 30


def test_detail_query_count_does_not_grow_with_its_content(api, django_assert_num_queries):
    small = public_version(name="Thủ tục nhỏ", children=full_children(steps=1, components=1))
    large = public_version(name="Thủ tục lớn", children=full_children(steps=10, components=12))
    # version + components, fees, legal bases, steps (with unit), coordinating agencies.
    with django_assert_num_queries(6):
        assert len(api.get(detail(small.procedure_id)).json()["workflow_steps"]) == 1
    with django_assert_num_queries(6):
        assert len(api.get(detail(large.procedure_id)).json()["workflow_steps"]) == 10


def test_export_downloads_are_public_and_hide_internal_procedures(api, catalogue):
    response = api.get(reverse("procedures_api:catalogue-export-json"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    body = response.json()
    assert body["count"] == 3
    assert {row["code"] for row in body["procedures"]} == {"1.001193", "1.000894", "2.000884"}
    birth = next(row for row in body["procedures"] if row["code"] == "1.001193")
    assert [c["name"] for c in birth["dossier_components"]] == ["Giấy tờ số 1", "Giấy tờ số 2"]

    response = api.get(reverse("procedures_api:catalogue-export-csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffcode,name,")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert sorted(r["name"] for r in rows) == sorted(names(api.get(LIST)))


def test_anonymous_requests_are_throttled(api, catalogue, monkeypatch):
    monkeypatch.setitem(AnonRateThrottle.THROTTLE_RATES, "anon", "2/min")
    assert api.get(LIST).status_code == 200
    assert api.get(reverse("procedures_api:catalogue-field-list")).status_code == 200
    response = api.get(LIST)
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Quá nhiều yêu cầu")


def test_writes_are_not_allowed_on_the_catalogue(api, catalogue):
    assert api.post(LIST, {"name": "x"}, format="json").status_code == 405


def test_schema_is_valid_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = target.read_text(encoding="utf-8")
    for path in (
        "/api/catalogue/procedures/",
        "/api/catalogue/procedures/{id}/",
        "/api/catalogue/fields/",
        "/api/catalogue/export.json",
        "/api/publication/tasks/",
        "/api/publication/decisions/",
        "/api/publication/items/{id}/draft/",
        "/api/publication/versions/{id}/",
        "/api/publication/versions/{id}/submit/",
        "/api/publication/tasks/{id}/decision/",
    ):
        assert f"  {path}:" in schema, path


def test_schema_and_docs_are_served(client):
    assert client.get(reverse("api-schema")).status_code == 200
    assert client.get(reverse("api-docs")).status_code == 200
