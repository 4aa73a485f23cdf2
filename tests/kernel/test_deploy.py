"""Deployment: production settings, security headers, container files.

The production settings module refuses to import without a real SECRET_KEY,
so everything that loads it runs in a subprocess with a clean environment.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
HOST = "tthc.example.gov.vn"
SERVICES = {
    "web", "web2", "lb", "beat", "postgres", "redis", "worker-default", "worker-sync",
    "worker-documents", "worker-notifications", "worker-indicators", "worker-sweeps",
}  # fmt: skip
APP_SERVICES = ("web", "web2", "worker-default", "worker-documents", "beat")
# Subprocesses start from a minimal environment: a developer's shell or
# another test (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for the session)
# must not change what the production settings do.
INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "SYSTEMROOT")


def base_env() -> dict[str, str]:
    return {name: os.environ[name] for name in INHERITED if name in os.environ}


HEADERS_SCRIPT = f"""
import json

import django

django.setup()
from django.test import Client

client = Client(HTTP_HOST={HOST!r})
plain = client.get("/")
secure = client.get("/", secure=True)
proxied = client.get("/", HTTP_X_FORWARDED_PROTO="https")
print(json.dumps({{
    "plain": [plain.status_code, plain.headers.get("Location", "")],
    "secure": [secure.status_code, dict(secure.headers)],
    "proxied": [proxied.status_code, dict(proxied.headers)],
    "cookies": {{name: dict(c) for name, c in secure.cookies.items()}},
}}))
"""


def production_env(tmp_path: Path, secret_key: str | None) -> dict[str, str]:
    env = base_env()
    env.update(
        DJANGO_SETTINGS_MODULE="tthc_portal.settings.production",
        ALLOWED_HOSTS=HOST,
        TTHC_VAR_DIR=str(tmp_path / "var"),
        PYTHONDONTWRITEBYTECODE="1",
        OIDC_DISCOVERY_URL="https://sso.dichvucong.gov.vn/.well-known/openid-configuration",
        OIDC_CLIENT_ID="tthc-portal",
        OIDC_CLIENT_SECRET="issued-by-the-operator",
        # Real backends: production refuses the demo ones (tthc_portal/web/checks.py).
        TTHC_PAYMENT_GATEWAY="integrations.paygov.gateway.PayGovGateway",
        TTHC_SIGNING_BACKEND="tthc_portal.signing.backends.PKCS12Backend",
        TTHC_SIGNING_PKCS12_DIR=str(tmp_path / "pkcs12"),
        TTHC_SIGNING_PKCS12_PASSPHRASE="issued-with-the-certificates",
        TTHC_SIGNING_TRUST_ROOTS=str(tmp_path / "pkcs12" / "root-ca.pem"),
        SMS_GATEWAY="tthc_portal.notifications.gateways.HttpJsonSMSGateway",
        SMS_GATEWAY_URL="https://sms.example.vn/api/send",
        SMS_GATEWAY_TOKEN="issued-by-the-sms-provider",
        TTHC_NATIONAL_HUB_URL="https://dichvucong.gov.vn/lgsp",
        # Production requires Redis (tthc.E007); a closed port: nothing here connects.
        REDIS_URL="redis://127.0.0.1:9/0",
    )
    if secret_key is not None:
        env["SECRET_KEY"] = secret_key
    return env


def run_python(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def strong_key() -> str:
    key = secrets.token_urlsafe(48)
    assert len(key) == 64
    return key


def test_check_deploy_reports_no_issues(tmp_path: Path, strong_key: str) -> None:
    result = run_python(["manage.py", "check", "--deploy"], production_env(tmp_path, strong_key))

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in result.stdout, output
    assert "WARNINGS" not in output
    assert "security.W" not in output


def test_check_deploy_warns_when_citizens_cannot_sign_in(tmp_path: Path, strong_key: str) -> None:
    env = production_env(tmp_path, strong_key)
    for name in ("OIDC_DISCOVERY_URL", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"):
        del env[name]
    result = run_python(["manage.py", "check", "--deploy"], env)
    assert "accounts.W001" in result.stdout + result.stderr

    env.update(OIDC_DISCOVERY_URL="http://sso.example/.well-known/openid-configuration",
               OIDC_CLIENT_ID="tthc-portal")  # fmt: skip
    result = run_python(["manage.py", "check", "--deploy"], env)
    output = result.stdout + result.stderr
    assert "accounts.W002" in output and "accounts.W003" in output


@pytest.mark.parametrize(
    "secret_key",
    [
        pytest.param("x" * 49, id="too-short"),
        pytest.param(None, id="unset-falls-back-to-dev-key"),
        pytest.param("dev-only-" + "a" * 60, id="dev-prefix"),
    ],
)
def test_production_refuses_a_weak_secret_key(tmp_path: Path, secret_key: str | None) -> None:
    result = run_python(["manage.py", "check"], production_env(tmp_path, secret_key))

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_wsgi_defaults_to_production_settings(tmp_path: Path, strong_key: str) -> None:
    """gunicorn started without DJANGO_SETTINGS_MODULE must not serve dev settings."""
    env = production_env(tmp_path, strong_key)
    del env["DJANGO_SETTINGS_MODULE"]
    script = (
        "import tthc_portal.wsgi\n"
        "from django.conf import settings\n"
        "print(settings.SETTINGS_MODULE, settings.DEBUG)"
    )

    result = run_python(["-c", script], env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["tthc_portal.settings.production", "False"]


def test_production_responses_carry_security_headers(tmp_path: Path, strong_key: str) -> None:
    result = run_python(["-c", HEADERS_SCRIPT], production_env(tmp_path, strong_key))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])

    # Plain HTTP is redirected to HTTPS.
    status, location = report["plain"]
    assert status == 301
    assert location == f"https://{HOST}/"

    # Behind the TLS proxy (X-Forwarded-Proto) and on HTTPS the page is served
    # with HSTS, CSP and the other hardening headers.
    for key in ("secure", "proxied"):
        status, headers = report[key]
        assert status == 200, key
        hsts = headers["Strict-Transport-Security"]
        assert "max-age=31536000" in hsts
        assert "includeSubDomains" in hsts
        assert "preload" in hsts
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "object-src 'none'" in csp
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin"

    csrf_cookie = report["cookies"]["csrftoken"]
    assert csrf_cookie["secure"] is True
    assert csrf_cookie["httponly"] is True


def compose(
    docker_compose_bin: str, tmp_path: Path, *args: str, **variables: str
) -> subprocess.CompletedProcess[str]:
    """Run docker-compose with only ``variables`` set for interpolation.

    An empty --env-file keeps a developer's .env from changing the outcome.
    """
    env_file = tmp_path / "empty.env"
    env_file.write_text("")
    env = base_env()
    # The object store's secret is demanded like SECRET_KEY; given here so each
    # test checks only what it is about.
    env["TTHC_S3_SECRET_KEY"] = "minio-test-secret"
    env.update(variables)
    return subprocess.run(
        [docker_compose_bin, "--env-file", str(env_file), *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_docker_compose_config_is_valid(
    docker_compose_bin: str, tmp_path: Path, strong_key: str
) -> None:
    quiet = compose(docker_compose_bin, tmp_path, "config", "-q", SECRET_KEY=strong_key)
    assert quiet.returncode == 0, quiet.stderr

    full = compose(docker_compose_bin, tmp_path, "config", SECRET_KEY=strong_key)
    assert full.returncode == 0, full.stderr
    config = yaml.safe_load(full.stdout)
    services = config["services"]
    assert set(services) >= SERVICES

    for name in APP_SERVICES:
        environment = services[name]["environment"]
        assert environment["DJANGO_SETTINGS_MODULE"] == "tthc_portal.settings.production"
        assert environment["DATABASE_URL"] == "postgres://tthc:tthc@postgres:5432/tthc"
        assert environment["REDIS_URL"] == "redis://redis:6379/0"
        assert environment["SECRET_KEY"] == strong_key
        assert environment["SECURE_SSL_REDIRECT"] == "true"
        assert "ALLOWED_HOSTS" in environment
        # Stateless: no shared var/ volume (tests/ops_queues/test_compose_stateless.py).
        assert not any(str(volume).startswith("var:") for volume in services[name]["volumes"])

    assert "gunicorn" in services["web"]["command"]
    assert "tthc_portal.wsgi:application" in services["web"]["command"]
    assert services["worker-default"]["command"][:4] == ["celery", "-A", "tthc_portal", "worker"]
    beat = services["beat"]["command"]
    assert beat[:4] == ["celery", "-A", "tthc_portal", "beat"]
    assert beat[beat.index("-s") + 1] == "/app/var/celerybeat-schedule"

    assert services["postgres"]["image"] == "postgres:15"  # the image's pg_dump is 15
    # Documents in the private MinIO bucket, created before migrations run.
    assert services["web"]["environment"]["TTHC_S3_ENDPOINT_URL"] == "http://minio:9000"
    assert services["migrate"]["depends_on"]["minio-setup"] == {
        "condition": "service_completed_successfully"
    }
    assert "minio-data:/data" in " ".join(map(str, services["minio"]["volumes"]))
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert services["redis"]["image"].startswith("redis:7")
    assert "postgres-data" in config["volumes"] and "var" not in config["volumes"]

    # Migrations run once, before the processes that need the schema.
    assert "migrate" in " ".join(services["migrate"]["command"])
    for name in APP_SERVICES:
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
    assert services["migrate"]["depends_on"]["postgres"] == {"condition": "service_healthy"}

    # Prometheus scrapes the web service, which lets only the compose network read /metrics.
    assert services["prometheus"]["image"].startswith("prom/prometheus")
    assert services["web"]["environment"]["TTHC_METRICS_ALLOWED"] == "172.16.0.0/12"
    scrape = yaml.safe_load((REPO / "deploy" / "prometheus.yml").read_text())
    assert scrape["scrape_configs"][0]["static_configs"][0]["targets"] == ["web:8000", "web2:8000"]


def test_docker_compose_demands_a_secret_key(docker_compose_bin: str, tmp_path: Path) -> None:
    result = compose(docker_compose_bin, tmp_path, "config", "-q")

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_docker_compose_ssl_redirect_is_overridable(
    docker_compose_bin: str, tmp_path: Path, strong_key: str
) -> None:
    result = compose(
        docker_compose_bin,
        tmp_path,
        "config",
        SECRET_KEY=strong_key,
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS=HOST,
    )

    assert result.returncode == 0, result.stderr
    web = yaml.safe_load(result.stdout)["services"]["web"]
    assert web["environment"]["SECURE_SSL_REDIRECT"] == "false"
    assert web["environment"]["ALLOWED_HOSTS"] == HOST


def test_dockerfile_builds_a_non_root_production_image() -> None:
    dockerfile = (REPO / "Dockerfile").read_text()
    lines = (line.strip() for line in dockerfile.splitlines())
    instructions = [line for line in lines if line and not line.startswith("#")]

    assert instructions[0] == "FROM python:3.11-slim-bookworm"
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libmagic1", "fonts-dejavu-core"):
        assert package in dockerfile
    assert "pip install" in dockerfile
    assert "collectstatic --noinput" in dockerfile
    assert "DJANGO_SETTINGS_MODULE=tthc_portal.settings.production" in dockerfile
    # The build-time key lives only inside one RUN step, never in ENV/ARG.
    assert not [s for s in instructions if s.startswith(("ENV", "ARG")) and "SECRET_KEY" in s]
    users = [s for s in instructions if s.startswith("USER ")]
    assert users and users[-1] not in {"USER root", "USER 0"}
    cmd = next(s for s in instructions if s.startswith("CMD "))
    assert json.loads(cmd.removeprefix("CMD ")) == [
        "gunicorn",
        "tthc_portal.wsgi:application",
        "--bind",
        "0.0.0.0:8000",
        "--access-logfile",
        "-",
    ]


def test_dockerignore_keeps_local_state_out_of_the_image() -> None:
    ignored = {
        line.strip()
        for line in (REPO / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".venv", "var", ".git", ".env"} <= ignored
