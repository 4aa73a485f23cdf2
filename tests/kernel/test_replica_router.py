"""Reports read from a real streaming replica, writes stay on the primary, and a
lagging or unreachable replica falls back to the primary.

The replica is the one scripts/start-pg-replica starts (a streaming copy of
the local PostgreSQL on port 5433, named by DATABASE_REPLICA_URL); it streams
the whole cluster, so the test database exists there under the same name.
Lag is made real by pausing replay on the replica and writing on the primary.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from typing import Any

import dj_database_url
import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, router
from django.db.utils import load_backend

from indicators.models import DossierRow
from tests.conftest import require
from tests.factories import AgencyFactory
from tthc_portal.agencies.models import Agency
from tthc_portal.db_router import REPLICA, replica_forget_lag, replica_lag_seconds, reporting_reads

pytestmark = [
    pytest.mark.postgres,
    # The replica alias is added per test, as the settings block adds it.
    pytest.mark.filterwarnings("ignore:Overriding setting DATABASES"),
]

TIMEOUT = 20.0


def _wait_for(condition: Callable[[], Any], what: str) -> Any:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


def _replica_sql(sql: str) -> Any:
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def _add_replica(settings, config: dict) -> None:
    """The alias as the settings block adds it. The connection is made here
    rather than from the (cached) connection settings, so the test case's
    guard lets it connect: it only guards the aliases known when it started."""
    settings.DATABASES = {**settings.DATABASES, REPLICA: config}
    _drop_connection()
    wrapper = load_backend(config["ENGINE"]).DatabaseWrapper(config, REPLICA)
    setattr(connections._connections, REPLICA, wrapper)
    replica_forget_lag()


def _drop_connection() -> None:
    wrapper = getattr(connections._connections, REPLICA, None)
    if wrapper is not None:
        wrapper.close()
        delattr(connections._connections, REPLICA)


@pytest.fixture
def replica_config(
    transactional_db: None, django_db_serialized_rollback: None, settings
) -> Iterator[dict]:
    """The "replica" alias, as DATABASE_REPLICA_URL adds it, on the test database."""
    require(connection.vendor == "postgresql", "this test needs PostgreSQL: set DATABASE_URL")
    url = os.environ.get("DATABASE_REPLICA_URL", "")
    require(
        bool(url),
        "this test needs a streaming replica: run scripts/start-pg-replica and set "
        "DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:5433/tthc",
    )
    parsed = dj_database_url.parse(url)
    config = {
        **connections[DEFAULT_DB_ALIAS].settings_dict,
        **{key: parsed[key] for key in ("HOST", "PORT", "USER", "PASSWORD")},
        "CONN_MAX_AGE": 0,
    }
    settings.DATABASE_ROUTERS = ["tthc_portal.db_router.ReplicaRouter"]
    settings.TTHC_REPLICA_MAX_LAG = 3600
    settings.TTHC_REPLICA_LAG_CACHE = 0
    replica_forget_lag()
    yield config
    _drop_connection()
    replica_forget_lag()


@pytest.fixture
def replica(replica_config: dict, settings) -> Iterator[None]:
    _add_replica(settings, replica_config)
    try:
        in_recovery = bool(_replica_sql("SELECT pg_is_in_recovery()"))
    except Exception as exc:  # any failure to connect is the skip reason below
        in_recovery = False
        reason = f"{type(exc).__name__}: {exc}"
    else:
        reason = "the server at DATABASE_REPLICA_URL is not a replica"
    require(in_recovery, f"DATABASE_REPLICA_URL does not reach a streaming replica ({reason})")
    try:
        yield
    finally:
        if in_recovery:
            _replica_sql("SELECT pg_wal_replay_resume()")


def _replica_has(pk: int) -> bool:
    return Agency.objects.using(REPLICA).filter(pk=pk).exists()


def _pause_replay() -> None:
    """Pause right after a fresh commit was replayed, so the lag measured from
    then on is the pause's, not an idle primary's."""
    fresh = AgencyFactory()
    _wait_for(lambda: _replica_has(fresh.pk), "a fresh commit on the replica")
    _replica_sql("SELECT pg_wal_replay_pause()")
    _wait_for(lambda: _replica_sql("SELECT pg_get_wal_replay_pause_state()") == "paused", "pause")


def test_report_reads_go_to_the_replica_and_writes_to_the_primary(replica: None) -> None:
    agency = AgencyFactory()
    _wait_for(lambda: _replica_has(agency.pk), "the row to stream to the replica")
    assert Agency.objects.all().db == DEFAULT_DB_ALIAS  # outside a report block

    with reporting_reads() as alias:
        assert alias == REPLICA
        assert Agency.objects.all().db == REPLICA
        assert Agency.objects.get(pk=agency.pk).name == agency.name
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery()")
            assert cursor.fetchone()[0] is True
        # The 766 engine's session temporary table lives on the primary only.
        assert router.db_for_read(DossierRow) == DEFAULT_DB_ALIAS
        # A write inside the block still goes to the primary.
        assert router.db_for_write(Agency) == DEFAULT_DB_ALIAS
        written = AgencyFactory()
        with reporting_reads() as nested:
            assert nested == REPLICA

    assert Agency.objects.using(DEFAULT_DB_ALIAS).filter(pk=written.pk).exists()
    assert Agency.objects.all().db == DEFAULT_DB_ALIAS


def test_a_lagging_replica_falls_back_to_the_primary(replica: None, settings) -> None:
    _pause_replay()
    agency = AgencyFactory()
    _wait_for(lambda: (replica_lag_seconds() or 0) > 1.0, "the replica to lag a second")

    # Within the allowed lag the report reads the replica: the new row is not there yet.
    with reporting_reads() as alias:
        assert alias == REPLICA
        assert not Agency.objects.filter(pk=agency.pk).exists()

    # Beyond it, the primary: the report sees the row.
    settings.TTHC_REPLICA_MAX_LAG = 0.5
    with reporting_reads() as alias:
        assert alias == DEFAULT_DB_ALIAS
        assert Agency.objects.filter(pk=agency.pk).exists()

    # Replay resumes: the replica catches up and serves the reports again.
    _replica_sql("SELECT pg_wal_replay_resume()")
    _wait_for(lambda: replica_lag_seconds() == 0, "the replica to catch up")
    with reporting_reads() as alias:
        assert alias == REPLICA
        assert Agency.objects.filter(pk=agency.pk).exists()


def test_the_lag_check_is_remembered_briefly(replica: None, settings) -> None:
    settings.TTHC_REPLICA_LAG_CACHE = 60
    with reporting_reads() as alias:
        assert alias == REPLICA
    _pause_replay()
    AgencyFactory()
    time.sleep(1.2)
    settings.TTHC_REPLICA_MAX_LAG = 0.5
    with reporting_reads() as alias:
        assert alias == REPLICA  # the remembered check, no query per report
    replica_forget_lag()
    with reporting_reads() as alias:
        assert alias == DEFAULT_DB_ALIAS


def test_an_unreachable_replica_falls_back_to_the_primary(replica_config: dict, settings) -> None:
    _add_replica(settings, {**replica_config, "HOST": "127.0.0.1", "PORT": "1"})
    agency = AgencyFactory()
    with reporting_reads() as alias:
        assert alias == DEFAULT_DB_ALIAS
        assert Agency.objects.filter(pk=agency.pk).exists()
