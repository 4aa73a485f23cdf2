"""A received dossier inserted straight through the ORM (ticket linking only
needs its code and receiving agency)."""

from __future__ import annotations

from django.utils import timezone

from dossiers.models import Channel, Dossier, Status
from tests.procedures.factories import published_procedure


def dossier_with_code(agency, code: str) -> Dossier:
    procedure = published_procedure(implementing_agency=agency, components=1, steps=1, fees=0)
    now = timezone.now()
    return Dossier.objects.create(
        procedure_version=procedure.current_version,
        receiving_agency=agency,
        applicant_name="Nguyễn Văn Thử",
        applicant_id_number="001085000001",
        code=code,
        status=Status.RECEIVED,
        channel=Channel.IN_PERSON,
        submitted_at=now,
        received_at=now,
    )
