"""The dossier API: citizen flow, desk actions, public lookup, error shapes,
fixed query counts on lists, OpenAPI schema of these endpoints."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.drainage import GENERATOR_STATS
from rest_framework.test import APIClient

from dossiers.models import DocumentKind, Dossier, Status, SupplementRequest
from dossiers.services.submission import component_attach, dossier_create_draft, dossier_submit
from tests.dossiers.files import EXE, make_pdf, make_png, upload

pytestmark = pytest.mark.django_db
CITIZEN = "001085012345"
DESK = "motcua.tuphap"
LIST = reverse("dossiers_api:dossier-list")
DESK_LIST = reverse("dossiers_api:desk-dossier-list")


def url(name: str, pk: int) -> str:
    return reverse(f"dossiers_api:{name}", args=[pk])


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def submitted(users, procedure, username: str = CITIZEN) -> Dossier:
    citizen = users[username]
    dossier = dossier_create_draft(actor=citizen, procedure=procedure)
    for requirement in procedure.current_version.components.filter(required=True):
        component_attach(
            actor=citizen, dossier=dossier, requirement_id=requirement.pk,
            upload=upload(f"{requirement.order}.pdf", make_pdf()),
        )  # fmt: skip
    return dossier_submit(actor=citizen, dossier=dossier)


def test_citizen_creates_fills_uploads_and_submits(users, online_procedure):
    api = api_for(users[CITIZEN])
    created = api.post(LIST, {"procedure": online_procedure.pk}, format="json")
    assert created.status_code == 201, created.data
    pk = created.data["id"]
    assert created.data["status"] == "draft" and created.data["code"] is None
    assert created.data["receiving_agency"]["code"] == "000.00.10.H99"
    assert created.data["applicant_id_number"] == CITIZEN  # taken from the account

    patched = api.patch(
        url("dossier-detail", pk),
        {"applicant_phone": "0987654321", "request_content": "Xin cấp thẻ", "sets_count": 2},
        format="json",
    )
    assert patched.status_code == 200, patched.data
    assert patched.data["applicant_phone"] == "0987654321" and patched.data["sets_count"] == 2

    requirements = list(online_procedure.current_version.components.order_by("order"))
    for requirement, content, name in (
        (requirements[0], make_pdf(pages=2), "don.pdf"),
        (requirements[1], make_png(), "lylich.png"),
    ):
        response = api.post(
            url("dossier-components", pk),
            {"requirement": requirement.pk, "file": upload(name, content)},
            format="multipart",
        )
        assert response.status_code == 201, response.data
        assert response.data["requirement"] == requirement.pk
    assert response.data["content_type"] == "image/png" and response.data["source_form"] == "upload"

    rejected = api.post(
        url("dossier-components", pk),
        {"requirement": requirements[2].pk, "file": upload("anh.pdf", EXE)},
        format="multipart",
    )
    assert rejected.status_code == 400
    assert "không phải định dạng được chấp nhận" in rejected.data["detail"]
    assert rejected.data["errors"] == []

    sent = api.post(url("dossier-submit", pk))
    assert sent.status_code == 200, sent.data
    assert sent.data["status"] == "submitted" and sent.data["submitted_at"]
    [payment] = sent.data["payments"]
    assert payment["amount_vnd"] == 50000 and payment["status"] == "requested"
    assert payment["payment_url"] == reverse("dossiers:payment_start", args=[payment["reference"]])

    detail = api.get(url("dossier-detail", pk)).data
    assert [c["name"] for c in detail["components"]] == [r.name for r in requirements[:2]]
    assert detail["components"][0]["page_count"] == 2
    assert [(h["action"], h["to_status"]) for h in detail["history"]] == [("submit", "submitted")]
    assert api.get(LIST).data["results"][0]["id"] == pk


def test_refusals_answer_detail_and_errors(users, online_procedure):
    api = api_for(users[CITIZEN])
    pk = api.post(LIST, {"procedure": online_procedure.pk}, format="json").data["id"]

    incomplete = api.post(url("dossier-submit", pk))
    assert incomplete.status_code == 400
    assert incomplete.data == {
        "detail": "Chưa đủ thành phần hồ sơ bắt buộc.",
        "errors": ["Thiếu: Đơn đề nghị", "Thiếu: Sơ yếu lý lịch"],
    }

    invalid = api.patch(
        url("dossier-detail", pk),
        {"applicant_email": "khong-phai-email", "result_delivery": "bay"},
        format="json",
    )
    assert invalid.status_code == 400
    assert invalid.data["detail"] == "Dữ liệu gửi lên không hợp lệ."
    assert set(invalid.data["fields"]) == {"applicant_email", "result_delivery"}
    assert all(line.split(":")[0] in invalid.data["fields"] for line in invalid.data["errors"])

    unknown = api.post(LIST, {"procedure": 999999}, format="json")
    assert unknown.status_code == 400 and "procedure" in unknown.data["fields"]

    dossier = submitted(users, online_procedure)
    late_edit = api.patch(url("dossier-detail", dossier.pk), {"applicant_name": "X"}, format="json")
    assert late_edit.status_code == 400
    assert "không thể sửa" in late_edit.data["detail"]
    assert Dossier.objects.get(pk=dossier.pk).applicant_name != "X"
    twice = api.post(url("dossier-submit", dossier.pk))
    assert twice.status_code == 400 and "Chờ tiếp nhận" in twice.data["detail"]


def test_desk_receives_asks_for_completion_and_refuses(users, online_procedure):
    desk = api_for(users[DESK])
    citizen = api_for(users[CITIZEN])
    to_receive, to_complete, to_refuse = (submitted(users, online_procedure) for _ in range(3))

    listed = desk.get(DESK_LIST, {"status": "submitted"})
    assert listed.status_code == 200
    assert {row["id"] for row in listed.data["results"]} == {
        to_receive.pk, to_complete.pk, to_refuse.pk
    }  # fmt: skip

    received = desk.post(url("desk-dossier-receive", to_receive.pk))
    assert received.status_code == 200, received.data
    assert received.data["status"] == "received"
    assert received.data["code"].startswith("000.00.10.H99-") and received.data["due_at"]
    assert DocumentKind.RECEIPT in {d["kind"] for d in received.data["documents"]}
    again = desk.post(url("desk-dossier-receive", to_receive.pk))
    assert again.status_code == 400 and "Đã tiếp nhận" in again.data["detail"]

    requirement = online_procedure.current_version.components.order_by("order").first()
    no_reason = desk.post(
        url("desk-dossier-request-completion", to_complete.pk),
        {"items": [{"requirement": requirement.pk, "name": "Đơn đề nghị", "reason": ""}]},
        format="json",
    )
    assert no_reason.status_code == 400 and "lý do" in no_reason.data["detail"]
    asked = desk.post(
        url("desk-dossier-request-completion", to_complete.pk),
        {
            "items": [{"requirement": requirement.pk, "name": "Đơn đề nghị", "reason": "Thiếu ký"}],
            "note": "Bổ sung trong 5 ngày",
        },
        format="json",
    )
    assert asked.status_code == 200 and asked.data["status"] == "awaiting_completion"
    request = SupplementRequest.objects.get(dossier=to_complete)
    assert request.items[0]["reason"] == "Thiếu ký" and request.note == "Bổ sung trong 5 ngày"
    resent = citizen.post(url("dossier-resubmit", to_complete.pk))
    assert resent.status_code == 200 and resent.data["status"] == "submitted"

    blank = desk.post(url("desk-dossier-refuse", to_refuse.pk), {"reason": " "}, format="json")
    assert blank.status_code == 400 and "lý do" in blank.data["detail"]
    refused = desk.post(
        url("desk-dossier-refuse", to_refuse.pk),
        {"reason": "Không thuộc thẩm quyền"},
        format="json",
    )
    assert refused.status_code == 200 and refused.data["status"] == "refused"
    assert refused.data["refusal_reason"] == "Không thuộc thẩm quyền"


def test_desk_filters_by_channel_and_overdue_waiting(users, online_procedure):
    desk = api_for(users[DESK])
    waiting_long, fresh = submitted(users, online_procedure), submitted(users, online_procedure)
    Dossier.objects.filter(pk=waiting_long.pk).update(
        reception_due_at=timezone.now() - timedelta(hours=1)
    )
    Dossier.objects.filter(pk=fresh.pk).update(reception_due_at=timezone.now() + timedelta(hours=4))

    def ids(**params) -> set[int]:
        response = desk.get(DESK_LIST, params)
        assert response.status_code == 200, response.data
        return {row["id"] for row in response.data["results"]}

    assert ids(overdue="true") == {waiting_long.pk}
    assert ids(overdue="false") == {fresh.pk}
    assert ids(channel=2) == {waiting_long.pk, fresh.pk}
    assert ids(channel=1) == set()
    assert ids(status=["received", "refused"]) == set()
    assert desk.get(DESK_LIST, {"status": "khong-co"}).status_code == 400


def test_public_lookup_api_gives_the_minimal_view_and_one_answer_for_failures(
    users, online_procedure
):
    dossier = submitted(users, online_procedure)
    dossier = api_for(users[DESK]).post(url("desk-dossier-receive", dossier.pk)).data
    lookup = reverse("dossiers_api:lookup")
    anonymous = APIClient()

    found = anonymous.post(lookup, {"code": dossier["code"], "last4": "2345"}, format="json")
    assert found.status_code == 200
    assert set(found.data) == {
        "code", "procedure_name", "status", "status_label", "step_text",
        "received_at", "due_at", "result_ready", "result_text",
    }  # fmt: skip
    assert found.data["status_label"] == "Đã tiếp nhận" and found.data["result_ready"] is False

    failures = [
        anonymous.post(lookup, {"code": dossier["code"], "last4": "0000"}, format="json"),
        anonymous.post(lookup, {"code": "000.00.10.H99-990101-0001", "last4": "2345"}),
    ]
    assert {r.status_code for r in failures} == {404}
    assert failures[0].content == failures[1].content

    bad = anonymous.post(lookup, {"code": dossier["code"], "last4": "12"}, format="json")
    assert bad.status_code == 400 and bad.data["fields"]["last4"]
    # The 10-minute allowance per IP is shared with the lookup page.
    for _ in range(6):
        anonymous.post(lookup, {"code": dossier["code"], "last4": "0000"}, format="json")
    throttled = anonymous.post(lookup, {"code": dossier["code"], "last4": "2345"}, format="json")
    assert throttled.status_code == 429
    assert "tra cứu quá nhiều lần" in throttled.data["detail"]
    page = APIClient().post(reverse("dossiers:lookup"), {"code": dossier["code"], "last4": "2345"})
    assert page.status_code == 429


def _clone(template: Dossier, count: int, **changes) -> None:
    """Extra rows for the query-count tests (setup only; the code under test reads)."""
    fields = {
        f.attname: getattr(template, f.attname)
        for f in Dossier._meta.concrete_fields
        if f.attname not in ("id", "code", "lookup_token")
    }
    Dossier.objects.bulk_create(Dossier(**{**fields, **changes}) for _ in range(count))


def _queries(client: APIClient, path: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries), response.data["count"]


def test_list_endpoints_run_a_fixed_number_of_queries(users, online_procedure):
    citizen, desk = api_for(users[CITIZEN]), api_for(users[DESK])
    template = submitted(users, online_procedure)
    _clone(template, 2, status=Status.SUBMITTED)
    small_citizen, count = _queries(citizen, LIST)
    assert count == 3
    small_desk, count = _queries(desk, DESK_LIST)
    assert count == 3

    _clone(template, 17, status=Status.RECEIVED)
    large_citizen, count = _queries(citizen, LIST)
    assert count == 20
    large_desk, count = _queries(desk, DESK_LIST)
    assert count == 20
    assert large_citizen == small_citizen
    assert large_desk == small_desk


OUR_PATHS = (
    "/api/dossiers/",
    "/api/dossiers/{id}/",
    "/api/dossiers/{id}/components/",
    "/api/dossiers/{id}/submit/",
    "/api/dossiers/{id}/resubmit/",
    "/api/desk/dossiers/",
    "/api/desk/dossiers/{id}/",
    "/api/desk/dossiers/{id}/receive/",
    "/api/desk/dossiers/{id}/request-completion/",
    "/api/desk/dossiers/{id}/refuse/",
    "/api/lookup/",
)
OUR_NAMES = ("dossiers/api", "CitizenDossierViewSet", "DeskDossierViewSet", "PublicLookupView")


def test_openapi_schema_of_these_endpoints_is_valid(tmp_path):
    target = tmp_path / "schema.yml"
    GENERATOR_STATS.reset()
    # --validate raises on any OpenAPI compliance error in the whole schema.
    call_command("spectacular", "--validate", "--file", str(target))
    messages = [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
    GENERATOR_STATS.reset()
    ours = [m for m in messages if any(name in m for name in OUR_NAMES)]
    assert ours == []
    schema = target.read_text(encoding="utf-8")
    for path in OUR_PATHS:
        assert f"  {path}:" in schema, path
    assert "multipart/form-data" in schema
    assert "operationId: dossier_lookup" in schema
