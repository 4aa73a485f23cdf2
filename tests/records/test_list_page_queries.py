"""The proposals page and the review page read a constant number of queries,
whatever the number of lists and dossiers on them."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from records.services import disposal_lists_propose
from tests.records.conftest import returned

pytestmark = pytest.mark.django_db


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_proposals_page_queries_do_not_grow(build, officer, client) -> None:
    client.force_login(officer)
    returned(build)
    disposal_lists_propose(date(2036, 1, 10))
    count(client, "/luu-tru/huy-ho-so/")  # warm the session and permission caches
    one = count(client, "/luu-tru/huy-ho-so/")
    for month in range(2, 7):
        returned(build)
        disposal_lists_propose(date(2036, month, 10))
    many = count(client, "/luu-tru/huy-ho-so/")
    assert many == one


def test_review_page_queries_do_not_grow(build, officer, client) -> None:
    client.force_login(officer)
    returned(build)
    [first] = disposal_lists_propose(date(2036, 1, 10))
    url = f"/luu-tru/huy-ho-so/{first.pk}/"
    count(client, url)
    one = count(client, url)
    for _ in range(8):
        returned(build, fee=True)
    disposal_lists_propose(date(2036, 1, 10))
    assert first.items.count() == 9
    many = count(client, url)
    assert many == one
    assert many <= 20
