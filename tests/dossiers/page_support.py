"""Helpers for the processing page tests: a refused action redirects back."""

from __future__ import annotations

from django.urls import reverse

from dossiers.models import Dossier


def refused(client, dossier: Dossier, response, reason: str) -> str:
    """A refused action redirects to the page (post/redirect/get); the reason
    is the message shown there. Returns the page."""
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("processing:dossier", args=[dossier.pk]))
    page = client.get(response["Location"]).content.decode()
    assert 'class="message message-error"' in page and reason in page
    return page
