"""Shared helpers: an isolated benchmark database and honest timing."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager

import django


def setup() -> None:
    """Django with test settings on a dedicated database (never the dev data)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tthc_portal.settings.test")
    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    # keepdb: a large generated database survives between runs.
    connection.creation.create_test_db(verbosity=0, keepdb=True, serialize=False)


def machine() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        database = f"SQLite {connection.Database.sqlite_version}"
    else:
        database = f"{connection.vendor} {connection.pg_version}"
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, {memory:.0f} GiB RAM, "
        f"Python {platform.python_version()}, {database}"
    )


def measure(fn: Callable[[], object], *, repeat: int, warmup: int = 3) -> dict[str, float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "median_ms": statistics.median(samples),
        "p95_ms": samples[min(len(samples) - 1, int(len(samples) * 0.95))],
        "max_ms": samples[-1],
        "n": len(samples),
    }


@contextmanager
def count_queries():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        yield context


def report(title: str, rows: list[tuple[str, str]]) -> None:
    print(f"\n## {title}")
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"  {label.ljust(width)}  {value}")


def signed_in_client(user):
    """A client signed in with the second factor passed, as the verify page
    leaves the session (staff pages need it)."""
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tthc_portal.accounts.second_factor import services as second_factor

    client = Client()
    client.force_login(user)
    device = second_factor.totp_device_for(user) or TOTPDevice.objects.create(
        user=user, name="benchmark", confirmed=True
    )
    session = client.session
    second_factor.second_factor_session_mark(session, device)
    session.save()
    return client
