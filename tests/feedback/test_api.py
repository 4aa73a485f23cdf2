"""The REST API: public submit and published list, staff actions scoped by agency,
criteria 5.2/5.3, ratings; documented in the OpenAPI schema."""

from __future__ import annotations

import pytest

from feedback.models import Feedback, Rating, Status
from tests.dossiers.files import make_pdf, upload
from tests.feedback.conftest import JUSTICE, pakn_data
from tests.feedback.rating_links import invitation_token

pytestmark = pytest.mark.django_db
SCORES = {"c5_one_stop_compliance": 2, "c6_publicity": 1, "c7_attitude": 2,
          "c8_feedback_response": 2, "c9_online_service": 2}  # fmt: skip


def test_public_submit_validates_like_the_form(client, tinh):
    response = client.post(
        "/api/pakn/", pakn_data(submitter_address=""), content_type="application/json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Chưa thể gửi phản ánh, kiến nghị: thông tin chưa đầy đủ."
    assert "Vui lòng nhập địa chỉ" in body["fields"]["submitter_address"][0]
    response = client.post(
        "/api/pakn/", {**pakn_data(), "attachments": [upload("a.pdf", make_pdf())]}
    )
    assert response.status_code == 201
    item = Feedback.objects.get()
    assert response.json()["code"] == item.code
    assert response.json()["tracking_url"].endswith(f"/theo-doi/{item.lookup_token}/")
    assert item.attachments.count() == 1


def test_staff_flow_over_the_api(client, users, tinh):
    created = client.post("/api/pakn/", pakn_data(), content_type="application/json")
    item = Feedback.objects.get(code=created.json()["code"])
    url = f"/api/pakn/staff/{item.pk}/actions"
    client.force_login(users["vanphong"])

    def post(action, **body):
        return client.post(f"{url}/{action}/", body, content_type="application/json")

    assert post("classify").status_code == 400  # category is required
    assert post("classify", category="regulation_in_scope").json()["category"] == (
        "regulation_in_scope"
    )
    assert post("forward", agency=tinh[JUSTICE].pk).json()["status"] == Status.IN_HANDLING
    assert post("publish").status_code == 400  # not from in_handling
    client.force_login(users["lanhdao.tuphap"])
    assert post("answer", answer="Sở Tư pháp đã xử lý.").status_code == 200
    assert client.get("/api/pakn/staff/", {"status": "open"}).json()["count"] == 1
    client.force_login(users["vanphong"])
    assert post("approve_publication").json()["status"] == Status.AWAITING_PUBLICATION
    detail = post("publish").json()
    assert detail["status"] == Status.PUBLISHED
    assert [h["action"] for h in detail["history"]][-1] == "publish"
    listed = client.get("/api/pakn/published/", {"q": "ly lich"}).json()
    assert listed["count"] == 1 and listed["results"][0]["submitter_name"] is None
    reacted = client.post(
        f"/api/pakn/published/{item.code}/reaction/", {"value": "dislike"},
        content_type="application/json",
    ).json()  # fmt: skip
    assert (reacted["likes"], reacted["dislikes"]) == (0, 1)
    criteria = client.get(
        "/api/pakn/criteria/", {"agency": tinh[JUSTICE].pk, "start": "2020-01-01",
                                "end": "2030-12-31"}
    ).json()  # fmt: skip
    assert criteria["c52"]["denominator"] == 1
    assert criteria["c53"]["numerator"] == 0  # disliked
    client.force_login(users["lanhdao.yte"])
    denied = client.get("/api/pakn/criteria/", {"agency": tinh[JUSTICE].pk})
    assert denied.status_code == 404


def test_ratings_api(client, users, make_returned, tinh):
    dossier = make_returned()
    # The one-time link sent with the result, not the lookup token on the papers.
    qr = client.post(
        f"/api/ratings/by-link/{dossier.lookup_token}/", {"scores": SCORES, "like": "like"},
        content_type="application/json",
    )  # fmt: skip
    assert qr.status_code == 404
    url = f"/api/ratings/by-link/{invitation_token(dossier)}/"
    body = {"scores": SCORES, "like": "like"}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 201 and response.json()["total"] == "17.00"
    again = client.post(url, body, content_type="application/json")
    assert again.status_code == 400 and "đã được sử dụng" in again.json()["detail"]
    client.force_login(users["motcua.yte"])
    paper = {"dossier_code": dossier.code, "source": "paper", "scores": SCORES, "like": "like"}
    assert client.post("/api/ratings/", paper, content_type="application/json").status_code == 404
    client.force_login(users["motcua.tuphap"])
    response = client.post("/api/ratings/", paper, content_type="application/json")
    assert response.status_code == 201
    again = client.post("/api/ratings/", paper, content_type="application/json")
    assert (
        again.status_code == 400 and "Mỗi hồ sơ chỉ được đánh giá một lần" in again.json()["detail"]
    )
    assert client.get("/api/ratings/").json()["count"] == 2
    summary = client.get("/api/ratings/summary/", {"group": "procedure", "start": "2020-01-01",
                                                   "end": "2030-12-31"}).json()  # fmt: skip
    assert summary[0]["count"] == 2 and summary[0]["label"] == "Cấp phiếu lý lịch tư pháp"
    assert Rating.objects.count() == 2


def test_schema_documents_the_endpoints(client, tinh):
    schema = client.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in ("/api/pakn/", "/api/pakn/published/", "/api/pakn/staff/{id}/actions/{action}/",
                 "/api/pakn/criteria/", "/api/ratings/", "/api/ratings/summary/"):  # fmt: skip
        assert path in paths, path
