"""The kernel lifecycle engine (issue #16 item 1): a table as data, named guards
and effects, ``allowed`` filtered by status, guards and capabilities, ``check``
refusing with a typed error and a reason, ``run`` applying effects then the target.

Pure Python: no database, the record is a plain object.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tthc_portal.lifecycle import (
    ActorRefused,
    Guard,
    GuardFailed,
    Lifecycle,
    StatusRefused,
    Transition,
    UnknownAction,
)


@dataclass
class Ticket:
    status: str = "open"
    paid: bool = False
    closed_by: str = ""
    saved_status: str = ""


@dataclass(frozen=True)
class Ctx:
    actor: str


def _close(ticket: Ticket, ctx: Ctx) -> list[str]:
    ticket.closed_by = ctx.actor
    return ["closed_by"]


def _save_status(ticket: Ticket, ctx: Ctx) -> list[str]:
    ticket.saved_status = ticket.status
    return ["saved_status"]


def _lifecycle() -> Lifecycle[Ticket, Ctx]:
    return Lifecycle(
        name="ticket",
        table={
            "start": Transition(frozenset({"open"}), "doing", frozenset({"clerk"}), "Start"),
            "pause": Transition(
                frozenset({"open", "doing"}),
                "paused",
                frozenset({"clerk"}),
                "Pause",
                effects=("save_status",),
            ),
            "resume": Transition(
                frozenset({"paused"}), "__previous__", frozenset({"clerk"}), "Resume"
            ),
            "close": Transition(
                frozenset({"doing"}),
                "closed",
                frozenset({"head"}),
                "Close",
                guards=("paid",),
                effects=("close",),
                national_status="4",
                notify={"applicant": "ticket.closed"},
            ),
            "note": Transition(frozenset({"open", "doing"}), None, frozenset({"clerk"}), "Note"),
        },
        guards={"paid": Guard(lambda t: t.paid, "Chưa nộp phí.", details=lambda t: ["phí"])},
        effects={"close": _close, "save_status": _save_status},
        targets={"__previous__": lambda t: t.saved_status},
    )


def test_allowed_follows_status_guards_and_capabilities():
    lifecycle = _lifecycle()
    ticket = Ticket(status="doing")
    assert lifecycle.allowed(ticket) == ["pause", "note"]  # "close": the fee is unpaid
    ticket.paid = True
    assert lifecycle.allowed(ticket) == ["pause", "close", "note"]
    assert lifecycle.allowed(ticket, {"head"}) == ["close"]
    assert lifecycle.allowed(ticket, {"clerk"}) == ["pause", "note"]
    assert lifecycle.allowed(ticket, set()) == []
    assert lifecycle.actions_from("paused") == ["resume"]


def test_check_refuses_with_a_typed_error_in_order_actor_status_guard():
    lifecycle = _lifecycle()
    ticket = Ticket(status="open")
    with pytest.raises(ActorRefused):
        lifecycle.check("close", ticket, {"clerk"})
    with pytest.raises(StatusRefused) as status:
        lifecycle.check("close", ticket, {"head"})
    assert "Close" in status.value.reason
    ticket.status = "doing"
    with pytest.raises(GuardFailed) as guard:
        lifecycle.check("close", ticket, {"head"})
    assert (guard.value.guard, guard.value.reason, guard.value.details) == (
        "paid",
        "Chưa nộp phí.",
        ["phí"],
    )
    with pytest.raises(UnknownAction):
        lifecycle.check("fly", ticket, {"head"})
    ticket.paid = True
    assert lifecycle.check("close", ticket, {"head"}).target == "closed"
    # No capabilities: the caller's service checked the actor itself.
    assert lifecycle.check("close", ticket).target == "closed"


def test_run_applies_input_then_effects_then_target():
    lifecycle = _lifecycle()
    ticket = Ticket(status="doing", paid=True)
    outcome = lifecycle.run(
        "close",
        ticket,
        Ctx(actor="an"),
        capabilities={"head"},
        apply=lambda t: ["paid"],
    )
    assert ticket.status == "closed" and ticket.closed_by == "an"
    assert (outcome.before, outcome.after) == ("doing", "closed")
    assert outcome.fields == ("paid", "closed_by", "status")
    assert outcome.notify == {"applicant": "ticket.closed"}
    assert outcome.transition.national_status == "4"


def test_run_leaves_the_record_alone_when_refused():
    lifecycle = _lifecycle()
    ticket = Ticket(status="doing", paid=False)
    with pytest.raises(GuardFailed):
        lifecycle.run("close", ticket, Ctx(actor="an"), capabilities={"head"})
    assert (ticket.status, ticket.closed_by) == ("doing", "")


def test_no_target_keeps_the_status_and_named_targets_are_computed():
    lifecycle = _lifecycle()
    ticket = Ticket(status="doing")
    assert lifecycle.run("note", ticket, Ctx(actor="an")).fields == ()
    lifecycle.run("pause", ticket, Ctx(actor="an"))
    assert ticket.status == "paused"
    outcome = lifecycle.run("resume", ticket, Ctx(actor="an"))
    assert (ticket.status, outcome.after) == ("doing", "doing")


def test_a_table_naming_an_unregistered_guard_or_effect_fails_at_definition():
    row = Transition(frozenset({"a"}), "b", frozenset({"x"}), "Go", guards=("missing",))
    with pytest.raises(ValueError, match="missing"):
        Lifecycle(name="broken", table={"go": row})
    row = Transition(frozenset({"a"}), "b", frozenset({"x"}), "Go", effects=("missing",))
    with pytest.raises(ValueError, match="missing"):
        Lifecycle(name="broken", table={"go": row})
