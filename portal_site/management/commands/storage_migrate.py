"""Copy every file from the local disk to the configured object store, verified.

    manage.py storage_migrate [--source var/private-media] [--dry-run]

Safe to run again (files already there with the same SHA-256 are skipped) and
to stop at any time. Exits non-zero when a checksum differs or a file fails.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.management.base import BaseCommand, CommandError

from tthc_portal.storage.migrate import MigrationReport, storage_migrate


class Command(BaseCommand):
    help = "Chuyển tệp từ ổ đĩa cục bộ sang kho đối tượng (S3) và kiểm tra từng mã băm."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--source",
            type=Path,
            default=Path(settings.VAR_DIR) / "private-media",
            help="the filesystem folder to copy from (default var/private-media)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="hash and compare only, copy nothing"
        )

    def handle(self, *args, source: Path, dry_run: bool, **options) -> None:
        if not source.is_dir():
            raise CommandError(f"{source} is not a folder")
        target = storages["default"]
        if not hasattr(target, "bucket_name"):
            raise CommandError("The default storage is not an object store: set TTHC_S3_BUCKET.")
        prefix = "[dry run] " if dry_run else ""

        def progress(report: MigrationReport) -> None:
            self.stdout.write(f"{prefix}{report.line()}")

        report = storage_migrate(
            source=FileSystemStorage(location=source),
            target=target,
            dry_run=dry_run,
            progress=progress,
        )
        for name in report.mismatches:
            self.stderr.write(f"checksum mismatch: {name}")
        for line in report.errors:
            self.stderr.write(f"error: {line}")
        if not report.ok:
            raise CommandError(f"{prefix}finished with problems: {report.line()}")
        self.stdout.write(self.style.SUCCESS(f"{prefix}done: {report.line()}"))
