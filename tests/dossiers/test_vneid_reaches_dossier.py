"""The sign-in a dossier was sent under is stored on it and counted by 766.

A citizen who signed in through VNeID (level of assurance 2) sends a
dossier: it records the VNeID flag, the level and the national account id
(MaDoiTuong); one whose national account is not VNeID-authenticated records
neither; criterion 4.5b counts the first and not the second.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dossiers.models import Dossier
from dossiers.services.reception import dossier_receive
from dossiers.services.submission import component_attach, dossier_create_draft
from idp_demo.process import IdpProcess
from indicators import engine
from integrations.hub.messages import dossier_header
from integrations.models import Target, TargetKind
from tests.dossiers.conftest import JUSTICE
from tests.dossiers.files import make_pdf, upload
from tests.identity.portal_flow import portal_configured, portal_idp, portal_sign_in
from tthc_portal.accounts.models import User

pytestmark = pytest.mark.django_db
DESK = "motcua.tuphap"


@pytest.fixture(scope="module")
def idp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IdpProcess]:
    with portal_idp(tmp_path_factory.mktemp("vneid-idp")) as process:
        yield process


def send_online(client: Client, idp: IdpProcess, person: str, procedure) -> Dossier:
    """Sign in at the provider, prepare the draft, submit it through the API."""
    assert portal_sign_in(client, idp, person).status_code == 302
    applicant = User.objects.get(pk=client.session["_auth_user_id"])
    dossier = dossier_create_draft(actor=applicant, procedure=procedure)
    Dossier.objects.filter(pk=dossier.pk).update(
        applicant_name=applicant.full_name, applicant_id_number=applicant.personal_id_number
    )
    for requirement in procedure.current_version.components.filter(required=True):
        component_attach(
            actor=applicant, dossier=dossier, requirement_id=requirement.pk,
            upload=upload(f"{requirement.order}.pdf", make_pdf()),
        )  # fmt: skip
    sent = client.post(reverse("dossiers_api:dossier-submit", args=[dossier.pk]))
    assert sent.status_code == 200, sent.content[:500]
    return Dossier.objects.get(pk=dossier.pk)


def test_vneid_flag_and_level_reach_the_dossier_and_criterion_4_5(
    users, online_procedure, province, idp: IdpProcess
) -> None:
    with portal_configured(idp):
        vneid = send_online(Client(), idp, "Nguyễn Văn An", online_procedure)
        plain = send_online(Client(), idp, "Đỗ Văn Dũng", online_procedure)

    assert (vneid.vneid_verified, vneid.assurance_level) == (True, "2")
    assert vneid.form_data["national_account_id"] == "VNEID-001085012345"
    assert (plain.vneid_verified, plain.assurance_level) == (False, "")
    hub = Target.objects.create(
        code="dvcqg", kind=TargetKind.HUB, name="Hub", base_url="http://127.0.0.1:9"
    )
    header = dossier_header(hub, vneid, seq=1, last_status=None)
    assert header["TaiKhoanDuocXacThucVoiVNeID"] == "1"
    assert header["MaDoiTuong"] == "VNEID-001085012345"
    plain_header = dossier_header(hub, plain, seq=1, last_status=None)
    assert plain_header["TaiKhoanDuocXacThucVoiVNeID"] == "0"

    for dossier in (vneid, plain):
        dossier_receive(actor=users[DESK], dossier=dossier)
    today = timezone.localdate()
    justice = province[JUSTICE]
    results = engine.compute(today - timedelta(days=1), today + timedelta(days=1), [justice.pk])
    [row] = [r for r in results if r.agency_id == justice.pk and r.code == "4.5b"]
    assert (row.numerator, row.denominator) == (1, 2)


def test_a_password_sign_in_is_not_vneid(users, online_procedure) -> None:
    client = Client()
    client.force_login(users["001085012345"])
    dossier = dossier_create_draft(actor=users["001085012345"], procedure=online_procedure)
    for requirement in online_procedure.current_version.components.filter(required=True):
        component_attach(
            actor=users["001085012345"], dossier=dossier, requirement_id=requirement.pk,
            upload=upload(f"{requirement.order}.pdf", make_pdf()),
        )  # fmt: skip
    client.post(reverse("dossiers_api:dossier-submit", args=[dossier.pk]))
    dossier.refresh_from_db()
    assert (dossier.vneid_verified, dossier.assurance_level) == (False, "")
