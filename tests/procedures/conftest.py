"""Shared fixtures of the procedures tests."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="class")
def demo_catalogue(django_db_setup, django_db_blocker) -> Iterator[None]:
    """seed_demo once for the class, rolled back at its end (see test_seed_demo).

    Class-scoped so the factory tests never see the demo catalogue.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_demo", stdout=StringIO(), stderr=StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def seeded(demo_catalogue, db) -> None:
    return None
