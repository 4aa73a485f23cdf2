"""Run the local national-hub simulator (DVCQG/LGSP, PayGov, data store, portal page).

    manage.py run_national_hub --port 8100 --host 127.0.0.1 --state var/national-hub.json
    manage.py run_national_hub --config hub-config.json --catalogue thu-tuc.json --verbose

It only starts ``integrations.simulator``: no database, no Django settings are used, so it
behaves exactly like ``python -m integrations.simulator``.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from integrations.simulator.server import serve


class Command(BaseCommand):
    help = "Chạy máy mô phỏng trục liên thông quốc gia (DVCQG/LGSP, PayGov, kho dữ liệu)."
    requires_system_checks: list[str] = []  # nothing of the portal is needed
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Địa chỉ lắng nghe.")
        parser.add_argument("--port", type=int, default=8100, help="Cổng (mặc định 8100).")
        parser.add_argument(
            "--state",
            default="var/national-hub.json",
            help="Tệp trạng thái JSON (nạp khi khởi động, ghi lại khi dừng).",
        )
        parser.add_argument("--config", default="", help="Tệp cấu hình JSON (units, …).")
        parser.add_argument("--catalogue", default="", help="Tệp JSON: danh sách LayThuTuc.")
        parser.add_argument("--verbose", action="store_true", help="Ghi một dòng mỗi yêu cầu.")

    def handle(self, *args: Any, **options: Any) -> None:
        serve(
            host=options["host"],
            port=options["port"],
            state_path=options["state"] or None,
            config_path=options["config"] or None,
            catalogue_path=options["catalogue"] or None,
            verbose=options["verbose"],
        )
