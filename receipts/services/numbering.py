"""Numbers from a collection point's range (Circular 91, Art. 25): ascending, never twice.

The series row is locked (``SELECT … FOR UPDATE``) for the length of the caller's
transaction, so two desks of one point take consecutive numbers; the unique constraint
on (tax code, template, symbol, number) is the last line of defence."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import ReceiptSeries


def series_for(agency_id: int, *, online: bool, point_code: str = "") -> ReceiptSeries | None:
    """The active range of this year for the agency's desk (or its online collection)."""
    rows = ReceiptSeries.objects.filter(
        agency_id=agency_id, is_active=True, year=timezone.localdate().year,
        next_number__lte=F("range_end"),
    ).order_by("-for_online" if online else "for_online", "point_code")  # fmt: skip
    if point_code:
        rows = rows.filter(point_code=point_code)
    return rows.first()


def number_take(series_id: int) -> tuple[ReceiptSeries, int]:
    """Lock the range, hand out its next number (must run inside a transaction)."""
    from . import ReceiptError

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("number_take must run inside the receipt's transaction")
    series = ReceiptSeries.objects.select_for_update().get(pk=series_id)
    if not series.is_active or series.next_number > series.range_end:
        raise ReceiptError(
            _("Dải số biên lai của điểm thu %(point)s đã hết; cần cấu hình dải số mới.")
            % {"point": series.point_name}
        )
    number = series.next_number
    ReceiptSeries.objects.filter(pk=series.pk).update(next_number=number + 1)
    series.next_number = number + 1
    return series, number
