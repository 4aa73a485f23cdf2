"""Wire the demo province and the local national-hub simulator to each other."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from integrations.demo import demo_hub_setup
from integrations.simulator import HubControl


class Command(BaseCommand):
    help = "Cấu hình cổng tỉnh và bộ mô phỏng Cổng DVCQG cục bộ để dùng thử (make run)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--hub-url", default="http://127.0.0.1:8100")
        parser.add_argument("--site-url", default=settings.TTHC["SITE_URL"])
        parser.add_argument("--wait", type=float, default=15.0, help="giây chờ bộ mô phỏng")

    def handle(self, *args, hub_url: str, site_url: str, wait: float, **options) -> None:
        control = HubControl(hub_url)
        try:
            HubControl.wait_until(lambda: _healthy(control), timeout=wait, interval=0.2)
        except TimeoutError as exc:
            raise CommandError(f"Bộ mô phỏng không trả lời tại {hub_url}") from exc
        summary = demo_hub_setup(hub_url, site_url)
        self.stdout.write(
            f"Cổng DVCQG mô phỏng: {hub_url} — {summary['procedures']} thủ tục, "
            f"{summary['units']} đơn vị; hồ sơ nộp tại {hub_url}/cong-dvc/ được đẩy về {site_url}."
        )


def _healthy(control: HubControl) -> bool:
    try:
        return bool(control.health())
    except OSError:
        return False
