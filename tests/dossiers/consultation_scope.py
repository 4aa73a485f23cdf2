"""Shared set-up for the consultation-scope tests: a dossier of the Department
of Justice, at its specialist's appraisal step, on which the Department of
Health has been asked for its opinion (through the services, never faked)."""

from __future__ import annotations

import re

from django.urls import reverse

from dossiers.models import Dossier, DossierStep
from dossiers.services.processing import consult_answer, step_consult
from tests.dossiers.casework import SPECIALIST, assigned
from tests.dossiers.conftest import HEALTH
from tthc_portal.agencies.models import Agency

# The consulted unit's people: its desk officer has no part in the consultation.
CONSULTED_DESK, CONSULTED_SPECIALIST, CONSULTED_HEAD = "motcua.yte", "chuyenvien.yte", "lanhdao.yte"
QUESTION = "Cơ sở có đủ điều kiện y tế không?"
ANSWER = "Đủ điều kiện y tế theo quy định."


def consulted(users, procedure) -> tuple[Dossier, DossierStep]:
    dossier = assigned(users, procedure)
    consultation = step_consult(
        actor=users[SPECIALIST], step=dossier.current_step,
        agency=Agency.objects.get(code=HEALTH), question=QUESTION,
    )  # fmt: skip
    dossier.refresh_from_db()
    return dossier, consultation


def answered(users, procedure) -> tuple[Dossier, DossierStep]:
    dossier, consultation = consulted(users, procedure)
    consult_answer(actor=users[CONSULTED_SPECIALIST], step=consultation, answer=ANSWER)
    consultation.refresh_from_db()
    return dossier, consultation


def page_url(dossier: Dossier) -> str:
    return reverse("processing:dossier", args=[dossier.pk])


def action_url(name: str, dossier: Dossier) -> str:
    return reverse(f"processing:{name}", args=[dossier.pk])


def forms_offered(response) -> set[str]:
    return set(re.findall(r'data-testid="([a-z-]+)-form"', response.content.decode()))


def reading_urls(dossier: Dossier) -> dict[str, str]:
    """Every page that shows the dossier or one of its files."""
    component = dossier.components.order_by("pk").first()
    document = dossier.documents.order_by("pk").first()
    urls = {
        "page": page_url(dossier),
        "component": reverse("dossiers:component_download", args=[dossier.pk, component.pk]),
    }
    if document is not None:
        urls["document"] = reverse("dossiers:document_status", args=[document.pk])
    return urls
