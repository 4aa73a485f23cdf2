"""Backups that restore: the database dump plus every stored file, with checksums.

A backup is a directory ``<root>/<UTC timestamp>/``::

    manifest.json   engine, times, the dump's and files.jsonl's SHA-256, counts
    database.dump   pg_dump -Fc (PostgreSQL) or a SQLite database file
    files.jsonl     one {"name", "size", "sha256"} per stored file
    files/<name>    the files themselves

The dump is taken first, then the files: files are write-once under random
names, so every file the dump refers to is already in the store when it is
copied (a file added during the copy is an extra, harmless). The directory is
written as ``.partial`` and renamed last, so an interrupted backup never looks
complete. Secrets (SECRET_KEY, signing KEY_SECRET) are not in a backup: the
signing keys in the dump open only with them, so they are kept apart.

Restoring checks every checksum in the backup before it touches anything,
refuses a target that already has tables or files unless ``force``, loads the
dump, copies the files and reads each one back through the target store.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.core.files import File
from django.core.files.storage import Storage

from .database import database_dump, database_engine_label, database_is_empty, database_load
from .inventory import copy_hashing, recorded_sha256, storage_names

MANIFEST = "manifest.json"
DUMP = "database.dump"
FILE_LIST = "files.jsonl"
FILES = "files"
FORMAT = 1

Progress = Callable[[str], None]


class BackupError(RuntimeError):
    pass


@dataclass(frozen=True)
class BackupResult:
    path: Path
    files: int
    bytes: int
    seconds: float


def _file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return copy_hashing(handle)[0]


def _safe_target(root: Path, name: str) -> Path:
    target = (root / name).resolve()
    if not target.is_relative_to(root.resolve()):
        raise BackupError(f"Refusing a file name outside the backup: {name!r}")
    return target


def backup_create(
    root: Path, *, storage: Storage, alias: str = "default", progress: Progress | None = None
) -> BackupResult:
    started = time.monotonic()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    final = root / stamp
    work = root / f"{stamp}.partial"
    if final.exists() or work.exists():
        raise BackupError(f"{final} already exists")
    (work / FILES).mkdir(parents=True)
    say = progress or (lambda _line: None)

    say("database: dumping")
    database_dump(work / DUMP, alias)
    count = total = 0
    with (work / FILE_LIST).open("w", encoding="utf-8") as listing:
        for name in storage_names(storage):
            target = _safe_target(work / FILES, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            # Reading through the store verifies the object's own checksum (S3).
            with storage.open(name, "rb") as source, target.open("wb") as copy:
                sha256, size = copy_hashing(source, copy)
            listing.write(json.dumps({"name": name, "size": size, "sha256": sha256}) + "\n")
            count, total = count + 1, total + size
            if count % 500 == 0:
                say(f"files: {count} ({total} bytes)")
    say(f"files: {count} ({total} bytes)")
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(),
        "engine": database_engine_label(alias),
        "database": {"file": DUMP, "sha256": _file_sha256(work / DUMP)},
        "files": {"list": FILE_LIST, "sha256": _file_sha256(work / FILE_LIST),
                  "count": count, "bytes": total},
    }  # fmt: skip
    (work / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    work.rename(final)
    return BackupResult(final, count, total, time.monotonic() - started)


def _read_manifest(source: Path) -> dict:
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source} has no readable {MANIFEST}: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}")
    return manifest


def _file_entries(source: Path) -> Iterator[dict]:
    with (source / FILE_LIST).open(encoding="utf-8") as listing:
        for line in listing:
            if line.strip():
                yield json.loads(line)


def backup_verify(source: Path, progress: Progress | None = None) -> dict:
    """Every checksum of the backup itself; raises ``BackupError`` on the first bad one."""
    say = progress or (lambda _line: None)
    manifest = _read_manifest(source)
    for part in ("database", "files"):
        recorded = manifest[part]["sha256"]
        path = source / manifest[part]["file" if part == "database" else "list"]
        if not path.exists() or _file_sha256(path) != recorded:
            raise BackupError(f"{path.name} does not match its checksum in {MANIFEST}")
    for index, entry in enumerate(_file_entries(source), start=1):
        path = _safe_target(source / FILES, entry["name"])
        if not path.exists() or _file_sha256(path) != entry["sha256"]:
            raise BackupError(f"files/{entry['name']} does not match its checksum")
        if index % 500 == 0:
            say(f"verified: {index} files")
    return manifest


def backup_restore(
    source: Path,
    *,
    storage: Storage,
    alias: str = "default",
    force: bool = False,
    jobs: int = 2,
    progress: Progress | None = None,
) -> BackupResult:
    started = time.monotonic()
    say = progress or (lambda _line: None)
    manifest = backup_verify(source, say)
    if manifest["engine"] != database_engine_label(alias):
        raise BackupError(
            f"The backup is of {manifest['engine']}; the target is {database_engine_label(alias)}"
        )
    database_empty = database_is_empty(alias)
    store_empty = next(iter(storage_names(storage)), None) is None
    if not force and not (database_empty and store_empty):
        raise BackupError(
            "The target installation is not empty (database tables or stored files exist); "
            "restore only into an empty one, or pass --force to overwrite it."
        )
    say("database: loading")
    database_load(source / DUMP, alias=alias, wipe=not database_empty, jobs=jobs)
    count = total = 0
    for entry in _file_entries(source):
        name = entry["name"]
        if storage.exists(name):
            storage.delete(name)  # only with force: the emptiness check passed otherwise
        with _safe_target(source / FILES, name).open("rb") as handle:
            saved = storage.save(name, File(handle, name=name))
        if saved != name or recorded_sha256(storage, name) != entry["sha256"]:
            raise BackupError(f"{name} did not arrive intact in the target store")
        count, total = count + 1, total + entry["size"]
        if count % 500 == 0:
            say(f"files: {count} restored")
    say(f"files: {count} restored ({total} bytes)")
    return BackupResult(source, count, total, time.monotonic() - started)
