"""Issuing clients and tokens the way a calling system does: over the token endpoint."""

from __future__ import annotations

import base64

from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from dossiers.models import Dossier
from dossiers.services.submission import component_attach, dossier_create_draft, dossier_submit
from tests.dossiers.files import make_pdf, upload
from tthc_portal.api_clients.services import IssuedSecret, api_client_create

JUSTICE = "000.00.10.H99"
HEALTH = "000.00.11.H99"
OWNER = "001085012345"
TOKEN_URL = reverse("api_clients:token")
DESK_LIST = reverse("dossiers_api:desk-dossier-list")


def desk_url(name: str, pk: int) -> str:
    return reverse(f"dossiers_api:{name}", args=[pk])


def issue(agency, scopes: list[str], name: str = "Hệ thống quản lý văn bản") -> IssuedSecret:
    return api_client_create(actor=None, name=name, agency=agency, scopes=scopes)


def basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def token_response(issued: IssuedSecret, secret: str | None = None, **data):
    return Client().post(
        TOKEN_URL,
        {"grant_type": "client_credentials", **data},
        HTTP_AUTHORIZATION=basic(issued.client.client_id, secret or issued.client_secret),
    )


def token_for(issued: IssuedSecret, **data) -> str:
    response = token_response(issued, **data)
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


def bearer(token: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return api


def submitted(users, procedure) -> Dossier:
    owner = users[OWNER]
    dossier = dossier_create_draft(actor=owner, procedure=procedure)
    for requirement in procedure.current_version.components.filter(required=True):
        component_attach(
            actor=owner, dossier=dossier, requirement_id=requirement.pk,
            upload=upload(f"{requirement.order}.pdf", make_pdf()),
        )  # fmt: skip
    return dossier_submit(actor=owner, dossier=dossier)
