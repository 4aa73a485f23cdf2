"""Write operations on ratings and PAKN. Views, API, tasks and the demo call only these."""

from __future__ import annotations


class FeedbackError(Exception):
    """A refused operation, with a Vietnamese message meant for the user.

    ``errors`` lists details; ``fields`` maps a form field to its messages so
    a form can show each one beside its input.
    """

    def __init__(
        self,
        message: str,
        errors: list[str] | None = None,
        fields: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or []
        self.fields = fields or {}


def site_url(path: str) -> str:
    """An absolute link for emails and SMS (SITE_URL + path)."""
    from django.conf import settings

    return settings.TTHC.get("SITE_URL", "").rstrip("/") + path


__all__ = ["FeedbackError", "site_url"]
