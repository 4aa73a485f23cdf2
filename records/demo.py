"""Demo and test rows: the records groups, one disposal list under review holding a
closed dossier, and one legal hold (the security matrix requests their pages)."""

from __future__ import annotations

from django.utils import timezone

from dossiers.models import Dossier

from .groups import records_groups_sync
from .models import DisposalHistory, DisposalItem, DisposalList, LegalHold, ListStatus
from .services.retention import CLOSED_STATUSES


def demo_disposal_rows(actor) -> DisposalList | None:
    """Idempotent. Retention has not run out for demo dossiers, so the list is written
    directly (a real list comes from ``disposal_lists_propose``)."""
    records_groups_sync()
    closed = list(Dossier.objects.filter(status__in=CLOSED_STATUSES).order_by("pk")[:2])
    if not closed:
        return None
    now = timezone.now()
    first = closed[0]
    disposal_list, created = DisposalList.objects.get_or_create(
        agency_id=first.receiving_agency_id,
        period=timezone.localdate().replace(day=1),
        defaults={"proposed_at": now, "explanatory_note": "Danh mục mẫu"},
    )
    if created:
        DisposalHistory.objects.create(
            disposal_list=disposal_list, action="propose", to_status=ListStatus.PROPOSED, at=now
        )
    DisposalItem.objects.get_or_create(
        disposal_list=disposal_list,
        dossier=first,
        defaults={"closed_at": first.returned_at or first.completed_at or now,
                  "retention_years": 10},
    )  # fmt: skip
    held = closed[-1]
    if not LegalHold.objects.filter(dossier=held, lifted_at__isnull=True).exists():
        LegalHold.objects.create(
            dossier=held, reason="Hồ sơ mẫu đang được thanh tra", placed_by=actor, placed_at=now
        )
    return disposal_list
