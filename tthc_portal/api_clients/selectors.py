"""Who manages which integration clients."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.models import Agency, StaffMembership

from .models import ApiClient


def is_client_manager(user) -> bool:
    """Superusers and system administrators (the provincial office's role)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if hasattr(user, "api_client"):
        return False  # a service account manages nothing, whatever its roles
    return (
        user.is_superuser
        or StaffMembership.objects.filter(user=user, role=Role.ADMINISTRATOR).exists()
    )


def agencies_for_client_manager(user) -> QuerySet[Agency]:
    """Agencies a manager may register clients for: all for a superuser, the
    subtree of each agency where the user is an administrator otherwise."""
    if not is_client_manager(user):
        return Agency.objects.none()
    if user.is_superuser:
        return Agency.objects.all()
    paths = StaffMembership.objects.filter(user=user, role=Role.ADMINISTRATOR).values_list(
        "agency__path", flat=True
    )
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return Agency.objects.filter(condition)


def clients_for_manager(user) -> QuerySet[ApiClient]:
    return ApiClient.objects.filter(agency__in=agencies_for_client_manager(user)).select_related(
        "application", "agency", "created_by"
    )
