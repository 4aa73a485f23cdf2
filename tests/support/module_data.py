"""Seed expensive reference data once per test module instead of once per test.

The data is written inside a transaction opened when the module starts and
rolled back when it ends; pytest-django's ``db`` wraps every test in a
savepoint inside it, so each test still starts from the same fresh data. A
module with a test that needs real transactions (threads, commits, a live
server) seeds per test instead: an open transaction would hide the data from
other connections and break the flush.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

import pytest
from django.db import transaction

T = TypeVar("T")
TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_serialized_rollback"}


def wants_transaction(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        return True
    return bool(TRANSACTIONAL_FIXTURES & set(getattr(item, "fixturenames", ())))


def module_is_transactional(request: pytest.FixtureRequest) -> bool:
    return any(
        wants_transaction(item)
        for item in request.session.items
        if getattr(item, "module", None) is request.module
    )


def seeded_for_module(
    request: pytest.FixtureRequest, django_db_blocker, seed: Callable[[], T]
) -> Iterator[T | None]:
    """Body of a module-scoped fixture; yields None when tests must seed themselves."""
    if module_is_transactional(request):
        yield None
        return
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield seed()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
