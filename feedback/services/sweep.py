"""Beat job: PAKN nearly due or overdue, notified once per level per deadline.

The deadline and its warning instant are stored on each open item, so the
sweep is two indexed range scans. Each level change is a compare-and-set on
``alert_level``: two sweeps running at once (or one run twice) notify once.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.selectors import staff_with_role
from tthc_portal.audit.services import audit_record
from tthc_portal.notifications.services import notify_from_template

from ..models import OPEN_STATUSES, AlertLevel, Feedback, PaknDeadlineKey
from . import site_url


def _recipients(item: Feedback) -> list:
    users = {}
    for agency, roles in (
        (item.agency, (Role.DEPARTMENT_HEAD, Role.SPECIALIST)),
        (item.receiving_agency, (Role.PROVINCIAL_STAFF,)),
    ):
        for role in roles:
            for user in staff_with_role(agency, role):
                users[user.pk] = user
    return list(users.values())


def feedback_sweep(*, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    counts = {AlertLevel.DUE_SOON.value: 0, AlertLevel.OVERDUE.value: 0}
    open_items = Feedback.objects.filter(status__in=OPEN_STATUSES, next_due_at__isnull=False)
    overdue = open_items.filter(next_due_at__lt=now).exclude(alert_level=AlertLevel.OVERDUE)
    due_soon = open_items.filter(
        Q(due_soon_from__lte=now), next_due_at__gte=now, alert_level=AlertLevel.NONE
    )
    for level, queryset in ((AlertLevel.OVERDUE, overdue), (AlertLevel.DUE_SOON, due_soon)):
        for item in queryset.select_related("agency", "receiving_agency").order_by("next_due_at"):
            won = Feedback.objects.filter(
                pk=item.pk,
                alert_level=item.alert_level,
                next_due_kind=item.next_due_kind,
                next_due_at=item.next_due_at,
            ).update(alert_level=level, alerted_at=now)
            if not won:
                continue
            counts[level.value] += 1
            context = {
                "code": item.code,
                "title": item.title,
                "agency": item.agency.name,
                "deadline": PaknDeadlineKey(item.next_due_kind).label
                if item.next_due_kind in PaknDeadlineKey.values
                else item.next_due_kind,
                "due_at": timezone.localtime(item.next_due_at),
                "link": site_url(reverse("feedback:staff_detail", kwargs={"pk": item.pk})),
            }
            stamp = f"{item.next_due_kind}:{item.next_due_at:%Y%m%d%H%M}"
            for user in _recipients(item):
                notify_from_template(
                    f"feedback.{level.value}",
                    context,
                    email=user.email,
                    dedupe_key=f"feedback-alert:{item.pk}:{stamp}:{level.value}:{user.pk}",
                    topic=f"feedback.feedback:{item.pk}",
                )
            audit_record(
                actor=None,
                action=f"feedback.{level.value}",
                target=item,
                after={"deadline": item.next_due_kind, "due_at": item.next_due_at},
            )
    return counts
