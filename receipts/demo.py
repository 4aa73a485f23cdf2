"""Wire the demo province to the local receipt provider: one provider target, its
account, and for every agency with a one-stop desk a counter range and an online
range of this year's receipt symbol (idempotent)."""

from __future__ import annotations

import string

from django.db import transaction
from django.utils import timezone

from integrations.models import Target, UnitCredential
from integrations.secrets import secret_encrypt
from tthc_portal.agencies.models import Agency

from .models import ReceiptSeries

TARGET_CODE = "bien-lai-dien-tu"
DEMO_USERNAME, DEMO_PASSWORD = "tthc-demo", "bien-lai-demo"
COUNTER_RANGE, ONLINE_RANGE = (1, 499_999), (500_000, 999_999)


def _letters(index: int) -> str:
    alphabet = string.ascii_uppercase
    return alphabet[(index // 26) % 26] + alphabet[index % 26]


@transaction.atomic
def demo_receipts_setup(provider_url: str) -> dict[str, int]:
    target, _ = Target.objects.update_or_create(
        code=TARGET_CODE,
        defaults={
            "kind": "receipts", "name": "Biên lai điện tử (mô phỏng kiểu Viettel)",
            "base_url": provider_url, "transport": "rest", "options": {"adapter": "viettel"},
            "connect_timeout": 3, "read_timeout": 15, "max_attempts": 8, "backoff_base": 20,
            "backoff_max": 1800,
        },
    )  # fmt: skip
    UnitCredential.objects.update_or_create(
        target=target, agency=None,
        defaults={"unit_code": "", "username": DEMO_USERNAME,
                  "secret_encrypted": secret_encrypt(DEMO_PASSWORD)},
    )  # fmt: skip
    year = timezone.localdate().year
    created = 0
    agencies = Agency.objects.filter(one_stop_desk__isnull=False).order_by("pk")
    for index, agency in enumerate(agencies):
        tax_code = f"0100{agency.pk:06d}"
        symbol = f"{year % 100:02d}T{_letters(index)}"
        for point, (start, end), online in (
            ("QUAY", COUNTER_RANGE, False),
            ("TRUCTUYEN", ONLINE_RANGE, True),
        ):
            _row, made = ReceiptSeries.objects.get_or_create(
                tax_code=tax_code, template_symbol="EBL01", receipt_symbol=symbol,
                point_code=point,
                defaults={
                    "agency": agency, "target": target, "organisation_name": agency.name,
                    "year": year, "point_name": ("Thu trực tuyến" if online else "Quầy một cửa"),
                    "range_start": start, "range_end": end, "next_number": start,
                    "for_online": online,
                },
            )  # fmt: skip
            created += made
    return {"agencies": agencies.count(), "series_created": created}
