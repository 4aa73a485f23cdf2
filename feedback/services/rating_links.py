"""One-time rating links sent to the applicant (issue #15 item 7).

The dossier's lookup token is printed as a QR code on the receipt and the
result, so anyone holding a copy of those papers has it: it opens the status
page only. Rating needs either the applicant's own signed-in session or this
link, a separate random secret sent to the phone or e-mail on file when the
result is returned. Only the SHA-256 of the secret is stored; the link expires
after ``TTHC["RATING_LINK_DAYS"]`` days and is consumed by the first
successful rating.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.models import Dossier
from tthc_portal.audit.services import audit_record

from ..models import Rating, RatingLink, RatingSource
from . import FeedbackError, site_url
from .ratings import rating_submit

# 32 random bytes: 43 URL-safe characters; guessing one is out of reach, so a
# plain (fast) hash is enough to store it.
TOKEN_BYTES = 32
# Longer "tokens" are refused before hashing: nothing real is that long.
MAX_TOKEN_LENGTH = 128
DEFAULT_LINK_DAYS = 30

VALID = "valid"
USED = "used"
EXPIRED = "expired"
UNKNOWN = "unknown"


class RatingLinkUnusable(FeedbackError):
    """The link cannot rate (any more): ``state`` is used, expired or unknown."""

    def __init__(self, state: str, link: RatingLink | None = None) -> None:
        messages = {
            USED: _("Đường dẫn đánh giá này đã được sử dụng. Mỗi đường dẫn chỉ dùng được một lần."),
            EXPIRED: _("Đường dẫn đánh giá này đã hết hạn."),
            UNKNOWN: _("Đường dẫn đánh giá không hợp lệ."),
        }
        super().__init__(messages.get(state, messages[UNKNOWN]))
        self.state = state
        self.link = link


def rating_link_days() -> int:
    """Validity of a new link in days (setting ``TTHC["RATING_LINK_DAYS"]``)."""
    return max(1, int(settings.TTHC.get("RATING_LINK_DAYS", DEFAULT_LINK_DAYS)))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def rating_link_url(token: str) -> str:
    return site_url(reverse("feedback:rate_link", kwargs={"token": token}))


def rating_link_issue(dossier: Dossier, *, at: datetime | None = None) -> tuple[RatingLink, str]:
    """A new link for ``dossier``; returns the row and the secret (never stored)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = at or timezone.now()
    link = RatingLink.objects.create(
        dossier=dossier,
        token_hash=token_hash(token),
        created_at=now,
        expires_at=now + timedelta(days=rating_link_days()),
    )
    audit_record(
        actor=None,
        action="rating.link_issued",
        target=link,
        after={"dossier": dossier.code, "expires_at": link.expires_at},
    )
    return link, token


def rating_link_find(token: str) -> RatingLink | None:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return (
        RatingLink.objects.select_related("dossier__procedure_version", "dossier__receiving_agency")
        .filter(token_hash=token_hash(token))
        .first()
    )


def rating_link_state(link: RatingLink | None, now: datetime | None = None) -> str:
    if link is None:
        return UNKNOWN
    if link.used_at is not None:
        return USED
    if (now or timezone.now()) >= link.expires_at:
        return EXPIRED
    return VALID


def rating_submit_by_link(
    *,
    token: str,
    scores: dict[str, Any],
    like: str | None,
    comment: str = "",
    at: datetime | None = None,
) -> Rating:
    """Rate the link's dossier once, then the link is spent.

    Two submits at the same moment (a double click, two tabs) get exactly one
    rating: the link row is locked (``SELECT … FOR UPDATE`` on PostgreSQL) and
    consumed by a conditional update (``used_at IS NULL``) in the same
    transaction as the rating, so the second one finds it used. A refused
    sheet (validation, dossier already rated) rolls the consumption back and
    the link stays usable. Raises :class:`RatingLinkUnusable` or
    :class:`FeedbackError`.
    """
    now = at or timezone.now()
    refused: RatingLinkUnusable | None = None
    with transaction.atomic():
        link = None
        if token and len(token) <= MAX_TOKEN_LENGTH:
            link = (
                RatingLink.objects.select_for_update().filter(token_hash=token_hash(token)).first()
            )
        state = rating_link_state(link, now)
        if state == VALID:
            claimed = RatingLink.objects.filter(pk=link.pk, used_at__isnull=True).update(
                used_at=now
            )
            if not claimed:  # where FOR UPDATE is a no-op (SQLite), the update decides
                state = USED
        if state != VALID:
            refused = RatingLinkUnusable(state, link)
        else:
            rating = rating_submit(
                dossier=link.dossier,
                source=RatingSource.PORTAL,
                scores=scores,
                like=like,
                comment=comment,
                at=now,
                via="one_time_link",
            )
            RatingLink.objects.filter(pk=link.pk).update(rating=rating)
            audit_record(
                actor=None,
                action="rating.link_used",
                target=link,
                after={"dossier": link.dossier.code, "rating": rating.pk},
            )
            return rating
    if refused.link is not None and refused.state == USED:
        # Recorded outside the refused transaction, which rolls back.
        rating_link_reuse_record(refused.link)
    raise refused


def rating_link_reuse_record(link: RatingLink) -> None:
    """Audit a sheet sent through a spent link: it may have been forwarded or intercepted."""
    audit_record(
        actor=None,
        action="rating.link_reuse_refused",
        target=link,
        after={"dossier": link.dossier.code},
    )
