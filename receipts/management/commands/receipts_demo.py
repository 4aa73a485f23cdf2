"""Wire the demo province to the local receipt provider simulator (make run)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from receipts.demo import DEMO_PASSWORD, DEMO_USERNAME, demo_receipts_setup
from receipts.simulator import ReceiptProviderControl


class Command(BaseCommand):
    help = "Cấu hình nhà cung cấp biên lai điện tử mô phỏng và dải số biên lai để dùng thử."

    def add_arguments(self, parser) -> None:
        # TTHC_RECEIPT_PROVIDER_URL; refused in production (tthc.E006) unless a demonstration.
        default = settings.TTHC.get("RECEIPT_PROVIDER_URL") or "http://127.0.0.1:8300"
        parser.add_argument("--provider-url", default=default)
        parser.add_argument("--wait", type=float, default=15.0, help="giây chờ bộ mô phỏng")

    def handle(self, *args, provider_url: str, wait: float, **options) -> None:
        control = ReceiptProviderControl(provider_url, timeout=2)
        deadline = time.monotonic() + wait
        while True:
            try:
                control.configure(accounts={DEMO_USERNAME: DEMO_PASSWORD})
                break
            except OSError as exc:
                if time.monotonic() > deadline:
                    raise CommandError(
                        f"Bộ mô phỏng biên lai không trả lời tại {provider_url}"
                    ) from exc
                time.sleep(0.2)
        summary = demo_receipts_setup(provider_url)
        self.stdout.write(
            f"Biên lai điện tử mô phỏng: {provider_url} — {summary['agencies']} cơ quan, "
            f"{summary['series_created']} dải số mới."
        )
