"""Telling the submitter and the handling agency (outbox)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.selectors import staff_with_role
from tthc_portal.notifications.services import notify_from_template

from ...models import (
    Feedback,
)
from .. import site_url


def tracking_path(item: Feedback) -> str:
    return reverse("feedback:track", kwargs={"token": item.lookup_token})


def notify_submitter(item: Feedback, key: str, action: str) -> None:
    context = {
        "code": item.code,
        "title": item.title,
        "name": item.submitter_name,
        "status": item.get_status_display(),
        "reason": item.refusal_reason,
        "request": item.supplement_request,
        "answer": item.answer,
        "recipient": item.external_recipient,
        "link": site_url(tracking_path(item)),
        "public_link": site_url(reverse("feedback:published_detail", kwargs={"code": item.code})),
        "handle_due_at": timezone.localtime(item.handle_due_at),
    }
    notify_from_template(
        key,
        context,
        email=item.submitter_email,
        phone=item.submitter_phone,
        dedupe_key=f"feedback:{item.pk}:{action}:{item.history.count()}",
        topic=f"feedback.feedback:{item.pk}",
    )


def notify_agency(item: Feedback, key: str, action: str) -> None:
    recipients = {
        user.pk: user
        for role in (Role.DEPARTMENT_HEAD, Role.SPECIALIST)
        for user in staff_with_role(item.agency, role)
    }
    context = {
        "code": item.code,
        "title": item.title,
        "agency": item.agency.name,
        "handle_due_at": timezone.localtime(item.handle_due_at),
        "link": site_url(reverse("feedback:staff_detail", kwargs={"pk": item.pk})),
    }
    step = item.history.count()
    for user in recipients.values():
        notify_from_template(
            key,
            context,
            email=user.email,
            dedupe_key=f"feedback:{item.pk}:{action}:{step}:{user.pk}",
            topic=f"feedback.feedback:{item.pk}",
        )
