"""The deadline sweep: flag open dossiers and steps due soon or overdue.

Idempotent by compare-and-set: each flag is set only on rows where it is not
set yet, and only the rows this run flipped are notified — running the sweep
twice notifies nothing twice. Flags whose deadline moved away (supplement
resumed, apology) are cleared in the same pass, so the flags always describe
the stored due times.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.models import Agency
from tthc_portal.agencies.selectors import staff_with_role
from tthc_portal.notifications.services import notify_from_template
from tthc_portal.workdays.calendar import TimeUnit
from tthc_portal.workdays.services import get_calendar

from ..models import FLAGGED, OPEN_STATUSES, Dossier, DossierStep

logger = logging.getLogger(__name__)
SAME_DAY_UNITS = (TimeUnit.SAME_DAY, TimeUnit.IMMEDIATE)


@dataclass(frozen=True)
class SweepReport:
    dossiers_due_soon: int
    dossiers_overdue: int
    dossiers_cleared: int
    steps_due_soon: int
    steps_overdue: int
    steps_cleared: int
    apologies_requested: int
    heads_notified: int


def apology_horizon(now: datetime) -> datetime:
    """Heads are asked early enough that an apology is still allowed (it needs
    1 working day's notice): by default 2 working days before the deadline."""
    hours = settings.TTHC.get("APOLOGY_REMINDER_WORKING_HOURS", 16)
    return get_calendar().add_working_hours(now, hours)


def thresholds(now: datetime) -> tuple[datetime, datetime]:
    """(regular, same-day) due-soon horizons: 1 working day, or 3 working hours
    for same-day procedures (configurable, §7)."""
    calendar = get_calendar()
    regular = calendar.add_working_hours(now, settings.TTHC.get("DUE_SOON_WORKING_HOURS", 8))
    same_day = calendar.add_working_hours(now, settings.TTHC.get("DUE_SOON_SAME_DAY_HOURS", 3))
    return regular, same_day


def _flip(queryset, field: str, condition: Q) -> int:
    """Compare-and-set in one statement: flag the rows still unflagged that no
    one else holds locked (a desk's open transaction is not waited for; the next
    run picks its row up), and return how many flipped."""
    candidates = (
        queryset.filter(condition, **{field: False})
        .select_for_update(skip_locked=True)
        .values("pk")
    )
    return queryset.model.objects.filter(pk__in=candidates).update(**{field: True})


def deadlines_sweep(now: datetime | None = None) -> SweepReport:
    now = now or timezone.now()
    regular, same_day = thresholds(now)
    dossier_soon = Q(due_at__gt=now) & (
        Q(time_unit__in=SAME_DAY_UNITS, due_at__lte=same_day)
        | (~Q(time_unit__in=SAME_DAY_UNITS) & Q(due_at__lte=regular))
    )
    open_dossiers = Dossier.objects.filter(status__in=OPEN_STATUSES)
    open_steps = DossierStep.objects.filter(completed_at__isnull=True, due_at__isnull=False)
    with transaction.atomic():
        # Deadlines that moved away (resumed supplement, apology) and dossiers or
        # steps that ended lose their flags. The flagged rows are few and have
        # their own partial indexes, so neither scan touches the open set.
        cleared = Dossier.objects.filter(
            FLAGGED,
            ~Q(status__in=OPEN_STATUSES) | Q(due_at__isnull=True) | Q(due_at__gt=regular),
        ).update(due_soon=False, is_overdue=False)
        steps_cleared = DossierStep.objects.filter(
            FLAGGED,
            Q(completed_at__isnull=False) | Q(due_at__isnull=True) | Q(due_at__gt=regular),
        ).update(due_soon=False, is_overdue=False)
        soon = _flip(open_dossiers.filter(due_at__isnull=False), "due_soon", dossier_soon)
        overdue = _flip(open_dossiers, "is_overdue", Q(due_at__lte=now))
        steps_soon = _flip(open_steps, "due_soon", Q(due_at__gt=now, due_at__lte=regular))
        steps_overdue = _flip(open_steps, "is_overdue", Q(due_at__lte=now))
        # Ask each head once per deadline, while an apology can still be issued.
        ask = list(
            open_dossiers.filter(
                apology_issued=False, apology_requested_at__isnull=True,
                due_at__gt=now, due_at__lte=apology_horizon(now),
            )
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )  # fmt: skip
        if ask:
            Dossier.objects.filter(pk__in=ask, apology_requested_at__isnull=True).update(
                apology_requested_at=now
            )
        notified = _ask_for_apologies(ask) if ask else 0
        report = SweepReport(
            dossiers_due_soon=soon, dossiers_overdue=overdue,
            dossiers_cleared=cleared, steps_due_soon=steps_soon,
            steps_overdue=steps_overdue, steps_cleared=steps_cleared,
            apologies_requested=len(ask), heads_notified=notified,
        )  # fmt: skip
        if any(vars(report).values()):
            logger.info("Deadline sweep: %s", report)
    return report


def _digest(ids) -> str:
    """A fixed-length key for a list of dossiers (the outbox key has 200 characters)."""
    return hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()


def _ask_for_apologies(dossier_ids: list[int]) -> int:
    """One message per head of each resolving agency, listing the dossiers that
    will be late unless finished: they decide on an apology letter (form 04)."""
    rows = (
        Dossier.objects.filter(pk__in=dossier_ids, apology_issued=False)
        .values_list("pk", "code", "due_at", "processing_agency_id", "receiving_agency_id")
        .order_by("due_at")
    )
    by_agency: dict[int, list[tuple]] = defaultdict(list)
    for pk, code, due_at, processing, receiving in rows:
        by_agency[processing or receiving].append((pk, code, due_at))
    agencies = Agency.objects.in_bulk(list(by_agency))
    site = settings.TTHC.get("SITE_URL", "")
    sent = 0
    for agency_id, items in by_agency.items():
        agency = agencies[agency_id]
        lines = [
            f"- {code or pk}: hạn {timezone.localtime(due_at):%H:%M %d/%m/%Y}"
            for pk, code, due_at in items
        ]
        for head in staff_with_role(agency, Role.DEPARTMENT_HEAD):
            if not head.email and not getattr(head, "phone", ""):
                continue
            notify_from_template(
                "processing.due_soon",
                {"agency": agency.name, "count": len(items), "lines": "\n".join(lines),
                 "name": head.get_full_name() or head.username, "site": site},
                email=head.email, phone=getattr(head, "phone", ""),
                dedupe_key=f"due-soon:{head.pk}:{_digest(i[0] for i in items)}",
                topic=f"agencies.agency:{agency_id}",
            )  # fmt: skip
            sent += 1
    return sent
