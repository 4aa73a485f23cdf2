"""``manage.py deadline_instants_recompute``: after a change of the due-soon or
apology notice settings, store the new instants on every open dossier and step."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossiers.services.deadlines_backfill import deadline_instants_recompute
from tthc_portal.workdays.services import get_calendar


class Command(BaseCommand):
    help = gettext_lazy(
        "Tính lại thời điểm “sắp đến hạn” và thời điểm hỏi ý kiến xin lỗi của mọi hồ sơ, "
        "bước xử lý đang mở sau khi thay đổi cấu hình."
    )

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            dossiers, steps = deadline_instants_recompute(timezone.now(), get_calendar())
        self.stdout.write(
            self.style.SUCCESS(
                _("Đã tính lại %(dossiers)s hồ sơ và %(steps)s bước xử lý đang mở.")
                % {"dossiers": dossiers, "steps": steps}
            )
        )
