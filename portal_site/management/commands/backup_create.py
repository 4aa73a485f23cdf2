"""Back up the installation: database dump plus every stored file with SHA-256.

    manage.py backup_create [--output DIR]      (make backup, scripts/backup)

Writes ``DIR/<UTC timestamp>/`` (default ``$TTHC_BACKUP_DIR`` or var/backups)
and prints its path last, alone on a line, for scripts.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError

from tthc_portal.storage.backups import BackupError, backup_create
from tthc_portal.storage.database import DatabaseToolError


def default_backup_root() -> Path:
    return Path(os.environ.get("TTHC_BACKUP_DIR") or Path(settings.VAR_DIR) / "backups")


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu và toàn bộ tệp (kèm mã băm SHA-256)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", type=Path, default=None, help="backup root folder")

    def handle(self, *args, output: Path | None, **options) -> None:
        root = output or default_backup_root()
        try:
            result = backup_create(
                root, storage=storages["default"], progress=lambda line: self.stderr.write(line)
            )
        except (BackupError, DatabaseToolError, OSError) as exc:
            raise CommandError(f"Backup failed: {exc}") from exc
        self.stderr.write(
            f"backup complete: {result.files} files, {result.bytes} bytes, {result.seconds:.1f} s"
        )
        self.stdout.write(str(result.path))
