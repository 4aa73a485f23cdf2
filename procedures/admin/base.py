"""What the procedures back-office modules share."""

from __future__ import annotations

from tthc_portal.admin_readonly import ReadOnlyAdminMixin

__all__ = ["ReadOnlyAdminMixin"]
