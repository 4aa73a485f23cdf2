"""Writes of the queueing app: tickets (tickets.py) and appointments (appointments.py)."""

from __future__ import annotations


class QueueError(Exception):
    """A refused queue action, with a Vietnamese message for the person."""
