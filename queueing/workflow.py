"""The ticket lifecycle as data.

Every change of a ticket goes through ``services.tickets.ticket_transition``,
which looks the action up here, locks the row, checks the table, stamps the
times, appends a ``TicketEvent`` and an audit event in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import TicketStatus as S


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    label: str


def _t(sources, target, label) -> Transition:
    return Transition(frozenset(sources), target, label)


TRANSITIONS: dict[str, Transition] = {
    # "call" is taken by ticket_call_next (SKIP LOCKED pick), never by hand.
    "call": _t({S.WAITING}, S.CALLED, _("Gọi số")),
    "recall": _t({S.CALLED}, S.CALLED, _("Gọi lại")),
    "complete": _t({S.CALLED}, S.DONE, _("Hoàn thành")),
    "skip": _t({S.CALLED}, S.SKIPPED, _("Bỏ qua (vắng mặt)")),
    # A skipped citizen who comes back is put in line again.
    "restore": _t({S.SKIPPED}, S.WAITING, _("Xếp lại hàng")),
    # To another counter: waits again, reserved for that counter, ahead of the line.
    "transfer": _t({S.CALLED}, S.WAITING, _("Chuyển quầy")),
}

# Actions a desk officer chooses on the counter page (call is "next").
COUNTER_ACTIONS = ("recall", "complete", "skip", "transfer")


def actions_from(status: str) -> list[str]:
    return [name for name, t in TRANSITIONS.items() if status in t.sources and name != "call"]
