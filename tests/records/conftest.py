"""Fixtures of the records tests: the worked-example builder of the 766 tests,
dossiers with real stored files, and the two records roles in one commune."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile

from dossiers.models import DossierComponent, DossierDocument, Status
from records.groups import ARCHIVE_HEAD, RECORDS_OFFICER, records_groups_sync
from tests.factories import make_staff
from tests.indicators.conftest import at, build, commune, procedures  # noqa: F401 (fixtures)
from tthc_portal.accounts.roles import Role

# Far enough after the 2025 dossiers that the default 10 years have passed.
LATER = date(2036, 1, 15)


def store_files(dossier) -> None:
    """Give every component and paper of ``dossier`` a real file in the storage."""
    for component in DossierComponent.objects.filter(dossier=dossier):
        component.file.save("c", ContentFile(b"%PDF-1.4 component"), save=True)
    for document in DossierDocument.objects.filter(dossier=dossier).exclude(file=""):
        document.file.save("d.pdf", ContentFile(b"%PDF-1.4 paper"), save=True)


def returned(build, day: int = 20, **kwargs):  # noqa: F811
    """A dossier received and returned in March 2025, with a component and an e-result."""
    received = at(3, day)
    values = {
        "channel": 2,
        "received_at": received,
        "due_at": received + timedelta(days=5),
        "completed_at": received + timedelta(days=2),
        "returned_at": received + timedelta(days=3),
        "status": Status.RETURNED,
        "e_result": True,
        "components": [{"is_digitised": True}],
        "applicant_phone": "0912345678",
        "applicant_email": "a@example.vn",
        "applicant_address": "Thôn 1",
        "form_data": {"ho_ten": "Nguyễn Văn A"},
        "request_content": "Cấp bản sao",
        **kwargs,
    }
    dossier = build.dossier(**values)
    dossier.code = f"H{dossier.pk:05d}"
    dossier.save(update_fields=["code"])
    store_files(dossier)
    return dossier


@pytest.fixture
def officer(commune):  # noqa: F811
    user = make_staff(Role.DESK_OFFICER, commune)
    user.groups.add(records_groups_sync()[RECORDS_OFFICER])
    return user


@pytest.fixture
def head(commune):  # noqa: F811
    user = make_staff(Role.DEPARTMENT_HEAD, commune)
    user.groups.add(records_groups_sync()[ARCHIVE_HEAD])
    return user
