"""The published OpenAPI document, read the way clients read it."""

from __future__ import annotations

from typing import Any

from django.test import Client

METHODS = {"get", "post", "put", "patch", "delete"}


def published_schema() -> dict[str, Any]:
    response = Client().get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def operations(schema: dict[str, Any]):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def response_schema(operation: dict[str, Any], code: str = "200") -> dict[str, Any]:
    return operation["responses"][code]["content"]["application/json"]["schema"]


def component(schema: dict[str, Any], reference: dict[str, Any]) -> dict[str, Any]:
    return schema["components"]["schemas"][reference["$ref"].rsplit("/", 1)[-1]]
