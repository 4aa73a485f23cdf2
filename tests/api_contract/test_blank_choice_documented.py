"""A read-only choice whose model field may be blank documents "" among its values.

A published version that is not internal answers ``"internal_scope": ""``; the
schema listed only the two scopes, so every such answer broke the contract.
"""

from __future__ import annotations

import pytest

from .schema_support import published_schema

pytestmark = pytest.mark.django_db


def test_read_only_blank_choice_allows_the_empty_string() -> None:
    schema = published_schema()
    components = schema["components"]["schemas"]
    internal_scope = components["StaffVersion"]["properties"]["internal_scope"]

    alternatives = [
        components[option["$ref"].rsplit("/", 1)[-1]] for option in internal_scope["oneOf"]
    ]
    assert [""] in [option["enum"] for option in alternatives]
