"""One lifecycle engine for every stateful record (issue #16 item 1).

A lifecycle is data: a table of named transitions (from which statuses, to
which status, which capabilities may perform it, which named guards must hold,
which named effects it applies, the national status it reports and the
notification it sends) plus the registries of those guards and effects. The
engine checks an action against an object and applies it to a row the app's
service has already locked; the service then writes its history and audit
from the returned ``Outcome`` and queues its notifications and sync events.

The kernel knows no domain app: capabilities, statuses, guards and effects are
names the app defines. Transitions are private to their app; callers use the
app's named services, which go through its ``Lifecycle``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.utils.translation import gettext as _

T = TypeVar("T")  # the record the lifecycle governs (a model instance)
C = TypeVar("C")  # what the app's service passes to its effects (actor, inputs, clock)


@dataclass(frozen=True)
class Transition:
    """One row of a lifecycle table."""

    sources: frozenset[str]
    # None: the status does not change (the action records something else).
    target: str | None
    # Capabilities (names the app defines: roles, permissions, "system") any of
    # which lets a caller perform the action.
    actors: frozenset[str]
    label: str
    # Names of the lifecycle's guards, all of which must hold, in this order.
    guards: tuple[str, ...] = ()
    # Names of the lifecycle's effects, applied in this order before the target.
    effects: tuple[str, ...] = ()
    # The status reported to the national portal, when the action is reported.
    national_status: str | None = None
    # Recipient → message: who the app's service tells, and with which message.
    notify: Mapping[str, str] | None = None

    @classmethod
    def row(
        cls,
        sources: Iterable[str],
        target: str | None,
        actors: Iterable[str],
        label: Any,
        *,
        guards: Iterable[str] = (),
        effects: Iterable[str] = (),
        national_status: str | None = None,
        notify: Mapping[str, str] | None = None,
    ):
        """A row from plain collections: the apps' tables read as literals."""
        return cls(
            frozenset(sources), target, frozenset(actors), label, tuple(guards),
            tuple(effects), national_status, notify,
        )  # fmt: skip


@dataclass(frozen=True)
class Guard:
    """A condition on the record that its status alone does not tell."""

    holds: Callable[[Any], bool]
    # Shown to the user when the condition fails (Vietnamese, lazily translated).
    reason: Any
    # Called only on failure: details the user needs (e.g. the list of problems).
    details: Callable[[Any], list[str]] | None = None


class TransitionRefused(Exception):
    """The action cannot be performed on this record now."""

    def __init__(self, action: str, reason: str, details: list[str] | None = None) -> None:
        super().__init__(reason)
        self.action = action
        self.reason = reason
        self.details = details or []


class UnknownAction(TransitionRefused):
    pass


class ActorRefused(TransitionRefused):
    """None of the caller's capabilities may perform the action."""


class StatusRefused(TransitionRefused):
    """The record's status is not a source of the action."""


class GuardFailed(TransitionRefused):
    """A named guard of the action does not hold; ``guard`` names it."""

    def __init__(self, action: str, guard: str, reason: str, details: list[str] | None = None):
        super().__init__(action, reason, details)
        self.guard = guard


@dataclass(frozen=True)
class Outcome:
    """What a run did, for the app's service to record and announce."""

    action: str
    transition: Transition
    before: str
    after: str
    # Fields of the record the effects and the status change modified (in order).
    fields: tuple[str, ...]

    @property
    def notify(self) -> Mapping[str, str]:
        return self.transition.notify or {}


# An effect changes the locked record for one action and names the fields it changed.
Effect = Callable[[T, C], Iterable[str]]


@dataclass
class Lifecycle(Generic[T, C]):
    """One lifecycle: its table, its named guards and effects, and the engine."""

    name: str
    table: Mapping[str, Transition]
    guards: Mapping[str, Guard] = field(default_factory=dict)
    effects: Mapping[str, Effect[T, C]] = field(default_factory=dict)
    # Named computed targets (e.g. "back to the status saved before the pause").
    targets: Mapping[str, Callable[[T], str]] = field(default_factory=dict)
    status_field: str = "status"

    def __post_init__(self) -> None:
        # A table naming a guard or effect nobody registered is a programming
        # error: fail at import, not on the first user who clicks.
        for action, t in self.table.items():
            for name in t.guards:
                if name not in self.guards:
                    raise ValueError(f"{self.name}.{action}: unknown guard {name!r}")
            for name in t.effects:
                if name not in self.effects:
                    raise ValueError(f"{self.name}.{action}: unknown effect {name!r}")

    # --- reading the table ---------------------------------------------------------------

    def __getitem__(self, action: str) -> Transition:
        return self.table[action]

    def __contains__(self, action: object) -> bool:
        return action in self.table

    def __iter__(self):
        return iter(self.table)

    def items(self):
        return self.table.items()

    def get(self, action: str) -> Transition | None:
        return self.table.get(action)

    def transition(self, action: str) -> Transition:
        try:
            return self.table[action]
        except KeyError:
            raise UnknownAction(action, _("Thao tác không hợp lệ.")) from None

    def status_of(self, obj: T) -> str:
        return getattr(obj, self.status_field)

    def actions_from(self, status: str) -> list[str]:
        """The actions whose sources include this status (no guards, no actors)."""
        return [name for name, t in self.table.items() if status in t.sources]

    def guard_failure(self, transition: Transition, obj: T) -> tuple[str, Guard] | None:
        for name in transition.guards:
            guard = self.guards[name]
            if not guard.holds(obj):
                return name, guard
        return None

    def allowed(self, obj: T, capabilities: Iterable[str] | None = None) -> list[str]:
        """The actions the table allows on this record now, in table order.

        ``capabilities=None`` leaves the actor out (what the record allows);
        otherwise only actions one of the capabilities may perform.
        """
        held = None if capabilities is None else frozenset(capabilities)
        status = self.status_of(obj)
        return [
            name
            for name, t in self.table.items()
            if status in t.sources
            and (held is None or t.actors & held)
            and self.guard_failure(t, obj) is None
        ]

    # --- the engine ----------------------------------------------------------------------

    def check(self, action: str, obj: T, capabilities: Iterable[str] | None = None) -> Transition:
        """The transition, if the caller may perform it on this record now.

        Checked in this order: the actor, the status, then each guard; raises
        the ``TransitionRefused`` subclass naming the first failure.
        ``capabilities=None`` skips the actor check (the service checked it).
        """
        transition = self.transition(action)
        if capabilities is not None and not transition.actors & frozenset(capabilities):
            raise ActorRefused(
                action,
                _("Anh/chị không có quyền “%(action)s”.") % {"action": transition.label},
            )
        if self.status_of(obj) not in transition.sources:
            raise StatusRefused(
                action,
                _("Không thể “%(action)s” khi đang ở trạng thái “%(status)s”.")
                % {"action": transition.label, "status": self._status_label(obj)},
            )
        failure = self.guard_failure(transition, obj)
        if failure is not None:
            name, guard = failure
            details = guard.details(obj) if guard.details else None
            raise GuardFailed(action, name, str(guard.reason), details)
        return transition

    def run(
        self,
        action: str,
        obj: T,
        context: C,
        *,
        capabilities: Iterable[str] | None = None,
        apply: Callable[[T], Iterable[str]] | None = None,
    ) -> Outcome:
        """Check the action, then change the (locked) record in memory.

        ``apply`` is the caller's own input (form fields), applied after the
        checks and before the named effects; each may raise to refuse. The
        status is set last. Saving, history, audit and notifications are the
        app service's, from the returned ``Outcome``.
        """
        transition = self.check(action, obj, capabilities)
        before = self.status_of(obj)
        fields: list[str] = []
        if apply is not None:
            fields.extend(apply(obj) or ())
        for name in transition.effects:
            fields.extend(self.effects[name](obj, context) or ())
        target = transition.target
        if target in self.targets:
            target = self.targets[target](obj)
        if target is not None and target != before:
            setattr(obj, self.status_field, target)
            fields.append(self.status_field)
        unique = tuple(dict.fromkeys(fields))
        return Outcome(action, transition, before, self.status_of(obj), unique)

    def _status_label(self, obj: T) -> str:
        display = getattr(obj, f"get_{self.status_field}_display", None)
        return str(display()) if callable(display) else self.status_of(obj)
