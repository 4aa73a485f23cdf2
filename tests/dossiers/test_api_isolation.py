"""Nobody reaches a dossier outside their scope through the API, and a refusal
never reveals that the dossier exists (same 404 as for a missing id)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from dossiers.models import Dossier, Status
from dossiers.services.submission import component_attach, dossier_create_draft, dossier_submit
from tests.dossiers.files import make_pdf, upload

pytestmark = pytest.mark.django_db
OWNER = "001085012345"
OTHER_CITIZEN = "036190004567"
MISSING = 987654321
LIST = reverse("dossiers_api:dossier-list")
DESK_LIST = reverse("dossiers_api:desk-dossier-list")


def url(name: str, pk: int) -> str:
    return reverse(f"dossiers_api:{name}", args=[pk])


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def submitted(users, procedure) -> Dossier:
    owner = users[OWNER]
    dossier = dossier_create_draft(actor=owner, procedure=procedure)
    for requirement in procedure.current_version.components.filter(required=True):
        component_attach(
            actor=owner, dossier=dossier, requirement_id=requirement.pk,
            upload=upload(f"{requirement.order}.pdf", make_pdf()),
        )  # fmt: skip
    return dossier_submit(actor=owner, dossier=dossier)


def citizen_calls(pk: int) -> list[tuple[str, str, dict, str]]:
    return [
        ("get", url("dossier-detail", pk), {}, "json"),
        ("patch", url("dossier-detail", pk), {"applicant_name": "Kẻ lạ"}, "json"),
        ("post", url("dossier-components", pk), {"file": upload("x.pdf", make_pdf())}, "multipart"),
        ("post", url("dossier-submit", pk), {}, "json"),
        ("post", url("dossier-resubmit", pk), {}, "json"),
    ]


def desk_calls(pk: int) -> list[tuple[str, str, dict, str]]:
    items = {"items": [{"name": "Đơn", "reason": "Thiếu"}], "note": ""}
    return [
        ("get", url("desk-dossier-detail", pk), {}, "json"),
        ("post", url("desk-dossier-receive", pk), {}, "json"),
        ("post", url("desk-dossier-request-completion", pk), items, "json"),
        ("post", url("desk-dossier-refuse", pk), {"reason": "Không thuộc thẩm quyền"}, "json"),
    ]


def call(client: APIClient, method: str, path: str, data: dict, fmt: str):
    return getattr(client, method)(path, data, format=fmt)


def assert_unchanged(dossier: Dossier) -> None:
    fresh = Dossier.objects.get(pk=dossier.pk)
    assert (fresh.status, fresh.applicant_name, fresh.code) == (
        dossier.status,
        dossier.applicant_name,
        dossier.code,
    )
    assert fresh.components.count() == 2


def test_a_citizen_never_reaches_another_citizens_dossier(users, online_procedure):
    dossier = submitted(users, online_procedure)
    stranger = api_for(users[OTHER_CITIZEN])
    assert stranger.get(LIST).data["count"] == 0
    for method, path, data, fmt in citizen_calls(dossier.pk):
        response = call(stranger, method, path, data, fmt)
        assert response.status_code == 404, (method, path, response.data)
        missing = call(stranger, method, path.replace(str(dossier.pk), str(MISSING)), data, fmt)
        assert response.data == missing.data == {"detail": "Không tìm thấy hồ sơ."}
    # Not staff: the desk endpoints are closed altogether.
    assert stranger.get(DESK_LIST).status_code == 403
    for method, path, data, fmt in desk_calls(dossier.pk):
        assert call(stranger, method, path, data, fmt).status_code == 403
    assert_unchanged(dossier)


def test_an_officer_of_another_agency_neither_sees_nor_acts(users, online_procedure):
    dossier = submitted(users, online_procedure)  # received by Sở Tư pháp
    outsider = api_for(users["motcua.yte"])  # desk of Sở Y tế
    assert dossier.pk not in {row["id"] for row in outsider.get(DESK_LIST).data["results"]}
    for method, path, data, fmt in desk_calls(dossier.pk):
        response = call(outsider, method, path, data, fmt)
        assert response.status_code == 404, (method, path, response.data)
        missing = call(outsider, method, path.replace(str(dossier.pk), str(MISSING)), data, fmt)
        assert response.data == missing.data
    assert_unchanged(dossier)


def test_a_colleague_without_the_desk_permission_gets_403_on_a_visible_dossier(
    users, online_procedure
):
    dossier = submitted(users, online_procedure)
    specialist = api_for(users["chuyenvien.tuphap"])  # same agency, not the desk
    assert specialist.get(url("desk-dossier-detail", dossier.pk)).status_code == 200
    for _method, path, data, fmt in desk_calls(dossier.pk)[1:]:
        response = specialist.post(path, data, format=fmt)
        assert response.status_code == 403, (path, response.data)
        assert "không có quyền" in response.data["detail"]
    assert_unchanged(dossier)


def test_officers_cannot_use_the_citizen_endpoints(users, online_procedure):
    dossier = submitted(users, online_procedure)
    desk = api_for(users["motcua.tuphap"])
    created = desk.post(LIST, {"procedure": online_procedure.pk}, format="json")
    assert created.status_code == 403
    assert created.data["detail"] == "Chức năng này chỉ dành cho tài khoản công dân, tổ chức."
    assert Dossier.objects.count() == 1
    assert desk.get(LIST).data["count"] == 0
    for method, path, data, fmt in citizen_calls(dossier.pk):
        assert call(desk, method, path, data, fmt).status_code == 404, (method, path)
    assert_unchanged(dossier)


def test_citizens_drafts_stay_private_until_submitted(users, online_procedure):
    draft = dossier_create_draft(actor=users[OWNER], procedure=online_procedure)
    desk = api_for(users["motcua.tuphap"])
    assert draft.pk not in {row["id"] for row in desk.get(DESK_LIST).data["results"]}
    assert desk.get(url("desk-dossier-detail", draft.pk)).status_code == 404
    assert desk.post(url("desk-dossier-receive", draft.pk)).status_code == 404
    assert Dossier.objects.get(pk=draft.pk).status == Status.DRAFT


def test_anonymous_callers_are_refused(users, online_procedure):
    dossier = submitted(users, online_procedure)
    anonymous = APIClient()
    calls = [
        ("get", LIST, {}, "json"),
        ("post", LIST, {"procedure": online_procedure.pk}, "json"),
        ("get", DESK_LIST, {}, "json"),
        *citizen_calls(dossier.pk),
        *desk_calls(dossier.pk),
    ]
    for method, path, data, fmt in calls:
        response = call(anonymous, method, path, data, fmt)
        assert response.status_code in (401, 403), (method, path)
        assert response.data == {"detail": "Vui lòng đăng nhập để sử dụng chức năng này."}
    assert_unchanged(dossier)
