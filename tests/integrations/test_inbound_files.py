"""Files of a national dossier are checked exactly like uploads: a bad one is refused
with its reason, the rest of the dossier is imported and flagged for the desk."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from dossiers.models import Dossier, Status
from dossiers.selectors import desk_queue
from integrations.inbound import inbound_receive
from integrations.models import InboundMessage, SyncAttempt, SyncEvent
from tests.dossiers.files import EXE, make_pdf
from tests.integrations.inbound_helpers import b64, hub_target, new_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub(national_hub, online_procedure):
    hub_target(national_hub.url)
    return national_hub


def test_a_bad_file_is_refused_with_its_reason_and_nothing_else_is_lost(hub, users):
    good = hub.control.add_file("don.pdf", make_pdf(), "application/pdf")
    broken_pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n"
    envelope = new_dossier([
        {"TenTepDinhKem": "don.pdf", "MaThanhPhanHoSo": "1", "DuongDanTaiTepTin": good["url"]},
        {"TenTepDinhKem": "ly-lich.pdf", "MaThanhPhanHoSo": "2", "Base64": b64(EXE)},
        {"TenTepDinhKem": "giay-to-khac.pdf", "MaThanhPhanHoSo": "3", "Base64": b64(broken_pdf)},
    ])  # fmt: skip

    outcome = inbound_receive(envelope, "pull")

    assert outcome.error_code == 0 and outcome.status == "accepted"
    message = InboundMessage.objects.get(message_id=envelope["MaBanTin"])
    assert [p["file"] for p in message.problems] == ["ly-lich.pdf", "giay-to-khac.pdf"]
    exe_reason, pdf_reason = (p["reason"] for p in message.problems)
    assert "không phải định dạng được chấp nhận" in exe_reason
    assert "application/x-dosexec" in exe_reason
    assert "bị hỏng hoặc không mở được" in pdf_reason
    dossier = Dossier.objects.get(code=envelope["MaHoSo"])
    assert message.dossier == dossier
    # The good file is the dossier's component; the desk sees the problems.
    assert [c.original_filename for c in dossier.components.all()] == ["don.pdf"]
    assert dossier.form_data["inbound_problems"] == message.problems
    assert dossier.status == Status.SUBMITTED
    assert dossier in desk_queue(users["motcua.tuphap"])
    assert SyncEvent.objects.filter(dossier=dossier, kind="progress", national_status=1).exists()
    # Nothing the citizen sent is lost: the refused files are kept aside.
    kept = message.payload["DuLieu"]["TaiLieuNop"]
    assert "stored" not in kept[0]
    with default_storage.open(kept[1]["stored"], "rb") as handle:
        assert handle.read() == EXE
    assert default_storage.exists(kept[2]["stored"])
    # The download from the hub is in the attempt log.
    assert SyncAttempt.objects.filter(operation="inbound_file", status_code=200).count() == 1


def test_a_file_above_the_size_limit_is_refused_by_its_size(hub, settings):
    settings.TTHC = {**settings.TTHC, "MAX_UPLOAD_BYTES": 2000}
    big = hub.control.add_file("lon.pdf", make_pdf(40), "application/pdf")
    small = {"TenTepDinhKem": "nho.pdf", "MaThanhPhanHoSo": "1", "Base64": b64(make_pdf())}
    envelope = new_dossier([
        small,
        {"TenTepDinhKem": "lon.pdf", "MaThanhPhanHoSo": "2", "DuongDanTaiTepTin": big["url"]},
        {"TenTepDinhKem": "lon2.pdf", "MaThanhPhanHoSo": "2", "Base64": b64(make_pdf(40))},
    ])  # fmt: skip
    assert len(make_pdf()) < 2000 < big["size"]

    outcome = inbound_receive(envelope, "pull")

    message = InboundMessage.objects.get(pk=outcome.inbound_id)
    reasons = [p["reason"] for p in message.problems]
    assert len(reasons) == 2 and all("vượt quá" in reason for reason in reasons)
    assert Dossier.objects.get(code=envelope["MaHoSo"]).components.count() == 1


def test_a_file_the_hub_does_not_have_is_refused_and_one_it_cannot_serve_now_waits(hub):
    missing = f"{hub.url}/tep/khong-co-tep-nay"
    envelope = new_dossier([
        {"TenTepDinhKem": "don.pdf", "MaThanhPhanHoSo": "1", "DuongDanTaiTepTin": missing},
    ])  # fmt: skip
    outcome = inbound_receive(envelope, "push")
    message = InboundMessage.objects.get(pk=outcome.inbound_id)
    assert outcome.error_code == 0 and "HTTP 404" in message.problems[0]["reason"]

    # Connection refused is a passing reason: nothing is kept, the hub offers it again.
    from integrations.simulator.process import free_port

    unreachable = f"http://127.0.0.1:{free_port()}/tep/x"
    later = new_dossier([
        {"TenTepDinhKem": "don.pdf", "MaThanhPhanHoSo": "1", "DuongDanTaiTepTin": unreachable},
    ])  # fmt: skip
    outcome = inbound_receive(later, "push")
    assert outcome.deferred and outcome.error_code == -1 and not outcome.acknowledged
    assert not InboundMessage.objects.filter(message_id=later["MaBanTin"]).exists()
    assert not Dossier.objects.filter(code=later["MaHoSo"]).exists()


def test_a_file_the_national_portal_took_from_the_data_store_counts_as_such(hub):
    envelope = new_dossier([
        {"TenTepDinhKem": "khai-sinh.pdf", "MaThanhPhanHoSo": "1", "Base64": b64(make_pdf()),
         "DuocLayTuKhoDMQG": "1"},
        {"TenTepDinhKem": "ly-lich.pdf", "MaThanhPhanHoSo": "2", "Base64": b64(make_pdf())},
    ])  # fmt: skip
    assert inbound_receive(envelope, "pull").status == "accepted"
    dossier = Dossier.objects.get(code=envelope["MaHoSo"])
    flags = {c.original_filename: (c.from_personal_store, c.source_form)
             for c in dossier.components.all()}  # fmt: skip
    assert flags == {"khai-sinh.pdf": (True, "personal_store"), "ly-lich.pdf": (False, "upload")}
