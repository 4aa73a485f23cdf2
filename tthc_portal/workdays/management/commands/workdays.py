"""Working-day arithmetic for staff, from the shell.

manage.py workdays add "2025-01-24 10:00" 5d
manage.py workdays add "2025-04-29 15:20" 0d --cutoff 15:00 --mode whole_day
manage.py workdays between "2025-03-05 14:00" "2025-03-11 10:30"
manage.py workdays load [--file holidays-vn.json]
"""

from __future__ import annotations

from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tthc_portal.workdays import services
from tthc_portal.workdays.calendar import DeadlineMode
from tthc_portal.workdays.forms import parse_amount

REASONS = {"weekend": "cuối tuần", "holiday": "ngày lễ, tết", "day_off": "nghỉ bù / hoán đổi"}
WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]


def _parse_instant(text: str) -> datetime:
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d"):
        try:
            naive = datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
        return timezone.make_aware(naive)
    raise CommandError(f"Không đọc được thời điểm {text!r}; dùng dạng 'YYYY-MM-DD HH:MM'.")


def _fmt(instant: datetime) -> str:
    local = timezone.localtime(instant)
    return f"{WEEKDAYS[local.weekday()]} {local:%d/%m/%Y %H:%M} ({local:%Y-%m-%d %H:%M})"


class Command(BaseCommand):
    help = "Cộng ngày/giờ làm việc theo lịch nghỉ lễ; tính thời gian làm việc giữa hai thời điểm."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="Cộng thời hạn vào một thời điểm")
        add.add_argument("start", help="Thời điểm, ví dụ '2025-01-24 10:00'")
        add.add_argument("amount", help="Thời hạn: 5d, 0.5d, 4h")
        add.add_argument(
            "--mode",
            choices=[m.value for m in DeadlineMode],
            default=DeadlineMode.WORKING_HOURS.value,
            help="working_hours (mặc định) hoặc whole_day",
        )
        add.add_argument("--cutoff", help="Giờ chốt buổi chiều, ví dụ 15:00")
        between = sub.add_parser("between", help="Thời gian làm việc giữa hai thời điểm")
        between.add_argument("start")
        between.add_argument("end")
        load = sub.add_parser("load", help="Nạp lịch nghỉ lễ từ tệp JSON")
        load.add_argument("--file", help="Mặc định: TTHC_HOLIDAYS_FILE")

    def handle(self, *args, **options):
        handler = getattr(self, f"handle_{options['action']}")
        handler(options)

    def handle_add(self, options) -> None:
        start = _parse_instant(options["start"])
        try:
            value, unit = parse_amount(options["amount"])
        except ValueError:
            raise CommandError("Thời hạn phải có dạng 5d, 0.5d hoặc 4h.") from None
        cutoff = time.fromisoformat(options["cutoff"]) if options.get("cutoff") else None
        result = services.calendar_add(start, value, unit, mode=options["mode"], cutoff=cutoff)
        self.stdout.write(f"Tiếp nhận:        {_fmt(start)}")
        if result.clock_start != start:
            self.stdout.write(f"Bắt đầu tính:     {_fmt(result.clock_start)}")
        self.stdout.write(f"Hạn:              {_fmt(result.due)}")
        if result.skipped:
            self.stdout.write(f"Bỏ qua {len(result.skipped)} ngày không làm việc:")
            for day, reason in result.skipped:
                self.stdout.write(f"  {WEEKDAYS[day.weekday()]} {day:%d/%m/%Y}: {REASONS[reason]}")
        else:
            self.stdout.write("Không có ngày nghỉ nào bị bỏ qua.")

    def handle_between(self, options) -> None:
        start, end = _parse_instant(options["start"]), _parse_instant(options["end"])
        worked = services.get_calendar().working_time_between(start, end)
        hours = worked.total_seconds() / 3600
        self.stdout.write(f"{hours:g} giờ làm việc ({hours / 8:g} ngày làm việc)")

    def handle_load(self, options) -> None:
        count = services.calendar_load_file(options.get("file"))
        self.stdout.write(self.style.SUCCESS(f"Đã nạp {count} ngày nghỉ, ngày làm bù."))
