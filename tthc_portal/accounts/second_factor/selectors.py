"""Reads for the second-factor pages: who is enrolled, how many recovery codes are left."""

from __future__ import annotations

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tthc_portal.accounts.models import UserKind
from tthc_portal.agencies.selectors import staff_administered_by


def staff_users(users: QuerySet) -> QuerySet:
    # Service accounts of integration clients never sign in on pages: no second factor.
    return users.filter(Q(kind=UserKind.STAFF) | Q(is_staff=True) | Q(is_superuser=True)).filter(
        api_client__isnull=True
    )


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def staff_second_factor_status(administrator, query: str = "") -> QuerySet:
    """The staff ``administrator`` manages, with ``enrolled`` (a confirmed app),
    ``enrolled_at``, ``last_used_at`` and ``codes_left``, in one query whatever the
    page size."""
    confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True).order_by("pk")
    codes = (
        StaticToken.objects.filter(device__user=OuterRef("pk"), device__confirmed=True)
        .values("device__user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    users = staff_users(staff_administered_by(administrator))
    if query:
        users = users.filter(
            Q(username__icontains=query) | Q(full_name__icontains=query) | Q(email__icontains=query)
        )
    return users.annotate(
        enrolled=Exists(confirmed),
        enrolled_at=Subquery(confirmed.values("created_at")[:1]),
        last_used_at=Subquery(confirmed.values("last_used_at")[:1]),
        codes_left=Coalesce(Subquery(codes, output_field=IntegerField()), 0),
    ).order_by("username")
