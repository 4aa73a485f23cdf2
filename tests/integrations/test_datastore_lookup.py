"""The citizen's data store over real HTTP: the desk looks up the applicant's
earlier results, the store's signature is checked and kept, a found result
fills a component (flagged DuocLayTuKhoDMQG in the next header); a tampered
signature is kept as invalid and fills nothing."""

from __future__ import annotations

import base64

import pytest
from django.test import Client
from django.urls import reverse

from dossiers.models import DossierComponent, SourceForm
from dossiers.services import DossierError
from dossiers.services.reception import dossier_receive
from integrations.datastore.services import (
    CITIZEN,
    DESK,
    StoreDocument,
    component_fill_from_store,
    datastore_lookup,
)
from integrations.models import StoreEvidence, StoreLookup, SyncAttempt
from procedures.models import DataSource
from tests.dossiers.files import EXE, make_pdf
from tests.dossiers.test_reception import submitted
from tests.integrations.sync_helpers import drain_all, hub_target
from tthc_portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
OWNER = "001085012345"
DESK_OFFICER = "motcua.tuphap"


def _result(name: str = "khai-sinh.pdf", content: bytes | None = None, **fields) -> dict:
    attachment = {"TenTep": name, "Base64": base64.b64encode(content or make_pdf()).decode()}
    return {
        "MaKetQua": "KQ.KS.01", "TenGiayTo": "Giấy khai sinh", "SoKyHieu": "123/2020/KS",
        "CoQuanChuQuan": "UBND xã Demo", "DanhSachTepDinhKem": [attachment], **fields,
    }  # fmt: skip


def _requirement(procedure):
    return procedure.current_version.components.get(order=2)


def test_found_result_fills_a_component_flagged_in_the_next_header(
    national_hub, users, online_procedure
):
    hub_target(national_hub.url)
    national_hub.control.seed_datastore({OWNER: [_result()], "079000000001": [_result()]})
    dossier = submitted(users, online_procedure)
    officer = users[DESK_OFFICER]

    found = datastore_lookup(dossier=dossier, actor=officer, channel=DESK)
    assert not found.error and [d.number for d in found.documents] == ["123/2020/KS"]
    lookup = StoreLookup.objects.get(dossier=dossier)
    assert lookup.signature_valid is True and len(lookup.signature) == 64
    assert lookup.request["SoDinhDanhChuSoHuu"] == OWNER and lookup.request["KenhThucHien"] == "1"
    assert lookup.request["MaThuTuc"] == online_procedure.localised_code
    assert lookup.request["DanhSachDanhMucKetQua"] == []
    assert lookup.response["result"]["DanhSachGiayToKetQua"][0]["TenGiayTo"] == "Giấy khai sinh"
    assert SyncAttempt.objects.filter(operation="datastore", reply_class="ok").exists()

    component = component_fill_from_store(
        dossier=dossier, actor=officer, item=found.documents[0],
        requirement=_requirement(online_procedure),
    )  # fmt: skip
    assert component.from_personal_store and component.source_form == SourceForm.PERSONAL_STORE
    assert component.original_filename == "khai-sinh.pdf" and component.page_count == 1
    assert component.requirement == _requirement(online_procedure)
    evidence = StoreEvidence.objects.get(component=component)
    assert evidence.lookup == lookup and evidence.result_code == "KQ.KS.01"
    assert evidence.number == "123/2020/KS" and evidence.sha256 == component.sha256
    audit = AuditEvent.objects.get(action="dossier.component_from_national_store")
    assert audit.after["store_lookup"] == lookup.pk and audit.after["signature"] == lookup.signature

    dossier = dossier_receive(actor=officer, dossier=dossier)
    drain_all()
    files = {f["TepDinhKemId"]: f for f in national_hub.control.dossier(dossier.code)["header"][
        "TaiLieuNop"]}  # fmt: skip
    assert files[str(component.pk)]["DuocLayTuKhoDMQG"] == "1"
    assert {f["DuocLayTuKhoDMQG"] for k, f in files.items() if k != str(component.pk)} == {"0"}


def test_tampered_signature_is_kept_invalid_and_fills_nothing(
    national_hub, users, online_procedure
):
    hub_target(national_hub.url)
    national_hub.control.seed_datastore({OWNER: [_result()]})
    national_hub.control.configure(datastore_secret="khoa-khac")  # the signature no longer ours
    dossier = submitted(users, online_procedure)
    officer = users[DESK_OFFICER]
    found = datastore_lookup(dossier=dossier, actor=officer, channel=DESK)
    assert found.documents == [] and "Chữ ký" in found.error
    lookup = StoreLookup.objects.get(dossier=dossier)
    assert lookup.signature_valid is False and lookup.signature
    with pytest.raises(DossierError, match="Chữ ký"):
        component_fill_from_store(
            dossier=dossier, actor=officer, item=StoreDocument.named(lookup.pk, 0),
            requirement=_requirement(online_procedure),
        )  # fmt: skip
    assert not DossierComponent.objects.filter(dossier=dossier, from_personal_store=True).exists()


def test_store_file_goes_through_the_upload_checks(national_hub, users, online_procedure):
    hub_target(national_hub.url)
    national_hub.control.seed_datastore({OWNER: [
        _result("chuong-trinh.pdf", EXE),
        _result(DanhSachTepDinhKem=[{"TenTep": "x.pdf", "DuongDan": "http://10.0.0.1/x.pdf"}]),
    ]})  # fmt: skip
    citizen = users[OWNER]
    dossier = submitted(users, online_procedure, complete=False)  # still editable by the citizen
    found = datastore_lookup(dossier=dossier, actor=citizen, channel=CITIZEN)
    assert StoreLookup.objects.get(dossier=dossier).request["KenhThucHien"] == "2"
    requirement = _requirement(online_procedure)
    with pytest.raises(DossierError, match="không phải định dạng"):
        component_fill_from_store(dossier=dossier, actor=citizen, item=found.documents[0],
                                  requirement=requirement)  # fmt: skip
    # A link outside the hub is never fetched.
    with pytest.raises(DossierError, match="không thuộc hệ thống liên thông"):
        component_fill_from_store(dossier=dossier, actor=citizen, item=found.documents[1],
                                  requirement=requirement)  # fmt: skip
    assert not DossierComponent.objects.filter(dossier=dossier, from_personal_store=True).exists()
    assert not SyncAttempt.objects.filter(url__contains="10.0.0.1").exists()


def test_desk_page_looks_up_and_fills_only_for_the_receiving_desk(
    national_hub, users, online_procedure
):
    hub_target(national_hub.url)
    national_hub.control.seed_datastore({OWNER: [_result()]})
    dossier = submitted(users, online_procedure)
    url = reverse("integrations:datastore", args=[dossier.pk])
    for outsider in ("motcua.yte", OWNER, "chuyenvien.tuphap"):
        client = Client()
        client.force_login(users[outsider])
        assert client.get(url).status_code == 404, outsider
        assert client.post(url, {"action": "lookup"}).status_code == 404, outsider
    assert not StoreLookup.objects.exists()

    desk = Client()
    desk.force_login(users[DESK_OFFICER])
    assert "Tra cứu kho dữ liệu" in desk.get(url).content.decode()
    assert desk.post(url, {"action": "lookup"})["Location"] == url
    page = desk.get(url).content.decode()
    assert "Giấy khai sinh" in page and "123/2020/KS" in page and "Lấy từ kho" in page
    lookup = StoreLookup.objects.get(dossier=dossier)
    missing = desk.post(url, {"lookup": lookup.pk, "index": 0})
    assert (
        missing.status_code == 400 and "Vui lòng chọn thành phần hồ sơ" in missing.content.decode()
    )
    requirement = _requirement(online_procedure)
    filled = desk.post(url, {"lookup": lookup.pk, "index": 0, "requirement": requirement.pk})
    assert filled["Location"] == url
    component = DossierComponent.objects.get(dossier=dossier, from_personal_store=True)
    assert component.requirement == requirement and component.uploaded_by == users[DESK_OFFICER]
    assert "Thành phần đã lấy từ kho" in desk.get(url).content.decode()


def test_a_component_replaced_by_an_earlier_result(national_hub, users, online_procedure):
    """Resolution 66.7/2025: the component is a look-up of an earlier result; the
    look-up asks for the codes it accepts and the hub is told which result replaced it."""
    hub_target(national_hub.url)
    national_hub.control.seed_datastore({OWNER: [_result()]})
    requirement = _requirement(online_procedure)
    requirement.data_source = DataSource.EARLIER_RESULT
    requirement.accepted_result_codes = ["KQ.KS.01"]
    requirement.save()
    dossier = submitted(users, online_procedure)
    officer = users[DESK_OFFICER]
    found = datastore_lookup(dossier=dossier, actor=officer, channel=DESK)
    assert found.lookup.request["DanhSachDanhMucKetQua"] == [{"MaKetQua": "KQ.KS.01",
                                                             "SoKyHieu": ""}]  # fmt: skip
    component = component_fill_from_store(
        dossier=dossier, actor=officer, item=found.documents[0], requirement=requirement
    )
    dossier = dossier_receive(actor=officer, dossier=dossier)
    drain_all()
    header = national_hub.control.dossier(dossier.code)["header"]
    sent = {f["TepDinhKemId"]: f for f in header["TaiLieuNop"]}[str(component.pk)]
    assert sent["DuocTaiSuDung"] == "2" and sent["MaKetQuaThayThe"] == "KQ.KS.01"
    assert sent["DuocLayTuKhoDMQG"] == "1"
