"""``make backup`` then ``make restore`` into an empty installation (a fresh
database and a fresh storage folder, in another process): the applicant fetches
the signed result there, its signature verifies, and the status history is the
same. PostgreSQL under CI=true (pg_dump/pg_restore); SQLite's .backup locally."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from dossiers.models import Status
from dossiers.services.decisions import dossier_approve
from dossiers.services.results import signed_result
from tests.conftest import IN_CI, require
from tests.dossiers.test_result_signing import _at_approval
from tthc_portal.storage.backups import BackupError, backup_verify

# serialized_rollback: a plain transactional test flushes and lets post_migrate
# re-create content types under new ids, which breaks every serialized test after it.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROOT = Path(__file__).resolve().parents[2]
APPLICANT = "001085012345"


def _media(path: Path) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(path)},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _target_database_url() -> tuple[str | None, str | None]:
    """A database that does not exist yet (PostgreSQL) or none (SQLite in the fresh var)."""
    if connection.vendor != "postgresql":
        return None, None
    s = connection.settings_dict
    name = f"{s['NAME']}_restored_{uuid.uuid4().hex[:8]}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}", name


def _drop(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _fresh_env(var_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(TTHC_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="tthc_portal.settings.test")
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _run(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


@pytest.mark.parametrize("store", ["disk", "s3"])
def test_a_backup_restores_into_an_empty_installation(
    request, store, users, workflow_procedure, clock, tmp_path
):
    if IN_CI:
        require(connection.vendor == "postgresql", "the backup test runs on PostgreSQL in CI")
    if store == "s3":
        request.getfixturevalue("s3_storage")  # the source installation's bucket
        source = override_settings()
    else:
        source = override_settings(STORAGES=_media(tmp_path / "media"))
    with source:
        dossier = dossier_approve(
            actor=users["lanhdao.tuphap"],
            dossier=_at_approval(users, workflow_procedure, clock),
        )
        assert dossier.status == Status.RESULT_READY
        with signed_result(dossier).file.open("rb") as handle:
            result_sha256 = hashlib.sha256(handle.read()).hexdigest()
        history = [
            [row.action, row.from_status, row.to_status, row.at.isoformat()]
            for row in dossier.history.order_by("at", "pk")
        ]
        backup_dir = Path(_backup(tmp_path / "backups"))

    manifest = json.loads((backup_dir / "manifest.json").read_text())
    assert manifest["files"]["count"] >= 2  # the draft's successor and the personal copy
    fresh = tmp_path / "fresh-installation"
    database_url, database_name = _target_database_url()
    env = _fresh_env(fresh, database_url)
    if store == "s3":
        env.update(_fresh_bucket(request.getfixturevalue("s3_endpoint")))
    manage = [sys.executable, "manage.py"]
    try:
        _run([*manage, "backup_restore", str(backup_dir)], env)
        assert _restored_names(request, store, fresh, env) == _backed_up_names(backup_dir)

        probe = json.loads(
            _run([sys.executable, "tests/ops/restored_probe.py", str(dossier.pk), APPLICANT], env)
            .stdout.strip()
            .splitlines()[-1]
        )
        assert probe["status_code"] == 200 and probe["sha256"] == result_sha256
        assert probe["signed"] and probe["intact"] and probe["trusted"] and probe["valid"]
        assert "Sở Tư pháp" in probe["signer"]
        assert probe["dossier_status"] == Status.RESULT_READY
        assert probe["history"] == history

        # The restored installation is no longer empty: a second restore is refused.
        again = subprocess.run(
            [*manage, "backup_restore", str(backup_dir)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert again.returncode != 0 and "not empty" in again.stderr
        # --force replaces it (schema dropped and reloaded, files overwritten).
        _run([*manage, "backup_restore", str(backup_dir), "--force"], env)
        assert _restored_names(request, store, fresh, env) == _backed_up_names(backup_dir)
    finally:
        if database_name:
            _drop(database_name)

    # A backup whose file changed on its disk is refused before anything is touched.
    damaged = backup_dir / "files" / sorted(_backed_up_names(backup_dir))[0]
    damaged.write_bytes(damaged.read_bytes() + b"x")
    with pytest.raises(BackupError, match="does not match its checksum"):
        backup_verify(backup_dir)


def _backup(root: Path) -> str:
    import io

    out = io.StringIO()
    call_command("backup_create", "--output", str(root), stdout=out, stderr=io.StringIO())
    return out.getvalue().strip().splitlines()[-1]


def _fresh_bucket(endpoint) -> dict[str, str]:
    bucket = f"tthc-restored-{uuid.uuid4().hex[:12]}"
    endpoint.client().create_bucket(Bucket=bucket)
    return {
        "TTHC_S3_BUCKET": bucket,
        "TTHC_S3_ENDPOINT_URL": endpoint.url,
        "TTHC_S3_ACCESS_KEY": endpoint.access_key,
        "TTHC_S3_SECRET_KEY": endpoint.secret_key,
    }


def _backed_up_names(backup_dir: Path) -> set[str]:
    lines = (backup_dir / "files.jsonl").read_text().splitlines()
    return {json.loads(line)["name"] for line in lines}


def _restored_names(request, store: str, fresh: Path, env: dict[str, str]) -> set[str]:
    if store == "s3":
        s3 = request.getfixturevalue("s3_endpoint").client()
        listing = s3.list_objects_v2(Bucket=env["TTHC_S3_BUCKET"]).get("Contents", [])
        return {entry["Key"] for entry in listing}
    root = fresh / "test-media"
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
