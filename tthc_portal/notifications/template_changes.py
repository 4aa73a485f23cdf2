"""Changing a notification's wording: checked, recorded, effective at once."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template import Template, TemplateSyntaxError
from django.utils.translation import gettext as _

from tthc_portal.audit.services import audit_record, model_snapshot

from .models import MessageTemplate

EDITABLE_FIELDS = ["description", "subject", "email_body", "sms_body", "is_active"]
_TEMPLATE_FIELDS = ["subject", "email_body", "sms_body"]


def message_template_check(values: dict[str, Any]) -> dict[str, str]:
    """Errors by field for wording that would not render (a broken tag would
    otherwise surface only when a citizen's message fails to send)."""
    errors: dict[str, str] = {}
    for field in _TEMPLATE_FIELDS:
        try:
            Template(values.get(field) or "")
        except TemplateSyntaxError as exc:
            errors[field] = _("Mẫu không hợp lệ: %(error)s") % {"error": exc}
    return errors


@transaction.atomic
def message_template_update(
    template: MessageTemplate, *, actor: Any, values: dict[str, Any]
) -> MessageTemplate:
    errors = message_template_check(values)
    if errors:
        raise ValidationError(errors)
    locked = MessageTemplate.objects.select_for_update().get(pk=template.pk)
    before = model_snapshot(locked, EDITABLE_FIELDS)
    for field in EDITABLE_FIELDS:
        if field in values:
            setattr(locked, field, values[field])
    locked.save()
    after = model_snapshot(locked, EDITABLE_FIELDS)
    if after != before:
        audit_record(
            actor=actor,
            action="notifications.template_changed",
            target=locked,
            before={k: v for k, v in before.items() if after[k] != v},
            after={k: v for k, v in after.items() if before[k] != v},
        )
    return locked
