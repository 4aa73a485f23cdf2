"""Refusals DRF raises by itself answer the same Vietnamese envelope as the services' refusals."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_method_not_allowed_answers_the_envelope(client) -> None:
    response = client.put("/api/pakn/published/", {}, content_type="application/json")

    assert response.status_code == 405
    assert response.json() == {"detail": "Phương thức yêu cầu không được hỗ trợ."}
    assert "GET" in response["Allow"]


def test_unreadable_json_answers_the_envelope(client) -> None:
    response = client.post("/api/lookup/", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"detail": "Dữ liệu gửi lên không đọc được."}


def test_unsupported_media_type_answers_the_envelope(client) -> None:
    response = client.post("/api/pakn/", "code=1", content_type="text/plain")

    assert response.status_code == 415
    assert response.json() == {"detail": "Định dạng dữ liệu gửi lên không được hỗ trợ."}


def test_nested_field_errors_keep_the_documented_shape(client) -> None:
    """``fields`` may nest (a list of files); ``errors`` stays a list of sentences."""
    response = client.post(
        "/api/pakn/",
        {"attachments": ["not-a-file"], "title": "x"},
        content_type="application/json",
    )

    assert response.status_code == 400
    body = response.json()
    assert isinstance(body["detail"], str)
    assert all(isinstance(line, str) for line in body["errors"])
    assert any(line.startswith("attachments.0") for line in body["errors"])
    assert isinstance(body["fields"], dict)


def test_browser_accept_header_still_gets_json(client) -> None:
    response = client.get(
        "/api/catalogue/fields/",
        HTTP_ACCEPT="text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
