"""Shared set-up of the receipt tests: a provider target on the simulator, a number
range for the Department of Justice's desk, a dossier paid at the counter."""

from __future__ import annotations

from django.utils import timezone

from integrations.models import Target, UnitCredential
from integrations.secrets import secret_encrypt
from receipts.models import ReceiptSeries
from tests.dossiers.conftest import JUSTICE

USERNAME, PASSWORD = "0100109106-bl", "mat-khau-mo-phong"
TAX_CODE = "0100109106"


def provider_target(url: str, **overrides) -> Target:
    options = {
        "code": "bien-lai-viettel", "kind": "receipts", "name": "Biên lai điện tử (mô phỏng)",
        "base_url": url, "transport": "rest", "options": {"adapter": "viettel"},
        "connect_timeout": 1, "read_timeout": 0.6, "max_attempts": 5, "backoff_base": 30,
        "backoff_max": 600,
    }  # fmt: skip
    options.update(overrides)
    target = Target.objects.create(**options)
    UnitCredential.objects.create(
        target=target, unit_code="", username=USERNAME, secret_encrypted=secret_encrypt(PASSWORD)
    )
    return target


def receipt_series(agency, target: Target, *, point: str = "QUAY1", start: int = 1,
                   end: int = 5000, online: bool = False) -> ReceiptSeries:  # fmt: skip
    year = timezone.localdate().year
    series = ReceiptSeries(
        agency=agency, target=target, organisation_name="Sở Tư pháp tỉnh", tax_code=TAX_CODE,
        template_symbol="EBL01", receipt_symbol=f"{year % 100:02d}TTP", year=year,
        point_code=point, point_name=f"Điểm thu {point}", range_start=start, range_end=end,
        next_number=start, for_online=online,
    )  # fmt: skip
    series.full_clean()
    series.save()
    return series


def justice(province):
    return province[JUSTICE]
