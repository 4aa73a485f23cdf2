"""Copy every file from one store to another and verify each one (disk → S3).

Idempotent and resumable: a file already in the target with the same digest is
skipped, so a run stopped half-way is simply started again. An upload is atomic
on S3 (the object appears only once complete), so a stop never leaves half a
file. A target object whose digest differs is reported and left alone: an
operator decides, the command never overwrites evidence.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files import File
from django.core.files.storage import Storage

from .inventory import recorded_sha256, storage_names, stored_file_sha256

logger = logging.getLogger("tthc_portal.storage")

PROGRESS_EVERY = 500


@dataclass
class MigrationReport:
    seen: int = 0
    copied: int = 0
    already_there: int = 0
    bytes_copied: int = 0
    mismatches: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches and not self.errors

    def line(self) -> str:
        return (
            f"seen={self.seen} copied={self.copied} already_there={self.already_there} "
            f"bytes={self.bytes_copied} mismatches={len(self.mismatches)} errors={len(self.errors)}"
        )


def storage_migrate(
    *,
    source: Storage,
    target: Storage,
    dry_run: bool = False,
    progress: Callable[[MigrationReport], None] | None = None,
) -> MigrationReport:
    """Copy and verify; ``dry_run`` hashes the source and checks the target only."""
    report = MigrationReport()
    for name in storage_names(source):
        report.seen += 1
        try:
            _migrate_one(name, source=source, target=target, dry_run=dry_run, report=report)
        except OSError as exc:  # ChecksumMismatch included: a damaged source file
            logger.error("storage.migrate_error object=%s: %s", name, exc, extra={"object": name})
            report.errors.append(f"{name}: {exc}")
        if progress and report.seen % PROGRESS_EVERY == 0:
            progress(report)
    if progress:
        progress(report)
    return report


def _migrate_one(
    name: str, *, source: Storage, target: Storage, dry_run: bool, report: MigrationReport
) -> None:
    expected, size = stored_file_sha256(source, name)
    if target.exists(name):
        if recorded_sha256(target, name) == expected:
            report.already_there += 1
        else:
            logger.error("storage.migrate_mismatch object=%s", name, extra={"object": name})
            report.mismatches.append(name)
        return
    if dry_run:
        report.copied += 1  # would copy
        report.bytes_copied += size
        return
    with source.open(name, "rb") as handle:
        saved = target.save(name, File(handle, name=name))
    if saved != name:
        # Someone wrote the name between exists() and save(): keep both, report.
        report.errors.append(f"{name}: stored as {saved}")
        return
    # Read back through the target: its recorded digest and its bytes.
    if recorded_sha256(target, name) != expected or stored_file_sha256(target, name)[0] != expected:
        logger.error("storage.migrate_mismatch object=%s", name, extra={"object": name})
        report.mismatches.append(name)
        return
    report.copied += 1
    report.bytes_copied += size
