"""Production needs Redis (tthc.E007): the embedded filesystem broker and file
cache are not shared between the web replicas, the workers and beat.

The production settings run in subprocesses with a clean environment, as in
test_deploy.py; the check itself also runs here under the test settings."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from django.core.checks import ERROR

from tests.kernel.test_deploy import production_env, run_python
from tthc_portal.web.checks import embedded_services_configured, redis_check

REDIS = "redis://redis.internal:6379/0"
REDIS_CACHE = "tthc_portal.cache_safety.ResilientRedisCache"


def test_production_check_deploy_refuses_the_embedded_broker_and_cache(tmp_path: Path) -> None:
    env = production_env(tmp_path, secrets.token_urlsafe(48))
    env.pop("REDIS_URL", None)

    result = run_python(["manage.py", "check", "--deploy"], env)

    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "tthc.E007" in output and "REDIS_URL is not set" in output
    assert "filesystem://" in output and "FileBasedCache" in output

    # Settings are read at import: nothing connects to Redis to pass the check.
    result = run_python(["manage.py", "check", "--deploy"], {**env, "REDIS_URL": REDIS})
    assert "tthc.E007" not in result.stdout + result.stderr


def test_a_broker_left_on_the_filesystem_is_refused_even_with_redis_set() -> None:
    found = embedded_services_configured(
        redis_url=REDIS, broker_url="filesystem://", result_backend=REDIS,
        cache_backend=REDIS_CACHE,
    )  # fmt: skip
    assert found == ["the Celery broker is the embedded filesystem:// transport"]
    assert embedded_services_configured(
        redis_url=REDIS, broker_url=REDIS, result_backend=REDIS, cache_backend=REDIS_CACHE
    ) == []  # fmt: skip


@pytest.mark.parametrize("required", [True, False])
def test_the_check_fires_only_where_production_asks_for_redis(settings, required: bool) -> None:
    # The test settings run embedded (local-memory cache), like dev and `make run`.
    settings.REDIS_REQUIRED = required
    errors = redis_check()
    assert [(error.id, error.level) for error in errors] == (
        [("tthc.E007", ERROR)] if required else []
    )
    if required:
        assert "REDIS_URL" in errors[0].hint
