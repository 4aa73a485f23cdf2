"""With the shared cache (Redis) unreachable, a repeated form is still
answered with the first result, not a 500: the keys live in the database."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.test import Client

from tests.factories import UserFactory
from tests.web import idempotency_support as support
from tests.web.idempotency_support import KEY, idempotent_forms  # noqa: F401 (fixture)
from tthc_portal.cache_safety import redis_caches

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.web.idempotency_support")]


def test_repeat_is_replayed_while_redis_is_down(settings, idempotent_forms):  # noqa: F811
    # Nothing listens on port 1: every cache call fails (and is cooled down).
    settings.CACHES = redis_caches("redis://127.0.0.1:1/0", timeout=0.2)
    assert cache.get("probe", "missed") == "missed"
    support.RUNS.clear()
    client = Client()
    client.force_login(UserFactory())

    first = client.post("/luu/", {"value": "a", support.FIELD_NAME: KEY})
    client.cookies.pop("messages", None)
    second = client.post("/luu/", {"value": "a", support.FIELD_NAME: KEY})

    assert support.RUNS == ["a"]
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert [str(m) for m in get_messages(second.wsgi_request)] == ["Đã lưu lần 1."]
    support.RUNS.clear()
