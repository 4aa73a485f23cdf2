"""Records retention and disposal: every write goes through these services."""

from __future__ import annotations


class RecordsError(Exception):
    """A rule of the disposal procedure forbids the action (translated message)."""


from .destruction import disposal_execute, disposal_execute_due  # noqa: E402
from .holds import legal_hold_lift, legal_hold_place  # noqa: E402
from .proposal import disposal_lists_propose  # noqa: E402
from .review import disposal_item_remove, disposal_transition  # noqa: E402

__all__ = [
    "RecordsError",
    "disposal_execute",
    "disposal_execute_due",
    "disposal_item_remove",
    "disposal_lists_propose",
    "disposal_transition",
    "legal_hold_lift",
    "legal_hold_place",
]
