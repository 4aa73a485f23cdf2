"""Ask for supplements only once at reception (dossier-lifecycle §4; issue 15, item 1).

Before: after the citizen brought the papers back, the desk was offered the form
again and a second form 02 was issued."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dossiers.models import DocumentKind, Status, SupplementRequest, SupplementStage
from dossiers.services import DossierError
from dossiers.services.reception import dossier_receive, dossier_request_completion
from dossiers.services.submission import dossier_resubmit
from tests.dossiers.test_reception import submitted

pytestmark = pytest.mark.django_db
DESK = "motcua.tuphap"


def _items(procedure, reason: str) -> list[dict]:
    first = procedure.current_version.components.order_by("order").first()
    return [{"requirement": first.pk, "name": first.name, "reason": reason}]


@pytest.fixture
def brought_back(users, online_procedure):
    dossier = submitted(users, online_procedure)
    dossier = dossier_request_completion(
        actor=users[DESK], dossier=dossier, items=_items(online_procedure, "Thiếu chữ ký")
    )
    return dossier_resubmit(actor=users["001085012345"], dossier=dossier)


def test_a_second_request_is_refused_with_the_reason(users, online_procedure, brought_back):
    assert brought_back.status == Status.SUBMITTED
    with pytest.raises(DossierError, match="đã được yêu cầu bổ sung một lần"):
        dossier_request_completion(
            actor=users[DESK], dossier=brought_back, items=_items(online_procedure, "Ảnh mờ")
        )
    brought_back.refresh_from_db()
    assert brought_back.status == Status.SUBMITTED
    assert (
        SupplementRequest.objects.filter(
            dossier=brought_back, stage=SupplementStage.BEFORE_RECEIPT
        ).count()
        == 1
    )
    assert brought_back.documents.filter(kind=DocumentKind.SUPPLEMENT).count() == 1
    # Receiving is still possible.
    assert dossier_receive(actor=users[DESK], dossier=brought_back).status == Status.RECEIVED


def test_the_desk_page_no_longer_offers_the_form(client, users, brought_back) -> None:
    client.force_login(users[DESK])
    page = client.get(reverse("dossiers:desk_check", args=[brought_back.pk])).content.decode()
    assert 'data-testid="completion-form"' not in page
    assert 'data-testid="completion-done"' in page
    assert 'data-testid="receive-form"' in page and 'data-testid="refusal-form"' in page


def test_a_posted_second_request_shows_the_reason(client, users, online_procedure, brought_back):
    client.force_login(users[DESK])
    first = online_procedure.current_version.components.order_by("order").first()
    response = client.post(
        reverse("dossiers:desk_request_completion", args=[brought_back.pk]),
        {f"item_{first.pk}": "on", f"reason_{first.pk}": "Ảnh mờ", "note": ""},
        follow=True,
    )
    # Refused by the service: back to the page with the reason (post/redirect/get).
    check = reverse("dossiers:desk_check", args=[brought_back.pk])
    assert response.redirect_chain == [(check, 302)]
    assert "đã được yêu cầu bổ sung một lần" in response.content.decode()
    assert brought_back.documents.filter(kind=DocumentKind.SUPPLEMENT).count() == 1
