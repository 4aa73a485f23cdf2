"""Tickets: issue, call the next one, recall, skip, transfer, link dossiers.

Calling "next" picks the first waiting ticket in the counter's order with
``SELECT … FOR UPDATE SKIP LOCKED``: two officers pressing the button at the
same instant lock different rows, so they never get the same ticket and never
wait for each other.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Case, IntegerField, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.models import Dossier
from tthc_portal.agencies.selectors import agencies_for_user, agency_perms_held
from tthc_portal.audit.services import audit_record
from tthc_portal.lifecycle import StatusRefused

from ..models import (
    Counter,
    PriorityClass,
    PriorityStrategy,
    ServiceGroup,
    Ticket,
    TicketEvent,
    TicketSource,
    TicketStatus,
)
from ..workflow import DESK, TICKET_LIFECYCLE, TicketChange
from . import QueueError

# The desk officer's reception right stands for "works at the centre's counters".
COUNTER_PERM = "receive_dossiers"

NEXT_NUMBER_SQL = (
    "INSERT INTO queueing_ticketdaysequence (service_group_id, day, last_value) "
    "VALUES (%s, %s, 1) ON CONFLICT (service_group_id, day) "
    "DO UPDATE SET last_value = queueing_ticketdaysequence.last_value + 1 "
    "RETURNING last_value"
)


def _next_number(group: ServiceGroup, day: date) -> int:
    """One upsert (PostgreSQL, SQLite ≥ 3.35): its row lock serialises the
    group's kiosks for a moment; a rollback returns the number."""
    with connection.cursor() as cursor:
        cursor.execute(NEXT_NUMBER_SQL, [group.pk, day])
        return cursor.fetchone()[0]


def counter_require(actor, counter: Counter) -> None:
    """Only desk officers of the counter's agency act at it."""
    if COUNTER_PERM not in agency_perms_held(actor, [counter.agency_id]):
        raise PermissionDenied


def ticket_issue(
    *,
    service_group: ServiceGroup,
    priority_class: PriorityClass | None = None,
    source: str = TicketSource.KIOSK,
    actor=None,
    counter: Counter | None = None,
    at: datetime | None = None,
) -> Ticket:
    """A new numbered ticket; ``counter`` reserves it for one counter (a booking's)."""
    if not service_group.is_active:
        raise QueueError(_("Nhóm dịch vụ này hiện không nhận cấp số."))
    if priority_class is not None and not priority_class.is_active:
        raise QueueError(_("Đối tượng ưu tiên này không còn áp dụng."))
    now = at or timezone.now()
    day = timezone.localdate(now)
    with transaction.atomic():
        number = _next_number(service_group, day)
        ticket = Ticket.objects.create(
            centre_id=service_group.centre_id,
            service_group=service_group,
            day=day,
            number=number,
            label=f"{service_group.letter}{number:03d}",
            priority_class=priority_class,
            priority_weight=priority_class.weight if priority_class else 0,
            source=source,
            counter=counter,
            transferred_at=now if counter else None,
            issued_at=now,
        )
        audit_record(
            actor=actor,
            action="queueing.ticket_issued",
            target=ticket,
            after={"label": ticket.label, "priority": priority_class.code if priority_class else "",
                   "source": source},
        )  # fmt: skip
    return ticket


def _priority_due(group: ServiceGroup, day: date) -> bool:
    """Strict: always. Interleaved: once N normal tickets were called since the
    last priority one (counted from the stored call times, one query)."""
    if group.priority_strategy == PriorityStrategy.STRICT:
        return True
    called = Ticket.objects.filter(service_group=group, day=day, first_called_at__isnull=False)
    last_priority = (
        called.filter(priority_weight__gt=0).order_by("-first_called_at").values("first_called_at")
    )[:1]
    epoch = datetime(2000, 1, 1, tzinfo=timezone.get_current_timezone())
    normals = called.filter(
        priority_weight=0, first_called_at__gt=Coalesce(Subquery(last_priority), Value(epoch))
    ).count()
    return normals >= max(group.interleave_normal, 1)


def _event(ticket: Ticket, action: str, before: str, counter, actor, at: datetime) -> None:
    TicketEvent.objects.create(
        ticket=ticket, action=action, from_status=before, to_status=ticket.status,
        counter=counter, actor=actor if getattr(actor, "is_authenticated", False) else None, at=at,
    )  # fmt: skip
    audit_record(
        actor=actor,
        action=f"queueing.ticket_{action}",
        target=ticket,
        before={"status": before},
        after={"status": ticket.status, "counter": counter.number if counter else None},
    )


def ticket_call_next(*, actor, counter: Counter, at: datetime | None = None) -> Ticket | None:
    """Finish the counter's current ticket, then call the next one (None when
    nobody waits). Order: tickets transferred or booked to this counter, then
    priority tickets of the groups where priority is due, then normal tickets
    by issue time, then the remaining priority tickets."""
    counter_require(actor, counter)
    now = at or timezone.now()
    day = timezone.localdate(now)
    with transaction.atomic():
        current = list(
            Ticket.objects.select_for_update().filter(counter=counter, status=TicketStatus.CALLED)
        )
        for ticket in current:
            _apply(ticket, "complete", actor=actor, counter=counter, at=now)
        groups = list(counter.service_groups.filter(is_active=True))
        due = [group.pk for group in groups if _priority_due(group, day)]
        rank = Case(
            When(counter=counter, then=Value(0)),
            When(priority_weight__gt=0, service_group_id__in=due or [0], then=Value(1)),
            When(priority_weight=0, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
        ticket = (
            Ticket.objects.filter(day=day, status=TicketStatus.WAITING)
            .filter(
                Q(counter=counter)
                | Q(counter__isnull=True, service_group_id__in=[g.pk for g in groups])
            )
            .annotate(rank=rank)
            .order_by("rank", "transferred_at", "-priority_weight", "issued_at", "pk")
            .select_for_update(skip_locked=True)
            .first()
        )
        if ticket is None:
            return None
        _apply(ticket, "call", actor=actor, counter=counter, at=now)
    return ticket


def _apply(ticket: Ticket, action: str, *, actor, counter: Counter, at: datetime,
           target: Counter | None = None) -> None:  # fmt: skip
    """Run the table on a ticket locked by the caller, who checked the actor."""
    change = TicketChange(actor=actor, counter=counter, at=at, target=target)
    try:
        outcome = TICKET_LIFECYCLE.run(action, ticket, change)
    except StatusRefused:
        raise QueueError(
            _("Vé %(label)s đang ở trạng thái “%(status)s”, không thể %(action)s.")
            % {"label": ticket.label, "status": ticket.get_status_display(),
               "action": str(TICKET_LIFECYCLE[action].label).lower()}
        ) from None  # fmt: skip
    ticket.save(update_fields=list(outcome.fields))
    _event(ticket, action, outcome.before, target or counter, actor, at)


def ticket_transition(
    *,
    actor,
    ticket: Ticket,
    action: str,
    counter: Counter,
    target: Counter | None = None,
    at: datetime | None = None,
) -> Ticket:
    """Recall, complete, skip, transfer or restore one ticket at ``counter``."""
    transition = TICKET_LIFECYCLE.get(action)
    # Only the actions a desk officer takes by hand ("call" is the next button's).
    if transition is None or DESK not in transition.actors:
        raise QueueError(_("Thao tác không hợp lệ."))
    counter_require(actor, counter)
    now = at or timezone.now()
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if locked.centre_id != counter.centre_id:
            raise PermissionDenied
        if action == "restore" and locked.day != timezone.localdate(now):
            raise QueueError(_("Chỉ xếp lại hàng được số của ngày hôm nay."))
        if action != "restore" and locked.counter_id != counter.pk:
            raise QueueError(_("Vé %(label)s không do quầy này phục vụ.") % {"label": locked.label})
        if action == "transfer" and (
            target is None
            or not target.is_active
            or target.centre_id != counter.centre_id
            or target.pk == counter.pk
        ):
            raise QueueError(_("Hãy chọn một quầy khác đang hoạt động của trung tâm."))
        _apply(locked, action, actor=actor, counter=counter, at=now, target=target)
    ticket.refresh_from_db()
    return ticket


def ticket_link_dossier(*, actor, ticket: Ticket, counter: Counter, code: str) -> Dossier:
    """Attach the dossier entered for this ticket (a ticket links 0..n dossiers)."""
    counter_require(actor, counter)
    if ticket.counter_id != counter.pk:
        raise QueueError(_("Vé %(label)s không do quầy này phục vụ.") % {"label": ticket.label})
    dossier = Dossier.objects.filter(
        code=(code or "").strip(),
        receiving_agency__in=agencies_for_user(actor, COUNTER_PERM),
    ).first()
    if dossier is None:
        raise QueueError(_("Không tìm thấy hồ sơ có mã này tại đơn vị của ông/bà."))
    with transaction.atomic():
        ticket.dossiers.add(dossier)
        audit_record(
            actor=actor, action="queueing.ticket_dossier_linked", target=ticket,
            after={"dossier": dossier.code},
        )  # fmt: skip
    return dossier
