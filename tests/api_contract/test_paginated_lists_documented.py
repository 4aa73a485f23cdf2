"""Lists that answer a page are documented as a page, not as a bare array."""

from __future__ import annotations

import pytest

from .schema_support import component, published_schema, response_schema

pytestmark = pytest.mark.django_db

PAGINATED = [
    "/api/indicators/periods/",
    "/api/indicators/periods/{id}/results/",
    "/api/indicators/periods/{id}/summary/",
    "/api/indicators/periods/{id}/cases/",
    "/api/indicators/periods/{id}/predicted/",
    "/api/indicators/periods/{id}/predicted/dossiers/",
    "/api/indicators/periodic-report/",
]


@pytest.mark.parametrize("path", PAGINATED)
def test_hand_paginated_list_is_documented_as_a_page(path: str) -> None:
    schema = published_schema()
    body = component(schema, response_schema(schema["paths"][path]["get"]))
    parameters = {p["name"] for p in schema["paths"][path]["get"]["parameters"]}

    assert body["type"] == "object"
    assert {"count", "next", "previous", "results"} <= set(body["properties"])
    assert body["properties"]["results"]["type"] == "array"
    assert {"page", "page_size"} <= parameters


def test_periodic_report_page_carries_its_total() -> None:
    schema = published_schema()
    body = component(
        schema, response_schema(schema["paths"]["/api/indicators/periodic-report/"]["get"])
    )

    assert "total" in body["properties"]
