"""Write operations and the reads the dashboard and the API build on.

``periods``: open, compute (now or in the background), publish and freeze.
``results``: stored results and summaries per unit; ``scope``: which units a
user may see. ``predicted``, ``periodic_report`` and ``drilldown`` answer
the questions "what will we lose", "form II.06a" and "which dossiers".
"""

from __future__ import annotations


class IndicatorError(Exception):
    """A refused operation, with a message meant for the user (Vietnamese)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


__all__ = ["IndicatorError"]
