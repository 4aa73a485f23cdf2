"""``/readyz``: may a load balancer send this instance traffic?

``/healthz`` says the process answers. ``/readyz`` checks what a request or a
job needs from outside the process: the database, its migrations applied, the
Celery broker, the shared cache (when Redis is configured) and the document
storage. Each check is bounded in time; the answer names the failing parts and
nothing more (no addresses, no exception text), with 503 when one fails.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tthc_portal.cache_safety import strict_cache

logger = logging.getLogger(__name__)
BROKER_TIMEOUT_SECONDS = 2.0
_migrations_ok = False  # once applied, they stay applied for this process's code


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _migrations() -> None:
    global _migrations_ok
    if _migrations_ok:
        return
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise RuntimeError("unapplied migrations")
    _migrations_ok = True


def _broker() -> None:
    from tthc_portal.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)


def _cache() -> None:
    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        strict_cache().get("readyz")


def _storage() -> None:
    default_storage.exists("readyz-probe")


CHECKS: dict[str, Callable[[], None]] = {
    "database": _database,
    "migrations": _migrations,
    "broker": _broker,
    "cache": _cache,
    "storage": _storage,
}


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:  # any failure means "not ready"; the log has the detail
            logger.warning("readyz: %s is not ready", name, exc_info=True)
            results[name] = "unavailable"
        else:
            results[name] = "ok"
    ready = all(state == "ok" for state in results.values())
    return JsonResponse(
        {"status": "ready" if ready else "not ready", **results}, status=200 if ready else 503
    )
