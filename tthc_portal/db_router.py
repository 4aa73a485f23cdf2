"""Reports read from a streaming replica when one is configured and fresh.

The 766 dashboard, periodic reports, exports and drill-downs scan months of
dossiers; on a replica they never compete with the desks' writes. They opt in
explicitly, one block at a time::

    with reporting_reads():
        rows = list(report_rows(...))

Inside the block every read (ORM or ``connections[...]`` through
:func:`reporting_alias`) goes to the ``replica`` database; writes always go to
the primary. Outside it nothing changes, so a page that reads what it has just
written never sees an older copy.

The replica is used only while its replay lag is at most
``TTHC_REPLICA_MAX_LAG`` seconds (measured on the replica with
``pg_last_xact_replay_timestamp()``, remembered for
``TTHC_REPLICA_LAG_CACHE`` seconds in the process); beyond that, or when it
cannot be reached, the block reads from the primary: a report is never older
than the configured bound. Without ``DATABASE_REPLICA_URL`` (the embedded
default, the tests) the block reads from the primary.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
DEFAULT_MAX_LAG = 30.0
DEFAULT_LAG_CACHE = 5.0

# The alias reads go to inside reporting_reads(); None outside (Django's default).
_reads_alias: ContextVar[str | None] = ContextVar("tthc_reporting_reads", default=None)
# alias → (checked at, monotonic; usable?) — a probe result, not shared state.
_lag_checks: dict[str, tuple[float, bool]] = {}

# Seconds the replica is behind: zero when it has replayed all it received
# (an idle primary sends nothing, and the last replay time then grows without
# meaning lag), else the age of the last transaction it replayed.
LAG_SQL = """
    SELECT CASE
        WHEN NOT pg_is_in_recovery() THEN NULL
        WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
        ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())
    END
"""


def replica_max_lag() -> float:
    return float(getattr(settings, "TTHC_REPLICA_MAX_LAG", DEFAULT_MAX_LAG))


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_lag_seconds(alias: str = REPLICA) -> float | None:
    """The replica's replay lag in seconds; None when it is not a replica
    (misconfigured: it would serve reads nobody replicates) or unknown."""
    with connections[alias].cursor() as cursor:
        cursor.execute(LAG_SQL)
        (lag,) = cursor.fetchone()
    return None if lag is None else float(lag)


def _replica_usable(alias: str) -> bool:
    now = time.monotonic()
    cached = _lag_checks.get(alias)
    ttl = float(getattr(settings, "TTHC_REPLICA_LAG_CACHE", DEFAULT_LAG_CACHE))
    if cached is not None and now - cached[0] < ttl:
        return cached[1]
    try:
        lag = replica_lag_seconds(alias)
    except DatabaseError:
        logger.warning("Read replica %r unreachable; reports read from the primary", alias)
        connections[alias].close()  # a broken connection is not reused
        lag = None
    usable = lag is not None and lag <= replica_max_lag()
    if lag is not None and not usable:
        logger.warning(
            "Read replica %r is %.1f s behind (limit %.1f s); reports read from the primary",
            alias,
            lag,
            replica_max_lag(),
        )
    _lag_checks[alias] = (now, usable)
    return usable


def replica_forget_lag() -> None:
    """Drop the remembered lag checks (tests; after a failover)."""
    _lag_checks.clear()


def reporting_alias() -> str:
    """The database a report reads from now: the replica if configured and
    fresh, else the primary."""
    if replica_configured() and _replica_usable(REPLICA):
        return REPLICA
    return DEFAULT_DB_ALIAS


@contextmanager
def reporting_reads() -> Iterator[str]:
    """Route the reads of the block to the replica (see the module docstring);
    yields the alias chosen, for raw SQL: ``connections[alias].cursor()``."""
    if _reads_alias.get() is not None:  # nested: keep the outer choice
        yield _reads_alias.get() or DEFAULT_DB_ALIAS
        return
    alias = reporting_alias()
    token = _reads_alias.set(alias)
    try:
        yield alias
    finally:
        _reads_alias.reset(token)


class ReplicaRouter:
    """DATABASE_ROUTERS entry: reads inside reporting_reads() go to the alias it
    chose; everything else (writes, migrations) to the primary."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if not model._meta.managed:
            # The 766 engine's session temporary tables (indicators DossierRow)
            # exist only on the connection that filled them, the primary's; a
            # hot standby cannot create one.
            return None
        return _reads_alias.get()

    def db_for_write(self, model: type, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # The replica is a copy of the primary: the same rows on both.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS
