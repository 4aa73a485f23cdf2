"""Import procedures from a JSON file (procedures-sample.json shape) or a CSV file.

    manage.py import_procedures tthc_portal/data/procedures-sample.json --publish-new
    manage.py import_procedures danh-muc.csv --format csv

A known procedure whose content changed gets a new *draft* version for its
owner to review; the published version is never touched. Identical rows are
skipped, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from procedures.services.importing import csv_to_rows, procedures_import
from tthc_portal.agencies.models import Agency

FORMATS = ("json", "csv")


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise CommandError(f"Không tìm thấy tệp {path}.") from exc
    except IsADirectoryError as exc:
        raise CommandError(f"{path} là một thư mục, không phải tệp.") from exc
    except UnicodeDecodeError as exc:
        raise CommandError(
            f"Tệp {path} không được mã hóa UTF-8 (byte lỗi ở vị trí {exc.start})."
        ) from exc


def json_rows(text: str, path: Path) -> list[dict[str, Any]]:
    """The rows of a JSON file: ``{"procedures": [...]}`` or a bare list."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CommandError(
            f"Tệp {path} không phải JSON hợp lệ: lỗi ở dòng {exc.lineno}, cột {exc.colno} "
            f"({exc.msg})."
        ) from exc
    rows = data.get("procedures") if isinstance(data, dict) else data
    if not isinstance(rows, list):
        raise CommandError(
            f"Tệp {path} phải chứa một danh sách thủ tục, hoặc một đối tượng có khóa "
            "“procedures” là danh sách thủ tục."
        )
    for index, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise CommandError(
                f"Thủ tục thứ {index} trong tệp {path} không phải là một đối tượng JSON."
            )
    return rows


def csv_rows(text: str, path: Path) -> list[dict[str, Any]]:
    try:
        return csv_to_rows(text)
    except (ValueError, csv.Error) as exc:
        raise CommandError(f"Tệp CSV {path} không hợp lệ: {exc}") from exc


class Command(BaseCommand):
    help = (
        "Nhập danh mục thủ tục hành chính từ tệp JSON (cấu trúc procedures-sample.json) "
        "hoặc CSV. Thủ tục đã có mà nội dung thay đổi được tạo phiên bản dự thảo mới."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Đường dẫn tệp cần nhập.")
        parser.add_argument(
            "--format",
            choices=FORMATS,
            help="Định dạng tệp (mặc định: theo phần mở rộng, .csv là CSV, còn lại là JSON).",
        )
        parser.add_argument(
            "--publish-new",
            action="store_true",
            help="Công bố ngay các thủ tục mới (dùng khi khởi tạo danh mục).",
        )
        parser.add_argument(
            "--user",
            help="Tên đăng nhập của người thực hiện, ghi vào nhật ký (mặc định: hệ thống).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        fmt = options["format"] or ("csv" if path.suffix.lower() == ".csv" else "json")
        actor = self._actor(options.get("user"))
        if not Agency.objects.filter(parent__isnull=True).exists():
            raise CommandError(
                "Chưa có cơ quan gốc (UBND tỉnh). Hãy tạo cây cơ quan trước khi nhập "
                "(ví dụ: manage.py seed_demo)."
            )
        text = read_text(path)
        rows = csv_rows(text, path) if fmt == "csv" else json_rows(text, path)
        report = procedures_import(rows, actor=actor, publish_new=options["publish_new"])

        self.stdout.write(f"Nhập danh mục thủ tục từ {path} ({len(rows)} dòng):")
        self.stdout.write(f"  Thủ tục mới: {report.created}")
        self.stdout.write(
            f"  Phiên bản dự thảo mới (thủ tục đã có, nội dung thay đổi): {report.drafted}"
        )
        self.stdout.write(f"  Không thay đổi: {report.unchanged}")
        self.stdout.write(f"  Lỗi: {len(report.errors)}")
        for error in report.errors:
            self.stderr.write(f"  - {error}")
        if report.errors:
            raise CommandError(
                f"Có {len(report.errors)} dòng lỗi (các dòng khác đã được nhập). "
                "Sửa các dòng trên rồi nhập lại tệp."
            )
        self.stdout.write(self.style.SUCCESS("Hoàn tất."))

    def _actor(self, username: str | None):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có tài khoản “{username}”.")
        return user
