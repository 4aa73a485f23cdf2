"""Export the current catalogue (the version in force of each procedure).

    manage.py export_procedures -o danh-muc.json
    manage.py export_procedures --format csv -o danh-muc.csv

The JSON output has the shape of procedures-sample.json, so
``import_procedures`` reads it back.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder

from procedures.services.importing import catalogue_export_rows, rows_to_csv


class Command(BaseCommand):
    help = "Xuất danh mục thủ tục đang áp dụng ra JSON (cấu trúc procedures-sample.json) hoặc CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=("json", "csv"), default="json")
        parser.add_argument(
            "-o", "--output", help="Tệp kết quả (mặc định: in ra màn hình, stdout)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        rows = catalogue_export_rows()
        if options["format"] == "csv":
            text = rows_to_csv(rows)
        else:
            text = json.dumps(
                {"count": len(rows), "procedures": rows},
                cls=DjangoJSONEncoder,
                ensure_ascii=False,
                indent=2,
            )
        output = options.get("output")
        if not output:
            self.stdout.write(text, ending="" if text.endswith("\n") else "\n")
            return
        path = Path(output)
        # Excel needs the BOM to read a UTF-8 CSV; the importer strips it.
        encoding = "utf-8-sig" if options["format"] == "csv" else "utf-8"
        try:
            path.write_text(text, encoding=encoding)
        except OSError as exc:
            raise CommandError(f"Không ghi được tệp {path}: {exc.strerror}.") from exc
        self.stdout.write(self.style.SUCCESS(f"Đã xuất {len(rows)} thủ tục ra {path}."))
