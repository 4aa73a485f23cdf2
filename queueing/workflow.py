"""The ticket lifecycle as data, on the kernel engine (tthc_portal.lifecycle).

Every change of a ticket goes through ``services.tickets`` (``ticket_call_next``
and ``ticket_transition``), which locks the row, runs ``TICKET_LIFECYCLE`` (the
table and the named effects that stamp the times), appends a ``TicketEvent``
and an audit event in one transaction. ``actors`` are capabilities the service
checks (``counter_require``):

* ``desk`` – a desk officer acting by hand on a ticket at their counter;
* ``call_next`` – the counter's "next" button, which picks the ticket itself
  (``SELECT … FOR UPDATE SKIP LOCKED``): a ticket is never called by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from tthc_portal.lifecycle import Lifecycle, Transition

from .models import Counter, Ticket
from .models import TicketStatus as S

DESK = "desk"
CALL_NEXT = "call_next"


@dataclass(frozen=True)
class TicketChange:
    """What the service hands the effects: who acts, at which counter, when."""

    actor: Any
    counter: Counter
    at: datetime
    # The counter a transferred ticket goes to.
    target: Counter | None = None


def _seconds(start: datetime | None, end: datetime) -> int:
    return max(int((end - start).total_seconds()), 0) if start else 0


# --- effects: each stamps the locked ticket and names the fields it changed ----------


def _stamp_call(ticket: Ticket, change: TicketChange) -> list[str]:
    ticket.counter, ticket.called_at, ticket.announced_at = change.counter, change.at, change.at
    actor = change.actor
    ticket.called_by = actor if getattr(actor, "is_authenticated", False) else None
    # The wait is measured once: a restored or transferred ticket keeps its first call.
    if ticket.first_called_at is None:
        ticket.first_called_at = change.at
        ticket.wait_seconds = _seconds(ticket.issued_at, change.at)
    return ["counter", "called_at", "announced_at", "called_by", "first_called_at", "wait_seconds"]


def _announce_again(ticket: Ticket, change: TicketChange) -> list[str]:
    ticket.recall_count += 1
    ticket.announced_at = change.at
    return ["recall_count", "announced_at"]


def _add_service_time(ticket: Ticket, change: TicketChange) -> list[str]:
    # Service time adds up over every counter the citizen was served at;
    # statistics credit it to the counter that finished the ticket.
    ticket.service_seconds = (ticket.service_seconds or 0) + _seconds(ticket.called_at, change.at)
    return ["service_seconds"]


def _stamp_completed(ticket: Ticket, change: TicketChange) -> list[str]:
    ticket.completed_at = change.at
    return ["completed_at"]


def _reserve_for_target(ticket: Ticket, change: TicketChange) -> list[str]:
    ticket.counter, ticket.transferred_at = change.target, change.at
    return ["counter", "transferred_at"]


def _release_counter(ticket: Ticket, change: TicketChange) -> list[str]:
    ticket.counter, ticket.completed_at = None, None
    return ["counter", "completed_at"]


_t = Transition.row


TRANSITIONS: dict[str, Transition] = {
    # "call" is taken by ticket_call_next (SKIP LOCKED pick), never by hand.
    "call": _t({S.WAITING}, S.CALLED, {CALL_NEXT}, _("Gọi số"), effects=["stamp_call"]),
    "recall": _t({S.CALLED}, S.CALLED, {DESK}, _("Gọi lại"), effects=["announce_again"]),
    "complete": _t(
        {S.CALLED},
        S.DONE,
        {DESK},
        _("Hoàn thành"),
        effects=["add_service_time", "stamp_completed"],
    ),
    "skip": _t({S.CALLED}, S.SKIPPED, {DESK}, _("Bỏ qua (vắng mặt)"), effects=["stamp_completed"]),
    # A skipped citizen who comes back is put in line again.
    "restore": _t({S.SKIPPED}, S.WAITING, {DESK}, _("Xếp lại hàng"), effects=["release_counter"]),
    # To another counter: waits again, reserved for that counter, ahead of the line.
    "transfer": _t(
        {S.CALLED},
        S.WAITING,
        {DESK},
        _("Chuyển quầy"),
        effects=["add_service_time", "reserve_for_target"],
    ),
}

TICKET_LIFECYCLE: Lifecycle[Ticket, TicketChange] = Lifecycle(
    name="queueing.ticket",
    table=TRANSITIONS,
    effects={
        "stamp_call": _stamp_call,
        "announce_again": _announce_again,
        "add_service_time": _add_service_time,
        "stamp_completed": _stamp_completed,
        "reserve_for_target": _reserve_for_target,
        "release_counter": _release_counter,
    },
)

# Actions a desk officer chooses on the counter page (call is "next").
COUNTER_ACTIONS = ("recall", "complete", "skip", "transfer")


def actions_from(status: str) -> list[str]:
    """The actions a desk officer may choose by hand on a ticket in this status."""
    return [
        name
        for name in TICKET_LIFECYCLE.actions_from(status)
        if DESK in TICKET_LIFECYCLE[name].actors
    ]


def actions_for(ticket: Ticket) -> list[str]:
    """The actions the table allows a desk officer on this ticket now."""
    return TICKET_LIFECYCLE.allowed(ticket, {DESK})
