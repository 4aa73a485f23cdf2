"""The admin is for reading: records the services keep are never edited there.

A lifecycle row, a history row, a permission group or a calendar day changed in
the admin would skip the service that locks the row, checks the transition,
writes history and audit and queues notifications and sync. Admin classes of
such models mix this in; ``tests/kernel/test_admin_write_paths.py`` walks every
registration and fails when one of them is writable.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest


class ReadOnlyAdminMixin:
    """A record kept by the services: visible, never edited here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyModelAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Convenience base for a read-only registration."""
