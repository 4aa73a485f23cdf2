"""A path under an API prefix that matches no route (a non-integer id) answers a JSON 404."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

PATHS = [
    "/api/dossiers/abc/",
    "/api/desk/dossiers/1.5/",
    "/api/pakn/staff/abc/actions/answer/",
    "/api/ratings/nothing-here/",
    "/api/indicators/periods/x/summary/",
    "/api/catalogue/procedures/abc/",
    "/api/publication/versions/-1/submit/",
    "/api/catalogue/procedures/%0A%3B/",  # an encoded newline in the id
]


@pytest.mark.parametrize("path", PATHS)
def test_unknown_api_path_is_a_json_404(client, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Không tìm thấy."}


def test_unsafe_method_on_unknown_path_is_a_json_404_without_csrf(client) -> None:
    response = client.post("/api/dossiers/abc/submit/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
