"""Shared fixtures.

Tests that need a real server (PostgreSQL, Redis, Chromium) use the
``require_*`` fixtures: locally they skip with the reason, under CI=true they
fail, so CI can never pass by skipping.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection

from integrations.config import config_forget_local
from tthc_portal.workdays import services as workdays

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
ARTIFACTS = Path(__file__).resolve().parent.parent / "var" / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

# Fixtures shared by every package (the demo province), without test modules
# importing each other's conftest.
pytest_plugins = ["tests.support.province", "tests.support.s3_server"]


def require(condition: bool, reason: str) -> None:
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fresh_caches():
    cache.clear()
    workdays.calendar_forget_local()
    config_forget_local()
    yield
    workdays.calendar_forget_local()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "second_factor_unverified: force_login leaves staff without a verified second factor",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every transactional test must also ask for serialized rollback.

    A plain transactional test flushes the database afterwards and lets
    ``post_migrate`` re-create content types under new ids; every serialized test
    after it then fails to restore ``django_content_type`` (duplicate key) — far
    from the cause. Refuse such a test at collection instead.
    """
    offenders = []
    for item in items:
        marker = item.get_closest_marker("django_db")
        kwargs = marker.kwargs if marker else {}
        fixtures = set(getattr(item, "fixturenames", ()))
        transactional = kwargs.get("transaction") or fixtures & {"transactional_db", "live_server"}
        serialized = kwargs.get("serialized_rollback") or (
            "django_db_serialized_rollback" in fixtures
        )
        if transactional and not serialized:
            offenders.append(item.nodeid)
    if offenders:
        raise pytest.UsageError(
            "a transactional test without serialized rollback (mark it "
            "django_db(transaction=True, serialized_rollback=True) or request "
            "django_db_serialized_rollback): " + ", ".join(offenders[:5])
        )


@pytest.fixture(autouse=True)
def _staff_second_factor_verified(request, monkeypatch):
    """``client.force_login(staff)`` (and ``client.login``) also pass the second factor.

    After the normal login, a staff user's session is bound to a real confirmed
    TOTPDevice (created if they have none), exactly as the verify page does, so
    SecondFactorRequiredMiddleware stays on in every test. Tests that need an
    unverified staff session sign in through the password form (which does not go
    through ``_login``) or use ``@pytest.mark.second_factor_unverified``.
    """
    if request.node.get_closest_marker("second_factor_unverified"):
        yield
        return
    from django.test.client import ClientMixin

    original = ClientMixin._login

    def _login(self, user, backend=None):
        original(self, user, backend)
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from tthc_portal.accounts.second_factor import services as second_factor

        if not second_factor.is_staff_user(user):
            return
        device = second_factor.totp_device_for(user) or TOTPDevice.objects.create(
            user=user, name="Thiết bị thử", confirmed=True
        )
        session = self.session
        second_factor.second_factor_session_mark(session, device)
        session.save()

    monkeypatch.setattr(ClientMixin, "_login", _login)
    yield


@pytest.fixture
def require_postgres(db):
    require(
        connection.vendor == "postgresql",
        "this test needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/tthc",
    )


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    reachable = False
    if url:
        import redis

        try:
            reachable = bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
        except redis.RedisError:
            reachable = False
    require(reachable, "this test needs Redis: set REDIS_URL=redis://127.0.0.1:6379/15")
    return url


@pytest.fixture(scope="session")
def chromium_path() -> str:
    require(
        Path(CHROMIUM).exists(),
        f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)",
    )
    return CHROMIUM


@pytest.fixture
def holiday_calendar(db):
    """The official 2023–2026 calendar from shared/data/holidays-vn.json."""
    workdays.calendar_load_file()
    workdays.calendar_forget_local()
    return workdays.get_calendar()


@pytest.fixture
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def docker_compose_bin() -> str:
    path = shutil.which("docker-compose") or ""
    require(bool(path), "needs the docker-compose client (apt-get install docker-compose)")
    return path
