"""Downloading a paper that is still being made: a clear Vietnamese answer
(202 and "try again in a few seconds"), never a 404; after a stale claim is
reclaimed the file downloads. A failed paper says so and offers the retry."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dossiers.models import RenderStatus
from dossiers.services.documents import documents_requeue_stale
from tests.dossiers.render_support import CITIZEN, ago, pending_receipt, set_render_state

pytestmark = pytest.mark.django_db


def test_a_paper_being_rendered_answers_try_again_then_downloads_after_reclaim(
    client, users, online_procedure, settings, django_capture_on_commit_callbacks
):
    settings.TTHC = {**settings.TTHC, "RENDER_RECLAIM_SECONDS": 120}
    # Its worker was killed mid-render.
    document = set_render_state(
        pending_receipt(users, online_procedure),
        status=RenderStatus.RENDERING,
        render_claimed_at=ago(30),
        render_attempts=1,
    )
    failed = set_render_state(
        pending_receipt(users, online_procedure), status=RenderStatus.FAILED, error="OSError"
    )
    url = reverse("dossiers:document_download", args=[document.pk])
    client.force_login(users[CITIZEN])

    response = client.get(url)
    assert response.status_code == 202
    assert response["Retry-After"] == "5"
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "Giấy tờ đang được tạo, vui lòng thử lại sau ít giây." in html
    # The progress block polls and turns into the link when the PDF exists.
    assert 'hx-trigger="every 1s"' in html

    with django_capture_on_commit_callbacks(execute=True):
        assert documents_requeue_stale() == 0  # still inside the window
    set_render_state(document, render_claimed_at=ago(121))
    with django_capture_on_commit_callbacks(execute=True):
        assert documents_requeue_stale() == 1

    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")

    response = client.get(reverse("dossiers:document_download", args=[failed.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "chưa tạo được" in html and "Tạo lại" in html
