"""Downloading the papers, and their progress fragment: who may see what."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from dossiers.models import DocumentKind, DossierDocument, RenderStatus
from dossiers.services.reception import dossier_receive
from dossiers.services.submission import component_attach, dossier_create_draft, dossier_submit
from tests.dossiers.files import make_pdf, upload

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CITIZEN = "001085012345"
OTHER_CITIZEN = "036190004567"
DESK = "motcua.tuphap"
OTHER_DESK = "motcua.yte"
HTMX = {"HTTP_HX_REQUEST": "true"}


def receipt(users, procedure, capture=None) -> DossierDocument:
    """Form 01 of a received dossier; rendered when ``capture`` runs the
    after-commit callbacks, still pending otherwise."""
    citizen = users[CITIZEN]
    dossier = dossier_create_draft(actor=citizen, procedure=procedure)
    for requirement in procedure.current_version.components.filter(required=True):
        component_attach(
            actor=citizen, dossier=dossier, requirement_id=requirement.pk,
            upload=upload(f"{requirement.order}.pdf", make_pdf()),
        )  # fmt: skip
    dossier = dossier_submit(actor=citizen, dossier=dossier)
    received_at = datetime(2025, 3, 3, 9, 0, tzinfo=TZ)
    if capture is None:
        dossier = dossier_receive(actor=users[DESK], dossier=dossier, at=received_at)
    else:
        with capture(execute=True):
            dossier = dossier_receive(actor=users[DESK], dossier=dossier, at=received_at)
    return DossierDocument.objects.get(dossier=dossier, kind=DocumentKind.RECEIPT)


def urls(document: DossierDocument) -> dict[str, str]:
    return {
        name: reverse(f"dossiers:document_{name}", args=[document.pk])
        for name in ("download", "status", "retry")
    }


def test_the_applicant_and_the_receiving_desk_download_others_get_404(
    client, users, online_procedure, django_capture_on_commit_callbacks
):
    document = receipt(users, online_procedure, django_capture_on_commit_callbacks)
    assert document.status == RenderStatus.READY
    links = urls(document)
    for username in (CITIZEN, DESK):
        client.force_login(users[username])
        response = client.get(links["download"])
        assert response.status_code == 200, username
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            'attachment; filename="phieu-tiep-nhan-000.00.10.H99-250303-0001.pdf"'
        )
        assert response["X-Content-Type-Options"] == "nosniff"
        assert {"private", "no-store"} <= {
            part.strip() for part in response["Cache-Control"].split(",")
        }
        body = b"".join(response.streaming_content)
        assert body.startswith(b"%PDF") and len(body) > 1000
        status = client.get(links["status"], **HTMX)
        assert status.status_code == 200
        assert links["download"] in status.content.decode()
        assert "hx-trigger" not in status.content.decode()  # ready: polling stops

    # Another citizen, a desk of another agency, an unknown number: all 404.
    for username in (OTHER_CITIZEN, OTHER_DESK):
        client.force_login(users[username])
        for name in ("download", "status"):
            assert client.get(links[name], **HTMX).status_code == 404, (username, name)
        assert client.post(links["retry"], **HTMX).status_code == 404
    client.force_login(users[CITIZEN])
    missing = reverse("dossiers:document_download", args=[document.pk + 1000])
    assert client.get(missing).status_code == 404


def test_anonymous_users_are_sent_to_the_login_page(client, users, online_procedure):
    document = receipt(users, online_procedure)
    login = reverse("accounts:login")
    for name, url in urls(document).items():
        response = client.post(url) if name == "retry" else client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(f"{login}?next=")


def test_while_rendering_the_fragment_polls_itself_and_nothing_downloads(
    client, users, online_procedure
):
    document = receipt(users, online_procedure)  # after-commit render not run: pending
    assert document.status == RenderStatus.PENDING
    links = urls(document)
    client.force_login(users[CITIZEN])
    # "Đang được tạo, thử lại sau ít giây" (tests/dossiers/test_render_download.py).
    assert client.get(links["download"]).status_code == 202

    fragment = client.get(links["status"], **HTMX)
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert "Đang tạo giấy tờ" in html and "<progress" in html
    assert 'hx-trigger="every 1s"' in html
    assert f'hx-get="{links["status"]}"' in html and 'hx-swap="outerHTML"' in html
    assert "<html" not in html  # a fragment, not a page
    assert "no-store" in fragment["Cache-Control"]
    # CSP: no inline script or style attribute in what gets swapped in.
    assert "<script" not in html and "style=" not in html

    DossierDocument.objects.filter(pk=document.pk).update(status=RenderStatus.RENDERING)
    assert "Đang tạo giấy tờ" in client.get(links["status"], **HTMX).content.decode()

    # Without JavaScript the same address is a whole page around the fragment.
    page = client.get(links["status"])
    assert page.status_code == 200
    assert "<html" in page.content.decode() and "Đang tạo giấy tờ" in page.content.decode()


def test_a_failed_paper_offers_a_retry_that_renders_it(
    client, users, online_procedure, django_capture_on_commit_callbacks
):
    document = receipt(users, online_procedure)
    DossierDocument.objects.filter(pk=document.pk).update(
        status=RenderStatus.FAILED, error="OSError: /srv/secret/path unreadable"
    )
    links = urls(document)
    client.force_login(users[CITIZEN])
    html = client.get(links["status"], **HTMX).content.decode()
    assert "Không tạo được" in html and "Tạo lại" in html
    assert f'action="{links["retry"]}"' in html and 'method="post"' in html
    assert "csrfmiddlewaretoken" in html
    assert "hx-trigger" not in html  # no polling while failed
    assert "/srv/secret" not in html  # technical details stay in the log
    assert client.get(links["retry"]).status_code == 405  # only POST

    # Staff of another agency cannot retry it.
    client.force_login(users[OTHER_DESK])
    assert client.post(links["retry"], **HTMX).status_code == 404
    document.refresh_from_db()
    assert document.status == RenderStatus.FAILED

    # The receiving desk can (so can the applicant): re-queued and rendered.
    client.force_login(users[DESK])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(links["retry"], **HTMX)
    # The answer is the polling fragment: the render runs after the commit.
    assert response.status_code == 200
    assert 'hx-trigger="every 1s"' in response.content.decode()
    document.refresh_from_db()
    assert document.status == RenderStatus.READY and document.error == ""
    assert links["download"] in client.get(links["status"], **HTMX).content.decode()
    assert client.get(links["download"]).status_code == 200

    # Without htmx the browser is sent back to the progress page; retrying a
    # paper that is not failed changes nothing.
    response = client.post(links["retry"])
    assert response.status_code == 302 and response["Location"] == links["status"]
    document.refresh_from_db()
    assert document.status == RenderStatus.READY


def test_the_views_use_a_bounded_number_of_queries(
    client, users, online_procedure, django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):  # fmt: skip
    document = receipt(users, online_procedure, django_capture_on_commit_callbacks)
    links = urls(document)
    for username in (CITIZEN, DESK):
        client.force_login(users[username])
        with django_assert_max_num_queries(8):
            response = client.get(links["download"])
            b"".join(response.streaming_content)
        with django_assert_max_num_queries(8):
            client.get(links["status"], **HTMX)
