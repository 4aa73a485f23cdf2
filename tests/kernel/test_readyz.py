"""``/readyz`` answers 200 only when the database, its migrations, the broker,
the cache and the storage are all usable (issue #17, health and metrics)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from tthc_portal.celery import app
from tthc_portal.web import health

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _forget_migration_check():
    health._migrations_ok = False
    yield
    health._migrations_ok = False


def test_ready_when_everything_answers(client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "database": "ok",
        "migrations": "ok",
        "broker": "ok",
        "cache": "ok",
        "storage": "ok",
    }
    assert "no-cache" in response["Cache-Control"]


def test_not_ready_with_an_unapplied_migration(client) -> None:
    # Forget one applied migration in the real table (rolled back after the test).
    MigrationRecorder(connection).migration_qs.filter(app="workdays").order_by("-id")[
        :1
    ].get().delete()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["migrations"] == "unavailable"
    assert response.json()["database"] == "ok"


def test_not_ready_without_a_broker(client, monkeypatch) -> None:
    # A broker address where nothing listens (port 1 on this machine).
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["broker"] == "unavailable"
    assert "127.0.0.1" not in response.content.decode()
