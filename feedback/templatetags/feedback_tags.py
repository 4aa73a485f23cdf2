"""Template helpers for feedback pages and the snippets other pages include."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import AlertLevel, Feedback, Rating, RatingSource, Status

register = template.Library()

STATUS_CSS = {
    Status.PUBLISHED: "state-ok",
    Status.AWAITING_PUBLICATION: "state-ok",
    Status.NOT_ACCEPTED: "state-bad",
    Status.AWAITING_SUPPLEMENT: "state-warn",
    Status.FORWARDED: "state-muted",
}


@register.filter
def status_css(status: str) -> str:
    return STATUS_CSS.get(status, "state-muted")


@register.simple_tag
def due_state(item: Feedback, now: datetime | None = None) -> dict[str, str]:
    """How the item stands against its current deadline (stored on the row)."""
    now = now or timezone.now()
    if item.next_due_at is None:
        return {"css": "state-muted", "label": _("Không tính hạn"), "key": "none"}
    if item.next_due_at < now or item.alert_level == AlertLevel.OVERDUE:
        return {"css": "state-bad", "label": _("Quá hạn"), "key": "overdue"}
    if (item.due_soon_from and item.due_soon_from <= now) or item.alert_level == (
        AlertLevel.DUE_SOON
    ):
        return {"css": "state-warn", "label": _("Sắp đến hạn"), "key": "due_soon"}
    return {"css": "state-ok", "label": _("Trong hạn"), "key": "in_time"}


@register.simple_tag
def feedback_rating_state(dossier: Any) -> dict[str, Any]:
    """For templates/feedback/_rating_invite.html on the applicant's own dossier
    page: the link opens the signed-in rating page (never the lookup token)."""
    from django.urls import reverse

    from ..services.ratings import RATEABLE_STATUSES

    if dossier is None or not getattr(dossier, "code", None):
        return {"rateable": False}
    rating = (
        Rating.objects.filter(dossier=dossier, source=RatingSource.PORTAL)
        .only("total", "band_label", "like", "submitted_at")
        .first()
    )
    return {
        "rateable": dossier.status in RATEABLE_STATUSES,
        "rating": rating,
        "link": reverse("feedback:rate_mine", kwargs={"dossier_id": dossier.pk}),
    }


@register.simple_tag
def feedback_linked(dossier: Any) -> list[Feedback]:
    """PAKN naming the dossier (templates/feedback/_dossier_feedback.html)."""
    if dossier is None or getattr(dossier, "pk", None) is None:
        return []
    return list(
        Feedback.objects.filter(dossier=dossier)
        .only("code", "title", "status", "received_at")
        .order_by("-received_at")
    )


@register.filter
def lookup(row: dict, key: str) -> Any:
    return row.get(key, "")
