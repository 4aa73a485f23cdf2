"""One data set for every module of tests/security, built once and rolled back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction

from tests.security.world import World, world_build


@pytest.fixture(scope="package")
def world_once(django_db_setup, django_db_blocker) -> Iterator[World]:
    """Built inside a transaction rolled back after the last test of this package; each
    test still runs in its own savepoint (pytest-django's ``db``), so one
    role's requests cannot change what the next role sees."""
    from tthc_portal.workdays import services as workdays

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            workdays.calendar_forget_local()
            yield world_build()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def world(world_once: World, db) -> World:
    # The user objects are shared between tests: reload them so a flag one test
    # changed in memory (then rolled back in the database) cannot leak into the next.
    for user in world_once.users.values():
        user.refresh_from_db()
    return world_once
