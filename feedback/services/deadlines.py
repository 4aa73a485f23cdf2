"""PAKN deadlines on the working calendar, from dated rule rows.

Computed once at each event and stored on the item; the rule rows in force
on the item's receipt date apply for its whole life (a later rule change
never moves an open item's deadlines).
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tthc_portal.workdays.calendar import DeadlineMode as CalendarMode
from tthc_portal.workdays.calendar import WorkCalendar
from tthc_portal.workdays.services import get_calendar

from ..models import (
    AlertLevel,
    DeadlineMode,
    Feedback,
    PaknDeadlineKey,
    PaknDeadlineRule,
    PaknPolicy,
    Status,
)
from . import FeedbackError


def _local_date(instant: datetime) -> date:
    return timezone.localdate(instant)


def deadline_rule(key: str, on: date) -> PaknDeadlineRule:
    rule = (
        PaknDeadlineRule.objects.filter(key=key, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .order_by("-valid_from")
        .first()
    )
    if rule is None:
        raise FeedbackError(
            _("Chưa cấu hình thời hạn PAKN “%(key)s” cho ngày %(d)s.")
            % {"key": PaknDeadlineKey(key).label, "d": f"{on:%d/%m/%Y}"}
        )
    return rule


def deadline_rules(on: date) -> dict[str, PaknDeadlineRule]:
    """Every rule in force on ``on``, in one query."""
    rows = (
        PaknDeadlineRule.objects.filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .order_by("key", "-valid_from")
    )
    rules: dict[str, PaknDeadlineRule] = {}
    for rule in rows:
        rules.setdefault(rule.key, rule)
    missing = [key for key in PaknDeadlineKey.values if key not in rules]
    if missing:
        raise FeedbackError(
            _("Chưa cấu hình thời hạn PAKN cho ngày %(d)s: %(keys)s.")
            % {
                "d": f"{on:%d/%m/%Y}",
                "keys": ", ".join(str(PaknDeadlineKey(k).label) for k in missing),
            }
        )
    return rules


def policy_for(on: date) -> PaknPolicy:
    """The policy row in force, or the defaults when none was configured."""
    policy = PaknPolicy.objects.filter(valid_from__lte=on).order_by("-valid_from").first()
    return policy or PaknPolicy(valid_from=date(2000, 1, 1))


def add_working_days(calendar: WorkCalendar, start: datetime, rule: PaknDeadlineRule) -> datetime:
    """``start`` + the rule's working days, in the rule's counting mode.

    Working-hours mode: from the next office opening, walk N × 8 office hours
    (a Friday 10:00 item with 2 WD is due Tuesday 10:00). Whole-day mode: the
    start day is not counted; due at the close of the N-th working day after.
    """
    if rule.mode == DeadlineMode.WHOLE_DAY:
        return calendar.add_working_days(start, rule.working_days, CalendarMode.WHOLE_DAY)
    return calendar.add_working_days(
        calendar.clock_start(start), rule.working_days, CalendarMode.WORKING_HOURS
    )


def shift_back(calendar: WorkCalendar, instant: datetime, days: Decimal) -> datetime:
    """The same clock time N working days earlier (for the "due soon" warning)."""
    local = calendar.local(instant)
    day = local.date()
    remaining = math.ceil(Decimal(str(days)))
    while remaining > 0:
        day -= timedelta(days=1)
        if calendar.is_working_day(day):
            remaining -= 1
    return datetime.combine(day, local.time(), calendar.tz)


def deadlines_compute(item: Feedback, calendar: WorkCalendar | None = None) -> list[str]:
    """Set the four deadlines that run from the clock start (receipt or latest transfer)."""
    calendar = calendar or get_calendar()
    rules = deadline_rules(_local_date(item.received_at))
    policy = policy_for(_local_date(item.received_at))
    anchor = item.clock_start_at
    item.pauses_clock = policy.supplement_pauses_clock
    item.refuse_due_at = add_working_days(calendar, anchor, rules[PaknDeadlineKey.REFUSE])
    item.supplement_due_at = add_working_days(
        calendar, anchor, rules[PaknDeadlineKey.FIRST_SUPPLEMENT]
    )
    item.forward_due_at = add_working_days(calendar, anchor, rules[PaknDeadlineKey.FORWARD])
    item.handle_base_due_at = add_working_days(calendar, anchor, rules[PaknDeadlineKey.HANDLE])
    item.handle_due_at = item.handle_base_due_at
    fields = [
        "pauses_clock",
        "refuse_due_at",
        "supplement_due_at",
        "forward_due_at",
        "handle_base_due_at",
        "handle_due_at",
    ]
    if item.supplement_requested_at and item.supplement_received_at:
        fields += pause_extend(item, calendar)
    return fields


def pause_extend(item: Feedback, calendar: WorkCalendar | None = None) -> list[str]:
    """After the submitter answered: the handling deadline moves by the paused
    office time, when the policy in force says a request pauses the clock."""
    if not item.pauses_clock or not item.supplement_requested_at:
        return []
    calendar = calendar or get_calendar()
    end = item.supplement_received_at or timezone.now()
    paused = calendar.working_time_between(item.supplement_requested_at, end)
    due = item.handle_base_due_at
    if paused > timedelta(0):
        due = calendar.add_working_time(due, paused)
        rule = deadline_rule(PaknDeadlineKey.HANDLE, _local_date(item.received_at))
        if rule.mode == DeadlineMode.WHOLE_DAY:
            due = calendar.closing_of(calendar.local(due).date())
    item.handle_due_at = due
    return ["handle_due_at"]


def publish_due(item: Feedback, approved_at: datetime, calendar: WorkCalendar | None = None):
    rule = deadline_rule(PaknDeadlineKey.PUBLISH, _local_date(item.received_at))
    return add_working_days(calendar or get_calendar(), approved_at, rule)


def next_deadline(item: Feedback) -> tuple[str, datetime | None]:
    """The deadline an open item is measured against now (for the sweep and boards)."""
    from ..models import Category

    if item.status == Status.RECEIVED_PENDING:
        if not item.category:
            # Not yet classified: a refusal would have to be sent by now.
            return PaknDeadlineKey.REFUSE, item.refuse_due_at
        if item.category == Category.REGULATION_OUT_OF_SCOPE:
            return PaknDeadlineKey.FORWARD, item.forward_due_at
        return PaknDeadlineKey.HANDLE, item.handle_due_at
    if item.status == Status.IN_HANDLING:
        return PaknDeadlineKey.HANDLE, item.handle_due_at
    if item.status == Status.AWAITING_SUPPLEMENT:
        if item.pauses_clock:
            return "", None
        return PaknDeadlineKey.HANDLE, item.handle_due_at
    if item.status == Status.AWAITING_PUBLICATION:
        return PaknDeadlineKey.PUBLISH, item.publish_due_at
    return "", None


def schedule_refresh(item: Feedback, calendar: WorkCalendar | None = None) -> list[str]:
    """Store the current deadline and its warning instant; a new deadline
    starts again from "no alert" so its own due-soon / overdue alerts fire once."""
    kind, due = next_deadline(item)
    if kind == item.next_due_kind and due == item.next_due_at:
        return []
    item.next_due_kind = kind
    item.next_due_at = due
    if due is None:
        item.due_soon_from = None
    else:
        policy = policy_for(_local_date(item.received_at))
        item.due_soon_from = shift_back(
            calendar or get_calendar(), due, policy.due_soon_working_days
        )
    item.alert_level = AlertLevel.NONE
    item.alerted_at = None
    return ["next_due_kind", "next_due_at", "due_soon_from", "alert_level", "alerted_at"]
