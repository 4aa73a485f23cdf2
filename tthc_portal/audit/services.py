"""Writing audit events. Call from services, inside the caller's transaction."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from .middleware import current_api_client, current_request_id
from .models import AuditEvent


class _AuditEncoder(DjangoJSONEncoder):
    """Also writes related objects as their primary key."""

    def default(self, o):
        if isinstance(o, models.Model):
            return o.pk
        return super().default(o)


_encoder = _AuditEncoder()


def _jsonable(value: Any) -> Any:
    """Dates, decimals and UUIDs become strings so JSONField accepts them."""
    if value is None:
        return None

    return json.loads(_encoder.encode(value))


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_repr=str(actor) if authenticated else "hệ thống",
        action=action,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        target_id=str(target.pk),
        target_repr=str(target)[:255],
        before=_jsonable(before),
        after=_jsonable(after),
        request_id=current_request_id(),
        via_client=current_api_client(),
    )


def model_snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in fields}
