"""A documented parameter with a value of the wrong type or outside its enum answers 400.

Before, the views quietly dropped such values (``agency=abc`` listed every
agency's answers; ``start=yesterday`` reported the default half year).
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/pakn/published/?agency=abc", "agency"),
        ("/api/pakn/published/?field=1.5", "field"),
        ("/api/pakn/published/?agency=1&agency=2", "agency"),
        ("/api/catalogue/procedures/?field=2.5", "field"),
    ],
)
def test_public_list_refuses_a_bad_value(client, path: str, name: str) -> None:
    response = client.get(path)

    assert response.status_code == 400
    assert list(response.json()["fields"]) == [name]


@pytest.mark.parametrize(
    ("query", "name"),
    [("start=yesterday&end=2026-01-31", "start"), ("group=agencies", "group")],
)
def test_staff_summary_refuses_a_bad_value(client, query: str, name: str) -> None:
    from tests.factories import AgencyFactory, make_staff

    client.force_login(make_staff("department_head", AgencyFactory()))

    response = client.get(f"/api/ratings/summary/?{query}")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == [name]
