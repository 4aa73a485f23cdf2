"""docker-compose runs two web replicas behind a load balancer, and no service
mounts a volume another service writes to (only the database, Redis, the object
store and Prometheus own a volume, each alone): nothing a request or a job
needs lives on one server's disk."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
STRONG_KEY = "k" * 64
# Services whose data directory is their own volume.
VOLUME_OWNERS = {"postgres", "redis", "minio", "prometheus"}


def _mounts(service: dict) -> list[tuple[str, str, bool]]:
    """(source, target, read_only) of each mount, short or long syntax."""
    mounts = []
    for entry in service.get("volumes", []):
        if isinstance(entry, dict):
            mounts.append(
                (str(entry.get("source", "")), entry["target"], bool(entry.get("read_only")))
            )
            continue
        # An interpolation such as ${DIR:-./deploy} holds colons of its own.
        parts = re.sub(r"\$\{[^}]*\}", lambda m: m.group(0).replace(":", "\0"), entry).split(":")
        parts = [part.replace("\0", ":") for part in parts]
        if len(parts) == 1:  # anonymous volume: private to the container
            continue
        options = parts[2].split(",") if len(parts) > 2 else []
        mounts.append((parts[0], parts[1], "ro" in options))
    return mounts


def _shared_writable_volumes(services: dict) -> list[str]:
    problems = []
    users: dict[str, list[tuple[str, bool]]] = {}
    for name, service in services.items():
        for source, _target, read_only in _mounts(service):
            users.setdefault(source, []).append((name, read_only))
    for source, mounted_by in users.items():
        writers = {name for name, read_only in mounted_by if not read_only}
        names = {name for name, _ in mounted_by}
        if writers and len(names) > 1:
            problems.append(f"{source}: written by {sorted(writers)}, mounted by {sorted(names)}")
        for writer in writers:
            if writer not in VOLUME_OWNERS:
                problems.append(f"{source}: {writer} writes to a disk of its own")
    return problems


def _services() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())["services"]


def _web_replicas(services: dict) -> list[str]:
    return sorted(
        name
        for name, service in services.items()
        if "tthc_portal.wsgi:application" in service.get("command", [])
    )


def test_no_application_service_writes_to_a_shared_or_local_volume() -> None:
    services = _services()
    assert _shared_writable_volumes(services) == []
    config = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    assert "var" not in config.get("volumes", {})


def test_the_check_catches_a_shared_var_volume() -> None:
    services = {
        "web": {"volumes": ["var:/app/var"]},
        "worker": {"volumes": ["var:/app/var"]},
        "postgres": {"volumes": ["postgres-data:/var/lib/postgresql/data"]},
        "lb": {"volumes": ["./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro"]},
    }
    problems = _shared_writable_volumes(services)
    assert problems and all(problem.startswith("var:") for problem in problems)


def test_two_web_replicas_behind_the_load_balancer_and_prometheus() -> None:
    services = _services()
    replicas = _web_replicas(services)
    assert len(replicas) >= 2, replicas
    assert {"ports"} & set(services["lb"]) and all("ports" not in services[r] for r in replicas)
    nginx = (REPO / "deploy" / "nginx.conf").read_text()
    upstream = set(re.findall(r"^\s*server (\S+?):8000\b", nginx, flags=re.M))
    assert upstream == set(replicas)
    scrape = yaml.safe_load((REPO / "deploy" / "prometheus.yml").read_text())
    targets = scrape["scrape_configs"][0]["static_configs"][0]["targets"]
    assert set(targets) == {f"{name}:8000" for name in replicas}


def test_docker_compose_accepts_the_file(docker_compose_bin: str, tmp_path: Path) -> None:
    env_file = tmp_path / "empty.env"  # a developer's .env changes nothing
    env_file.write_text("")
    env = {key: value for key, value in os.environ.items() if key in {"PATH", "HOME", "LANG"}}
    env["SECRET_KEY"] = STRONG_KEY
    env["TTHC_S3_SECRET_KEY"] = "minio-test-secret"
    result = subprocess.run(
        [docker_compose_bin, "--env-file", str(env_file), "config"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    # The same checks on the file as docker-compose resolved it (anchors, merges).
    assert _shared_writable_volumes(services) == []
    assert len(_web_replicas(services)) >= 2
    workers = [name for name in services if name.startswith("worker-")]
    assert len(workers) == 6, workers
    assert services["beat"]["command"][:4] == ["celery", "-A", "tthc_portal", "beat"]
