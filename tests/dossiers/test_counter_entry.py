"""Counter entry: an officer enters, digitises and receives a dossier for an
applicant who came in person without an account."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers.models import Channel, Dossier, SourceForm, Status
from procedures.models import ProcedureVersion
from tests.dossiers.files import EXE, make_pdf, upload

pytestmark = pytest.mark.django_db
START = reverse("dossiers:counter_start")
APPLICANT = {
    "applicant_name": "Trần Thị Bình",
    "applicant_id_number": "001190000123",
    "applicant_phone": "0987654321",
    "applicant_email": "binh@example.vn",
    "applicant_address": "Số 5 phố Hiến, phường Phố Hiến",
    "representative_name": "",
    "representative_id_number": "",
    "representative_phone": "",
    "representative_authorisation": "",
    "result_delivery": "desk",
}


def url(name: str, dossier: Dossier) -> str:
    return reverse(f"dossiers:{name}", args=[dossier.pk])


def test_officer_enters_digitises_and_receives_at_the_counter(client, users, online_procedure):
    officer = users["motcua.tuphap"]
    agency = online_procedure.current_version.implementing_agency
    client.force_login(officer)

    found = client.get(START, {"q": "1.001122"})
    assert found.status_code == 200
    assert f'data-procedure="{online_procedure.pk}"' in found.content.decode()
    assert "Bổ nhiệm và cấp thẻ giám định viên tư pháp" in found.content.decode()

    started = client.post(
        START, {"procedure": online_procedure.pk, "agency": agency.pk, "channel": "1"}
    )
    dossier = Dossier.objects.get()
    assert started.status_code == 302 and started["Location"] == url("counter_applicant", dossier)
    assert dossier.status == Status.DRAFT and dossier.applicant is None
    assert dossier.channel == Channel.IN_PERSON and dossier.submitted_by_officer
    assert dossier.receiving_agency == agency

    saved = client.post(url("counter_applicant", dossier), APPLICANT)
    assert saved.status_code == 302 and saved["Location"] == url("desk_check", dossier)
    dossier.refresh_from_db()
    assert (dossier.applicant_name, dossier.applicant_id_number) == ("Trần Thị Bình",
                                                                     "001190000123")  # fmt: skip

    first, second, _optional = online_procedure.current_version.components.order_by("order")
    rejected = client.post(
        url("desk_digitise", dossier),
        {"requirement": first.pk, "file": upload("don.pdf", EXE)},
        follow=True,
    )
    assert rejected.redirect_chain == [(url("desk_check", dossier), 302)]  # refused: PRG
    assert "không phải định dạng được chấp nhận" in rejected.content.decode()
    assert not dossier.components.exists()
    for requirement, pages in ((first, 2), (second, 1)):
        response = client.post(
            url("desk_digitise", dossier),
            {"requirement": requirement.pk, "file": upload(f"scan{pages}.pdf", make_pdf(pages))},
        )
        assert response.status_code == 302
    components = list(dossier.components.order_by("requirement__order"))
    assert [c.requirement_id for c in components] == [first.pk, second.pk]
    assert [c.page_count for c in components] == [2, 1]
    for component in components:
        assert component.is_digitised and component.digitised_by == officer
        assert component.digitised_at is not None and component.source_form == SourceForm.SCAN
    page = client.get(url("desk_check", dossier)).content.decode()
    assert page.count('data-flag="digitised"') == 2 and 'data-flag="missing"' not in page
    assert "Lê Văn Tiếp Nhận" in page  # who digitised
    assert "100.000 đồng" in page  # the counter fee, not the online one

    received = client.post(url("desk_receive", dossier), follow=True)
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED
    today = timezone.localdate().strftime("%y%m%d")
    assert re.fullmatch(rf"000\.00\.10\.H99-{today}-0001", dossier.code)
    assert dossier.channel == Channel.IN_PERSON == 1
    assert dossier.submitted_by_officer and dossier.applicant is None
    assert dossier.code in received.content.decode()


def test_reception_needs_the_applicants_identity(client, users, online_procedure):
    officer = users["motcua.tuphap"]
    agency = online_procedure.current_version.implementing_agency
    client.force_login(officer)
    client.post(START, {"procedure": online_procedure.pk, "agency": agency.pk, "channel": "1"})
    dossier = Dossier.objects.get()
    for requirement in online_procedure.current_version.components.filter(required=True):
        client.post(
            url("desk_digitise", dossier),
            {"requirement": requirement.pk, "file": upload("scan.pdf", make_pdf())},
        )
    response = client.post(url("desk_receive", dossier), follow=True)
    assert response.redirect_chain == [(url("desk_check", dossier), 302)]  # refused: PRG
    assert "Chưa thể tiếp nhận: hồ sơ còn thiếu họ và tên người nộp" in response.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).status == Status.DRAFT


def test_invalid_id_number_is_rejected_and_input_kept(client, users, online_procedure):
    agency = online_procedure.current_version.implementing_agency
    client.force_login(users["motcua.tuphap"])
    client.post(START, {"procedure": online_procedure.pk, "agency": agency.pk, "channel": "1"})
    dossier = Dossier.objects.get()

    response = client.post(
        url("counter_applicant", dossier),
        {**APPLICANT, "applicant_id_number": "12345",
         "representative_name": "Lê Văn Cường", "representative_id_number": "9999"},
    )  # fmt: skip
    assert response.status_code == 400  # shown again to correct, input kept
    page = response.content.decode()
    assert "Số định danh cá nhân phải gồm đúng 12 chữ số" in page
    assert "Số định danh của người được ủy quyền phải gồm đúng 12 chữ số." in page
    for kept in ('value="Trần Thị Bình"', 'value="12345"', 'value="0987654321"',
                 'value="Lê Văn Cường"', 'value="Số 5 phố Hiến, phường Phố Hiến"'):  # fmt: skip
        assert kept in page, kept
    dossier.refresh_from_db()
    assert dossier.applicant_name == "" and dossier.applicant_id_number == ""

    # A tax code is accepted for an organisation.
    ok = client.post(url("counter_applicant", dossier),
                     {**APPLICANT, "applicant_name": "Công ty TNHH An Bình",
                      "applicant_id_number": "0101234567-001"})  # fmt: skip
    assert ok.status_code == 302
    dossier.refresh_from_db()
    assert dossier.applicant_id_number == "0101234567-001"


def test_counter_start_checks_catalogue_and_channel(client, users, online_procedure, province):
    version = online_procedure.current_version
    ProcedureVersion.objects.filter(pk=version.pk).update(channel_postal=False)
    justice = version.implementing_agency

    client.force_login(users["motcua.tuphap"])
    response = client.post(
        START, {"procedure": online_procedure.pk, "agency": justice.pk, "channel": "3"}
    )
    assert response.status_code == 200
    assert "Thủ tục này không nhận hồ sơ qua kênh “Bưu chính công ích”." in (
        response.content.decode()
    )
    assert not Dossier.objects.exists()

    # Another department's desk cannot receive this procedure, nor act for Sở Tư pháp.
    client.force_login(users["motcua.yte"])
    health = users["motcua.yte"].memberships.get().agency
    listing = client.get(START, {"q": "1.001122"}).content.decode()
    assert f'data-procedure="{online_procedure.pk}"' not in listing
    for agency_pk in (health.pk, justice.pk):
        refused = client.post(
            START, {"procedure": online_procedure.pk, "agency": agency_pk, "channel": "1"}
        )
        assert refused.status_code == 200
        assert 'data-testid="desk-error"' in refused.content.decode()
    assert not Dossier.objects.exists()

    # Staff without a desk do not get the workspace at all.
    client.force_login(users["chuyenvien.tuphap"])
    assert client.get(START).status_code == 404
