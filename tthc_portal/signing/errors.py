"""Errors the signing services raise, with a message fit for the user."""

from __future__ import annotations


class SigningError(Exception):
    """A PDF could not be signed (no usable key, unreadable PDF…).

    ``str(error)`` is a translated Vietnamese sentence that a view can show.
    """
