"""Rebuild an empty installation from a backup made by ``backup_create``.

    manage.py backup_restore DIR [--force] [--jobs N]   (make restore, scripts/restore)

Verifies every checksum in DIR first, then creates the database if it does not
exist, loads the dump, and copies the files into the configured store, checking
each one there. A target with tables or files is refused unless --force (which
replaces the database schema and overwrites files of the same name).
"""

from __future__ import annotations

from pathlib import Path

from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError

from tthc_portal.storage.backups import BackupError, backup_restore
from tthc_portal.storage.database import DatabaseToolError


class Command(BaseCommand):
    help = "Khôi phục một bản cài đặt trống từ bản sao lưu."

    def add_arguments(self, parser) -> None:
        parser.add_argument("source", type=Path, help="a backup folder (…/backups/<timestamp>)")
        parser.add_argument(
            "--force", action="store_true", help="overwrite a target that is not empty"
        )
        parser.add_argument("--jobs", type=int, default=2, help="pg_restore parallel jobs")

    def handle(self, *args, source: Path, force: bool, jobs: int, **options) -> None:
        try:
            result = backup_restore(
                source,
                storage=storages["default"],
                force=force,
                jobs=jobs,
                progress=lambda line: self.stderr.write(line),
            )
        except (BackupError, DatabaseToolError, OSError) as exc:
            raise CommandError(f"Restore failed: {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"restored {source}: {result.files} files, {result.bytes} bytes, "
                f"{result.seconds:.1f} s"
            )
        )
