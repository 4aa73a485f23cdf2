"""Every operation documents the refusals it can give, each with the one error envelope."""

from __future__ import annotations

import pytest

from .schema_support import operations, published_schema

pytestmark = pytest.mark.django_db
ENVELOPE = {"$ref": "#/components/schemas/ApiError"}


def test_every_operation_documents_400_403_404_429_with_the_envelope() -> None:
    schema = published_schema()
    missing = []
    for path, method, operation in operations(schema):
        for code in ("400", "403", "404", "429"):
            documented = operation["responses"].get(code, {}).get("content", {})
            if documented.get("application/json", {}).get("schema") != ENVELOPE:
                missing.append(f"{method.upper()} {path} {code}")

    assert missing == []


def test_authenticated_operations_document_401_and_bodies_415() -> None:
    schema = published_schema()
    missing = []
    for path, method, operation in operations(schema):
        if any(operation.get("security", [])) and "401" not in operation["responses"]:
            missing.append(f"{method.upper()} {path} 401")
        if "requestBody" in operation and "415" not in operation["responses"]:
            missing.append(f"{method.upper()} {path} 415")

    assert missing == []


def test_the_envelope_component() -> None:
    envelope = published_schema()["components"]["schemas"]["ApiError"]

    assert envelope["required"] == ["detail"]
    assert envelope["properties"]["detail"]["type"] == "string"
    assert envelope["properties"]["errors"] == {
        "type": "array",
        "items": {"type": "string"},
        "description": envelope["properties"]["errors"]["description"],
    }
    assert envelope["properties"]["fields"]["type"] == "object"
