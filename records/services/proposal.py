"""The monthly proposal: one disposal list per agency of its closed dossiers past retention."""

from __future__ import annotations

import datetime
from itertools import groupby

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tthc_portal.audit.services import audit_record

from ..models import DisposalHistory, DisposalItem, DisposalList, ListStatus
from .retention import disposal_candidates, result_kept


def _note(count: int, period: datetime.date) -> str:
    return _(
        "Danh mục gồm %(count)s hồ sơ thủ tục hành chính đã kết thúc, hết thời hạn bảo quản "
        "tính từ ngày trả kết quả hoặc kết thúc xử lý, do hệ thống lập tháng %(period)s. "
        "Không có hồ sơ đang bị giữ theo yêu cầu pháp lý hoặc đang có phản ánh, kiến nghị "
        "chưa giải quyết."
    ) % {"count": count, "period": f"{period:%m/%Y}"}


def disposal_lists_propose(today: datetime.date | None = None) -> list[DisposalList]:
    """Idempotent for a month: a re-run adds only dossiers that became due to a list
    still under review; a list already submitted is left alone until next month."""
    today = today or timezone.localdate()
    period = today.replace(day=1)
    now = timezone.now()
    rows = list(
        disposal_candidates(today).values_list(
            "receiving_agency_id", "pk", "closed_on", "retention", "procedure_version_id"
        )
    )
    kept = result_kept([(row[1], row[4], row[2]) for row in rows], today)
    touched: list[DisposalList] = []
    for agency_id, group in groupby(rows, key=lambda row: row[0]):
        with transaction.atomic():
            disposal_list, created = DisposalList.objects.select_for_update().get_or_create(
                agency_id=agency_id, period=period, defaults={"proposed_at": now}
            )
            if disposal_list.status != ListStatus.PROPOSED:
                continue
            items = [
                DisposalItem(
                    disposal_list=disposal_list,
                    dossier_id=pk,
                    closed_at=closed,
                    retention_years=y,
                    keep_result=pk in kept,
                )
                for _agency, pk, closed, y, _version in group
            ]
            DisposalItem.objects.bulk_create(items, ignore_conflicts=True)
            count = disposal_list.items.filter(removed=False).count()
            disposal_list.explanatory_note = _note(count, period)
            disposal_list.save(update_fields=["explanatory_note"])
            if created:
                DisposalHistory.objects.create(
                    disposal_list=disposal_list,
                    action="propose",
                    to_status=ListStatus.PROPOSED,
                    at=now,
                    note=_("Hệ thống lập danh mục"),
                )
            audit_record(
                actor=None,
                action="records.list_proposed",
                target=disposal_list,
                after={"added": len(items), "items": count},
            )
            touched.append(disposal_list)
    return touched
