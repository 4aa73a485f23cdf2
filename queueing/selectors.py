"""Permission-scoped and public reads of the queue."""

from __future__ import annotations

from datetime import date

from django.db.models import Avg, Count, Max, Q, QuerySet
from django.db.models.functions import ExtractHour
from django.utils import timezone

from tthc_portal.agencies.models import OneStopDesk
from tthc_portal.agencies.selectors import agencies_for_user

from .models import (
    AppointmentSlot,
    AppointmentStatus,
    Counter,
    KioskDevice,
    ServiceGroup,
    Ticket,
    TicketStatus,
)
from .services.tickets import COUNTER_PERM


def counters_for_officer(user) -> QuerySet[Counter]:
    """Counters the desk officer may work at: those of their agencies."""
    return (
        Counter.objects.filter(is_active=True, agency__in=agencies_for_user(user, COUNTER_PERM))
        .select_related("centre", "agency")
        .order_by("centre__name", "number")
    )


def counters_for_statistics(user) -> QuerySet[Counter]:
    """Counters whose figures the user may read (any right on the agency)."""
    return Counter.objects.filter(agency__in=agencies_for_user(user, "view_agency_records"))


def centres_public() -> QuerySet[OneStopDesk]:
    return OneStopDesk.objects.filter(service_groups__is_active=True).distinct().order_by("name")


def ticket_estimated_wait_minutes(ticket: Ticket) -> int:
    """Tickets ahead × the group's mean service time today (the configured
    estimate before the first one is served) ÷ the group's open counters."""
    group = ticket.service_group
    waiting = Ticket.objects.filter(
        service_group=group, day=ticket.day, status=TicketStatus.WAITING
    ).exclude(pk=ticket.pk)
    ahead_filter = Q(issued_at__lt=ticket.issued_at)
    if group.priority_strategy == "strict" and not ticket.priority_weight:
        ahead_filter |= Q(priority_weight__gt=0)
    ahead = waiting.filter(ahead_filter).count()
    mean = Ticket.objects.filter(
        service_group=group, day=ticket.day, status=TicketStatus.DONE
    ).aggregate(mean=Avg("service_seconds"))["mean"]
    seconds = mean if mean else group.service_minutes * 60
    counters = max(group.counters.filter(is_active=True).count(), 1)
    return round(ahead * seconds / counters / 60)


def board_for_centre(centre: OneStopDesk, day: date | None = None) -> dict:
    """What the public display shows: per counter the ticket being served, the
    last calls, and how many wait per group. Numbers only — never a name."""
    day = day or timezone.localdate()
    counters = list(centre.counters.filter(is_active=True).order_by("number"))
    serving = {
        t.counter_id: t
        for t in Ticket.objects.filter(centre=centre, day=day, status=TicketStatus.CALLED)
        .select_related("service_group")
        .order_by("announced_at")
    }
    recent = list(
        Ticket.objects.filter(centre=centre, day=day, announced_at__isnull=False)
        .select_related("counter")
        .order_by("-announced_at")[:6]
    )
    waiting = dict(
        Ticket.objects.filter(centre=centre, day=day, status=TicketStatus.WAITING)
        .values_list("service_group_id")
        .annotate(n=Count("pk"))
    )
    groups = centre.service_groups.filter(is_active=True).order_by("letter")
    return {
        "counters": [
            {
                "number": c.number,
                "name": c.name,
                "ticket": serving[c.pk].label if c.pk in serving else "",
                "priority": bool(c.pk in serving and serving[c.pk].priority_weight),
            }
            for c in counters
        ],
        "recent": [
            {
                "ticket": t.label,
                "counter": t.counter.number if t.counter else None,
                "at": timezone.localtime(t.announced_at).strftime("%H:%M:%S"),
                # Changes on every call and recall, even within one second.
                "key": f"{t.pk}:{t.announced_at.timestamp():.6f}",
            }
            for t in recent
        ],
        "groups": [
            {"letter": g.letter, "name": g.name, "waiting": waiting.get(g.pk, 0)} for g in groups
        ],
    }


def slots_open(group: ServiceGroup, day: date) -> QuerySet[AppointmentSlot]:
    """Slots of a day with their remaining places (one query)."""
    return (
        AppointmentSlot.objects.filter(service_group=group, day=day)
        .annotate(
            taken=Count("appointments", filter=~Q(appointments__status=AppointmentStatus.CANCELLED))
        )
        .select_related("counter")
        .order_by("start")
    )


STAT_KEYS = ("day", "hour", "counter__number", "service_group__letter", "service_group__name")


def queue_statistics(counters: QuerySet[Counter], date_from: date, date_to: date) -> list[dict]:
    """Waiting and service time per counter, service group, day and hour of
    issue — one GROUP BY in the database over the stored seconds."""
    rows = (
        Ticket.objects.filter(day__gte=date_from, day__lte=date_to, counter__in=counters)
        .annotate(hour=ExtractHour("issued_at"))
        .values(*STAT_KEYS)
        .annotate(
            tickets=Count("pk"),
            called=Count("pk", filter=Q(wait_seconds__isnull=False)),
            served=Count("pk", filter=Q(status=TicketStatus.DONE)),
            skipped=Count("pk", filter=Q(status=TicketStatus.SKIPPED)),
            wait_avg=Avg("wait_seconds"),
            wait_max=Max("wait_seconds"),
            service_avg=Avg("service_seconds", filter=Q(status=TicketStatus.DONE)),
            service_max=Max("service_seconds", filter=Q(status=TicketStatus.DONE)),
        )
        .order_by(*STAT_KEYS[:4])
    )
    return list(rows)


def statistics_by_hour(rows: list[dict]) -> list[dict]:
    """The chart's series: mean wait and service per hour over the rows, weighted."""
    hours: dict[int, dict] = {}
    for row in rows:
        slot = hours.setdefault(row["hour"], {"hour": row["hour"], "n": 0, "wait": 0.0,
                                               "served": 0, "service": 0.0})  # fmt: skip
        called = row["called"]
        if row["wait_avg"] is not None:
            slot["wait"] += row["wait_avg"] * called
            slot["n"] += called
        if row["service_avg"] is not None:
            slot["service"] += row["service_avg"] * row["served"]
            slot["served"] += row["served"]
    return [
        {
            "hour": h,
            "wait_minutes": round(v["wait"] / v["n"] / 60, 1) if v["n"] else 0,
            "service_minutes": round(v["service"] / v["served"] / 60, 1) if v["served"] else 0,
        }
        for h, v in sorted(hours.items())
    ]


def kiosk_devices_public(centre_id: int) -> QuerySet[KioskDevice]:
    """The active self-service devices of a centre (their pages are public)."""
    return KioskDevice.objects.filter(centre_id=centre_id, is_active=True).select_related("centre")
