"""``page`` and ``page_size`` outside the documented whole-number range answer 400."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    ["page_size=abc", "page_size=0", "page_size=-5", "page_size=201", "page=0", "page=abc"],
)
def test_bad_page_or_page_size_is_refused(client, query: str) -> None:
    response = client.get(f"/api/catalogue/procedures/?{query}")

    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Dữ liệu gửi lên không hợp lệ."
    assert list(body["fields"]) == [query.split("=")[0]]


def test_page_size_in_range_is_honoured(client) -> None:
    response = client.get("/api/catalogue/procedures/?page_size=200&page=1")

    assert response.status_code == 200
    assert set(response.json()) >= {"count", "next", "previous", "results"}


def test_schema_states_the_range(client) -> None:
    schema = client.get("/api/schema/?format=json").json()
    parameters = {
        p["name"]: p["schema"]
        for p in schema["paths"]["/api/catalogue/procedures/"]["get"]["parameters"]
    }

    assert parameters["page_size"] == {"type": "integer", "minimum": 1, "maximum": 200}
    assert parameters["page"] == {"type": "integer", "minimum": 1}
