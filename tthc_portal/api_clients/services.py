"""Creating, revoking and re-keying integration clients. Every change is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_refresh_token_model,
)
from oauth2_provider.settings import oauth2_settings

from tthc_portal.accounts.models import UserKind
from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.models import Agency, StaffMembership
from tthc_portal.agencies.services import membership_grant, membership_revoke
from tthc_portal.audit.services import audit_record

from .models import ApiClient

# Writing last_used_at on every call would make each API call a write.
TOUCH_INTERVAL = timedelta(minutes=1)


class ApiClientError(ValueError):
    """A refused change; the message is shown to the administrator."""


@dataclass(frozen=True)
class IssuedSecret:
    """The client and its secret in clear: shown once, never stored in clear."""

    client: ApiClient
    client_secret: str


def client_roles(scopes: list[str]) -> list[str]:
    """The agency roles that give the service account the rights its scopes need.

    Every scope needs the agency's records (the desk role); the indicator
    reports are for heads of unit. Scopes, checked on every call, keep the
    token to the resources it was given.
    """
    roles = [Role.DESK_OFFICER]
    if "indicators:read" in scopes:
        roles.append(Role.DEPARTMENT_HEAD)
    return roles


def _clean_scopes(scopes: list[str]) -> list[str]:
    known = oauth2_settings.SCOPES
    unknown = [scope for scope in scopes if scope not in known]
    if unknown:
        raise ApiClientError(_("Phạm vi không tồn tại: %(s)s.") % {"s": ", ".join(unknown)})
    cleaned = [scope for scope in known if scope in set(scopes)]
    if not cleaned:
        raise ApiClientError(_("Cần chọn ít nhất một phạm vi."))
    return cleaned


def _tokens_revoke(client: ApiClient) -> int:
    """Delete every token of the client: they stop working on the next call."""
    get_refresh_token_model().objects.filter(application=client.application).delete()
    deleted, _detail = (
        get_access_token_model().objects.filter(application=client.application).delete()
    )
    return deleted


@transaction.atomic
def api_client_create(*, actor, name: str, agency: Agency, scopes: list[str]) -> IssuedSecret:
    name = name.strip()
    if not name:
        raise ApiClientError(_("Vui lòng nhập tên hệ thống."))
    if not agency.is_active:
        raise ApiClientError(_("Cơ quan đã ngừng hoạt động."))
    scopes = _clean_scopes(scopes)
    secret = generate_client_secret()
    application = get_application_model().objects.create(
        name=name[:255],
        client_type="confidential",
        authorization_grant_type="client-credentials",
        client_secret=secret,  # hashed on save
        hash_client_secret=True,
        user=None,
    )
    account = get_user_model()(
        username=f"ketnoi-{application.client_id}"[:150],
        kind=UserKind.STAFF,
        full_name=name[:255],
        is_active=True,
    )
    # No password: the account cannot sign in on the pages, only act through tokens.
    account.set_unusable_password()
    account.save()
    client = ApiClient.objects.create(
        application=application,
        name=name[:255],
        agency=agency,
        scopes=scopes,
        service_account=account,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    for role in client_roles(scopes):
        membership_grant(actor=actor, user=account, agency=agency, role=role)
    audit_record(
        actor=actor,
        action="api_client.create",
        target=client,
        after={"client_id": application.client_id, "agency": agency.code, "scopes": scopes},
    )
    return IssuedSecret(client=client, client_secret=secret)


@transaction.atomic
def api_client_revoke(*, actor, client: ApiClient) -> ApiClient:
    """Revoke the client: no new token, and its existing tokens stop at once."""
    client = ApiClient.objects.select_for_update().select_related("application").get(pk=client.pk)
    if client.revoked_at is not None:
        return client
    client.revoked_at = timezone.now()
    client.save(update_fields=["revoked_at"])
    tokens = _tokens_revoke(client)
    account = client.service_account
    for membership in StaffMembership.objects.filter(user=account):
        membership_revoke(actor=actor, membership=membership)
    account.is_active = False
    account.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="api_client.revoke",
        target=client,
        before={"client_id": client.client_id, "scopes": client.scopes},
        after={"revoked_at": client.revoked_at, "tokens_revoked": tokens},
    )
    return client


@transaction.atomic
def api_client_secret_rotate(*, actor, client: ApiClient) -> IssuedSecret:
    """A new secret; the old one and every token obtained with it stop working."""
    client = ApiClient.objects.select_for_update().select_related("application").get(pk=client.pk)
    if client.revoked_at is not None:
        raise ApiClientError(_("Hệ thống kết nối đã bị thu hồi."))
    secret = generate_client_secret()
    application = client.application
    application.client_secret = secret
    application.save(update_fields=["client_secret"])
    client.secret_rotated_at = timezone.now()
    client.save(update_fields=["secret_rotated_at"])
    tokens = _tokens_revoke(client)
    audit_record(
        actor=actor,
        action="api_client.secret_rotate",
        target=client,
        after={"rotated_at": client.secret_rotated_at, "tokens_revoked": tokens},
    )
    return IssuedSecret(client=client, client_secret=secret)


def api_client_touch(client: ApiClient) -> None:
    """Record the last use, at most once a minute (a compare-and-set, no lock)."""
    now = timezone.now()
    ApiClient.objects.filter(pk=client.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - TOUCH_INTERVAL)
    ).update(last_used_at=now)
