"""Helpers for the rating tests: the one-time link as the applicant receives it."""

from __future__ import annotations

import re

from dossiers.models import Dossier
from tthc_portal.notifications.models import OutboxMessage

LINK = re.compile(r"/danh-gia/lien-ket/([A-Za-z0-9_-]+)/")
SHEET = {"c_c5_one_stop_compliance": "2", "c_c6_publicity": "2", "c_c7_attitude": "2",
         "c_c8_feedback_response": "2", "c_c9_online_service": "2", "like": "dislike"}  # fmt: skip


def invitation_messages(dossier: Dossier) -> list[OutboxMessage]:
    return list(
        OutboxMessage.objects.filter(
            topic=f"dossiers.dossier:{dossier.pk}", body__contains="/danh-gia/lien-ket/"
        )
    )


def invitation_token(dossier: Dossier) -> str:
    """The secret of the link sent with the returned result (the same in every channel)."""
    tokens = {LINK.search(m.body).group(1) for m in invitation_messages(dossier)}
    assert len(tokens) == 1, tokens
    return tokens.pop()


def link_path(token: str) -> str:
    return f"/danh-gia/lien-ket/{token}/"
