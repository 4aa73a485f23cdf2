"""A field that answers null when its relation is empty is documented as nullable."""

from __future__ import annotations

import pytest

from .schema_support import published_schema

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("component", "field"),
    [
        ("Published", "field"),  # a published answer without a field of activity
        ("History", "actor"),  # a step the system took by itself
        ("History", "agency"),
    ],
)
def test_default_none_field_is_nullable(component: str, field: str) -> None:
    properties = published_schema()["components"]["schemas"][component]["properties"]

    assert properties[field].get("nullable") is True
