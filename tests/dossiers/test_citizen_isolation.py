"""Nobody but the applicant sees or touches a dossier through the citizen pages.

Another citizen, an organisation or the staff of an unrelated agency get 404
(never 403, which would confirm the dossier exists) and nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from dossiers.models import Dossier, DossierComponent, PersonalDocument, Status
from dossiers.services.reception import dossier_request_completion
from dossiers.services.submission import component_attach, dossier_create_draft, dossier_submit
from tests.dossiers.files import make_pdf, upload
from tests.dossiers.test_online_submission import (  # noqa: F401 - fixtures
    CITIZEN,
    form_data,
    media_files,
    province,
    seeded_province,
    store_document,
)

INTRUDERS = ["036190004567", "0101234567", "motcua.yte"]


@dataclass
class Owned:
    draft: Dossier
    component: DossierComponent
    waiting: Dossier  # asked to complete before receipt: the applicant may resubmit
    document: PersonalDocument
    requirement_pk: int


@pytest.fixture
def owned(users, online_procedure) -> Owned:
    citizen = users[CITIZEN]
    requirements = list(online_procedure.current_version.components.order_by("order"))
    draft = dossier_create_draft(actor=citizen, procedure=online_procedure)
    component = component_attach(
        actor=citizen,
        dossier=draft,
        requirement_id=requirements[0].pk,
        upload=upload("don.pdf", make_pdf()),
    )
    waiting = dossier_create_draft(actor=citizen, procedure=online_procedure)
    for requirement in requirements[:2]:
        component_attach(
            actor=citizen,
            dossier=waiting,
            requirement_id=requirement.pk,
            upload=upload("giay-to.pdf", make_pdf()),
        )
    dossier_submit(actor=citizen, dossier=waiting)
    dossier_request_completion(
        actor=users["motcua.tuphap"],
        dossier=waiting,
        items=[
            {
                "requirement": requirements[1].pk,
                "name": requirements[1].name,
                "reason": "Thiếu chữ ký",
            }
        ],
    )
    return Owned(draft, component, waiting, store_document(citizen), requirements[1].pk)


def pages_of(owned: Owned) -> list[str]:
    return [
        reverse("dossiers:draft", args=[owned.draft.pk]),
        reverse("dossiers:detail", args=[owned.draft.pk]),
        reverse("dossiers:detail", args=[owned.waiting.pk]),
        reverse("dossiers:component_download", args=[owned.draft.pk, owned.component.pk]),
        reverse("dossiers:personal_download", args=[owned.document.pk]),
    ]


@pytest.mark.parametrize("intruder", INTRUDERS)
def test_every_page_of_my_dossier_is_404_for_others(client: Client, users, owned, intruder):
    client.force_login(users[intruder])

    for url in pages_of(owned):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("intruder", INTRUDERS)
def test_others_cannot_act_on_my_dossier(client: Client, users, owned, intruder):
    client.force_login(users[intruder])
    draft, waiting = owned.draft, owned.waiting
    before = {
        "draft": Dossier.objects.values().get(pk=draft.pk),
        "waiting": Dossier.objects.values().get(pk=waiting.pk),
        "components": set(DossierComponent.objects.values_list("pk", flat=True)),
    }
    own_document = (
        store_document(users[intruder]) if users[intruder].is_applicant else owned.document
    )
    attempts = {
        "save/submit": (
            reverse("dossiers:draft", args=[draft.pk]),
            form_data(action="submit", applicant_name="Kẻ gian"),
        ),
        "upload": (
            reverse("dossiers:upload", args=[draft.pk, owned.requirement_pk]),
            {"file": upload("x.pdf", make_pdf())},
        ),
        "reuse": (
            reverse("dossiers:reuse", args=[draft.pk, owned.requirement_pk]),
            {"personal_document": own_document.pk},
        ),
        "remove": (reverse("dossiers:component_remove", args=[draft.pk, owned.component.pk]), {}),
        "resubmit": (reverse("dossiers:resubmit", args=[waiting.pk]), {}),
    }
    before_files = media_files()

    for name, (url, data) in attempts.items():
        assert client.post(url, data).status_code == 404, name
        assert client.post(url, data, headers={"HX-Request": "true"}).status_code == 404, name

    assert Dossier.objects.values().get(pk=draft.pk) == before["draft"]
    assert Dossier.objects.values().get(pk=waiting.pk) == before["waiting"]
    assert Dossier.objects.get(pk=waiting.pk).status == Status.AWAITING_COMPLETION
    assert set(DossierComponent.objects.values_list("pk", flat=True)) == before["components"]
    assert media_files() == before_files


def test_the_receiving_desk_may_download_the_files_but_not_use_my_pages(
    client: Client, users, owned
):
    client.force_login(users["motcua.tuphap"])

    download = client.get(
        reverse("dossiers:component_download", args=[owned.draft.pk, owned.component.pk])
    )
    assert download.status_code == 200
    assert 'filename="don.pdf"' in download["Content-Disposition"]
    assert client.get(reverse("dossiers:draft", args=[owned.draft.pk])).status_code == 404
    assert (
        client.get(reverse("dossiers:personal_download", args=[owned.document.pk])).status_code
        == 404
    )


def test_a_component_of_another_dossier_is_404_even_for_the_applicant(client: Client, users, owned):
    client.force_login(users[CITIZEN])
    wrong_pair = reverse("dossiers:component_download", args=[owned.waiting.pk, owned.component.pk])

    assert client.get(wrong_pair).status_code == 404
    remove = reverse("dossiers:component_remove", args=[owned.waiting.pk, owned.component.pk])
    assert client.post(remove).status_code == 404
    assert DossierComponent.objects.filter(pk=owned.component.pk).exists()


def test_the_applicant_resubmits_after_completing(client: Client, users, owned):
    client.force_login(users[CITIZEN])
    detail = client.get(reverse("dossiers:detail", args=[owned.waiting.pk])).content.decode()
    assert "Thiếu chữ ký" in detail

    response = client.post(reverse("dossiers:resubmit", args=[owned.waiting.pk]))

    assert response.status_code == 302
    owned.waiting.refresh_from_db()
    assert owned.waiting.status == Status.SUBMITTED
    assert owned.waiting.supplement_requests.get().completed_at is not None


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, owned):
    for url in pages_of(owned):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    response = client.post(reverse("dossiers:resubmit", args=[owned.waiting.pk]))
    assert response.status_code == 302
    owned.waiting.refresh_from_db()
    assert owned.waiting.status == Status.AWAITING_COMPLETION
