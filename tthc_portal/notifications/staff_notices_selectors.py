"""Reads of a staff member's inbox, always scoped to that member."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from tthc_portal.accounts.models import UserKind

from .models import StaffNotice


def staff_may_receive(user) -> bool:
    """Whether ``user`` has an inbox: staff accounts (and superusers), never
    citizens or businesses. Read from the user row: no query."""
    return bool(user.is_authenticated and (user.kind == UserKind.STAFF or user.is_superuser))


def staff_notices_for(user) -> QuerySet[StaffNotice]:
    """The user's own notices, newest first (paginate the result)."""
    return StaffNotice.objects.filter(user=user).order_by("-created_at", "-pk")


def staff_notices_unread_count(user) -> int:
    """One COUNT on the partial index of unread notices."""
    return StaffNotice.objects.filter(user=user, read_at__isnull=True).count()


def staff_notice_of(user, pk) -> StaffNotice:
    """The user's notice ``pk``, or 404 (another user's id is not found)."""
    if not str(pk).isdigit():
        raise Http404
    return get_object_or_404(StaffNotice, pk=pk, user=user)
