"""The national-hub simulator over real HTTP: authentication, dossiers, lookup, counts,
catalogue and inbound messages as integrations/PROTOCOL.md has them."""

from __future__ import annotations

import base64
import json
import time
import urllib.parse

import pytest

from integrations.simulator import HubControl
from tests.integrations.simulator_helpers import (
    UNIT,
    UNITS,
    Http,
    Rest,
    Service,
    event,
    header,
)


@pytest.fixture
def hub(national_hub):
    national_hub.control.configure(units=UNITS)
    return national_hub


# -- authentication ------------------------------------------------------------------------


def test_login_then_service_call_records_the_unit(hub):
    client = Http(hub.url)
    status, _, body = client.call(
        "POST", "/dvc/dang-nhap", {"username": "so-tp", "password": "sai"}, {"dstcode": UNIT}
    )
    assert (status, body["error_code"]) == (401, -1)

    call = Service(hub.url)
    status, reply = call("DongBoHoSoMC", [header("H56-1")])
    assert status == 200 and reply["error_code"] == 0, reply
    assert hub.control.dossier("H56-1")["MaDonVi"] == UNIT

    status, _, body = client.call(
        "POST", "/dvc/service", {"session": "bogus", "service": "TraCuuHoSo", "data": {}}
    )
    assert status == 401 and body["error_code"] == -1


def test_oauth_token_then_rest_call(hub):
    client = Http(hub.url)
    bad = base64.b64encode(b"cid-1:wrong").decode()
    status, _, body = client.call(
        "POST",
        "/lgsp/token",
        raw=b"grant_type=client_credentials",
        headers={"Authorization": f"Basic {bad}"},
    )
    assert (status, body) == (401, {"error": "invalid_client"})

    rest = Rest(hub.url, "cid-2", "cs-2")
    status, reply = rest("/lgsp/ho-so/them-moi", [header("H56-2")])
    assert (status, reply["error_code"]) == (200, 0)
    assert hub.control.dossier("H56-2")["MaDonVi"] == "000.00.02.H56"  # the token's unit
    status, reply = rest("/lgsp/ho-so/them-moi", [header("H56-3", MaDonVi="000.00.09.H56")])
    assert hub.control.dossier("H56-3")["MaDonVi"] == "000.00.09.H56"  # the header's unit


def test_expired_tokens_get_401(hub):
    service, rest = Service(hub.url), Rest(hub.url)
    assert service("TraCuuHoSo", {"MaHoSo": []})[0] == 200
    assert rest("/lgsp/ho-so/tra-cuu", {"MaHoSo": []})[0] == 200
    hub.control.expire_tokens()
    assert service("TraCuuHoSo", {"MaHoSo": []})[0] == 401
    status, reply = rest("/lgsp/ho-so/tra-cuu", {"MaHoSo": []})
    assert status == 401 and reply["error"] == "invalid_token"


# -- dossiers ------------------------------------------------------------------------------


def test_create_twice_answers_3_then_update_keeps_highest_sequence(hub):
    call = Service(hub.url)
    assert call("DongBoHoSoMC", [header("H56-10")])[1]["error_code"] == 0
    assert call("DongBoHoSoMC", [header("H56-10")])[1]["error_code"] == 3

    reply = call("CapNhatHoSoMC", [header("H56-10", SoThuTu="3", TrangThaiHoSo="4")])[1]
    assert reply["error_code"] == 0 and reply["result"]["DaCapNhat"] == ["H56-10"]
    reply = call("CapNhatHoSoMC", [header("H56-10", SoThuTu="2", TrangThaiHoSo="9")])[1]
    assert reply["error_code"] == 0 and reply["result"]["BoQua"] == ["H56-10"]
    assert hub.control.dossier("H56-10")["header"]["TrangThaiHoSo"] == "4"
    # Same number: a header-only change (a new appointment) replaces the stored header.
    reply = call("CapNhatHoSoMC", [header("H56-10", SoThuTu="3", TrangThaiHoSo="4",
                                          NgayHenTra="20250320150000")])[1]  # fmt: skip
    assert reply["result"]["DaCapNhat"] == ["H56-10"]
    assert hub.control.dossier("H56-10")["header"]["NgayHenTra"] == "20250320150000"

    reply = call("CapNhatHoSoMC", [header("H56-unknown")])[1]
    assert reply["error_code"] == -1 and reply["errors"][0]["field"] == "MaHoSo"


def test_progress_is_idempotent_on_code_and_sequence(hub):
    rest = Rest(hub.url)
    rest("/lgsp/ho-so/them-moi", [header("H56-20")])
    assert rest("/lgsp/ho-so/tien-do", [event("H56-20", 1, 2), event("H56-20", 2)])[1][
        "result"
    ] == {"SoSuKienMoi": 2, "SoSuKienTrung": 0}
    status, reply = rest("/lgsp/ho-so/tien-do", [event("H56-20", 2), event("H56-20", 3, 9)])
    assert (status, reply["error_code"]) == (200, 0)
    assert reply["result"] == {"SoSuKienMoi": 1, "SoSuKienTrung": 1}
    events = hub.control.dossier("H56-20")["TienDo"]
    assert [e["SoThuTu"] for e in events] == ["1", "2", "3"]


def test_progress_validation(hub):
    call, rest = Service(hub.url), Rest(hub.url)
    call("DongBoHoSoMC", [header("H56-30")])
    status, reply = call("CapNhatTienDoHoSoMC", [event("H56-30", 1, status=0)])
    assert status == 200 and reply["error_code"] == -1
    assert {"field": "TrangThai", "message": "Trạng thái 0 không được chấp nhận"} in reply["errors"]
    status, reply = rest("/lgsp/ho-so/tien-do", [event("H56-30", 1, status=0)])
    assert (status, reply["error_code"]) == (400, -1)  # rest style: HTTP 400
    bad = event("H56-30", 1, status=11)
    del bad["ThoiDiemXuLy"]
    fields = {e["field"] for e in call("CapNhatTienDoHoSoMC", [bad])[1]["errors"]}
    assert fields == {"TrangThai", "ThoiDiemXuLy"}
    reply = call("CapNhatTienDoHoSoMC", [event("H56-nope", 1)])[1]
    assert reply["errors"] == [
        {"field": "MaHoSo", "message": "Hồ sơ chưa được đồng bộ lên hệ thống"}
    ]
    assert hub.control.dossier("H56-30")["TienDo"] == []  # nothing half-stored


def test_header_validation_and_strict_catalogue(hub):
    call = Service(hub.url)
    bad = header("H56-40", TrangThaiHoSo="0", KenhThucHien="4", NgayNopHoSo="20260105")
    del bad["ChuHoSo"]
    reply = call("DongBoHoSoMC", [bad])[1]
    assert reply["error_code"] == -1
    assert {e["field"] for e in reply["errors"]} == {
        "ChuHoSo",
        "TrangThaiHoSo",
        "KenhThucHien",
        "NgayNopHoSo",
    }
    hub.control.configure(strict_catalogue=True)
    hub.control.set_catalogue([{"MATTHC": "1.000001", "TENTTHC": "Thủ tục mẫu"}])
    reply = call("DongBoHoSoMC", [header("H56-41")])[1]
    assert reply["errors"][0]["field"] == "MaTTHC"
    assert call("DongBoHoSoMC", [header("H56-41", MaTTHC="1.000001")])[1]["error_code"] == 0


def test_lookup_by_codes_and_by_range(hub):
    call = Service(hub.url)
    call("DongBoHoSoMC", [header("H56-50")])
    call("DongBoHoSoMC", [header("H56-51", NgayTiepNhan="20260201090000")])
    call("CapNhatTienDoHoSoMC", [event("H56-50", 1, 2)])
    reply = call("TraCuuHoSo", {"MaHoSo": ["H56-50", "H56-missing"]})[1]
    assert [r["MaHoSo"] for r in reply["result"]] == ["H56-50"]
    assert reply["result"][0]["TienDo"][0]["TrangThai"] == "2"
    query = {"MaDonVi": UNIT, "TuNgay": "20260101", "DenNgay": "20260131"}
    reply = call("TraCuuHoSo", query)[1]
    assert [r["MaHoSo"] for r in reply["result"]] == ["H56-50"]


def test_counts_and_official_indicators(hub):
    call = Service(hub.url)
    for n in range(3):
        call("DongBoHoSoMC", [header(f"H56-6{n}")])
    call("DongBoHoSoMC", [header("H56-69", NgayTiepNhan="")])  # not received: not counted
    query = {"MaDonVi": UNIT, "TuNgay": "20260101", "DenNgay": "20260131235959"}
    row = call("ThongKeHoSo", query)[1]["result"][0]
    assert row == {"MaDonVi": UNIT, "SoHoSoTiepNhan": 3, "SoHoSoDongBo": 3}
    hub.control.set_counts(UNIT, "20260101", "20260131235959", 7)
    assert call("ThongKeHoSo", query)[1]["result"][0]["SoHoSoTiepNhan"] == 7

    figures = [{"Ma": "1.4", "GiaTri": "90.91", "Diem": "5.45"}]
    hub.control.set_indicators(UNIT, "2026-Q1", figures)
    reply = call("LayChiSo766", {"MaDonVi": UNIT, "Ky": "2026-Q1"})[1]
    assert reply["result"] == {"Ky": "2026-Q1", "MaDonVi": UNIT, "ChiSo": figures}


def test_catalogue_list_and_detail(hub):
    rest = Rest(hub.url)
    hub.control.set_catalogue(
        [
            {"MATTHC": "1.1", "TENTTHC": "Cũ", "NGAYCAPNHAT": "20250101"},
            {"MATTHC": "1.2", "TENTTHC": "Mới", "NGAYCAPNHAT": "20260115103000", "YEUCAU": "x"},
        ]
    )
    reply = rest("/lgsp/thu-tuc/danh-sach", {"CapNhatTu": "20260101"})[1]
    assert reply["result"] == [{"MATTHC": "1.2", "TENTTHC": "Mới", "NGAYCAPNHAT": "20260115103000"}]
    assert len(rest("/lgsp/thu-tuc/danh-sach", {"CapNhatTu": ""})[1]["result"]) == 2
    assert rest("/lgsp/thu-tuc/chi-tiet", {"MaTTHC": "1.2"})[1]["result"]["YEUCAU"] == "x"
    status, reply = rest("/lgsp/thu-tuc/chi-tiet", {"MaTTHC": "9.9"})
    assert (status, reply["error_code"], reply["message"]) == (200, -1, "Không tìm thấy")


def test_admin_can_drop_or_alter_national_records(hub):
    call = Service(hub.url)
    call("DongBoHoSoMC", [header("H56-60")])
    call("CapNhatTienDoHoSoMC", [event("H56-60", n) for n in (1, 2, 3)])
    hub.control.drop_events_after("H56-60", 1)
    assert len(hub.control.dossier("H56-60")["TienDo"]) == 1
    reply = call("CapNhatTienDoHoSoMC", [event("H56-60", 2), event("H56-60", 3)])[1]
    assert reply["result"] == {"SoSuKienMoi": 2, "SoSuKienTrung": 0}  # may be sent again
    hub.control.alter("H56-60", TrangThaiHoSo="9")
    reply = call("TraCuuHoSo", {"MaHoSo": ["H56-60"]})[1]
    assert reply["result"][0]["TrangThaiHoSo"] == "9"
    hub.control.drop("H56-60")
    assert hub.control.dossier("H56-60") is None
    assert call("DongBoHoSoMC", [header("H56-60")])[1]["error_code"] == 0


# -- inbound -------------------------------------------------------------------------------


def test_inbound_pull_and_acknowledge(hub):
    envelope = hub.control.queue_inbound(
        LoaiBanTin="DanhGia", MaHoSo="H56-70", MaDonVi=UNIT, DuLieu={"MucDo": "1"}
    )
    assert envelope["MaBanTin"] and len(envelope["ThoiGianGui"]) == 14
    papers = [{"TenTepDinhKem": "don.pdf", "Base64": base64.b64encode(b"%PDF-x").decode()}]
    other = hub.control.queue_inbound(
        LoaiBanTin="HoSoMoi", MaHoSo="X", MaDonVi="other", DuLieu={"TaiLieuNop": papers},
        files_as_urls=True,
    )  # fmt: skip
    url = urllib.parse.urlsplit(other["DuLieu"]["TaiLieuNop"][0]["DuongDanTaiTepTin"])
    assert Http(hub.url).call("GET", url.path)[2] == b"%PDF-x"
    call = Service(hub.url)
    pulled = call("LayHoSoMoi", {"MaDonVi": UNIT})[1]["result"]
    assert [p["MaBanTin"] for p in pulled] == [envelope["MaBanTin"]]
    reply = call("XacNhanHoSoMoi", {"MaBanTin": [envelope["MaBanTin"], "nope"]})[1]
    assert reply["result"] == {"DaXacNhan": [envelope["MaBanTin"]], "KhongTimThay": ["nope"]}
    assert call("LayHoSoMoi", {"MaDonVi": UNIT})[1]["result"] == []


def test_inbound_push_acknowledged_or_left_in_queue(hub, listener):
    hub.control.configure(province_push_url=listener.url + "/push", province_push_token="tok")
    first = hub.control.queue_inbound(LoaiBanTin="RutHoSo", MaHoSo="H56-80", MaDonVi=UNIT)

    def acknowledged(key: str) -> bool:
        return any(
            r["acknowledged"] for r in hub.control.inbound() if r["envelope"]["MaBanTin"] == key
        )

    HubControl.wait_until(lambda: acknowledged(first["MaBanTin"]))
    sent = listener.received[0]
    assert sent["headers"]["Authorization"] == "Bearer tok"
    assert json.loads(sent["body"])["MaBanTin"] == first["MaBanTin"]

    listener.reply = (200, b'{"error_code": -1, "message": "refused"}', "application/json")
    second = hub.control.queue_inbound(LoaiBanTin="RutHoSo", MaHoSo="H56-81", MaDonVi=UNIT)
    HubControl.wait_until(lambda: len(listener.received) >= 2)
    time.sleep(0.1)
    assert not acknowledged(second["MaBanTin"])
    call = Service(hub.url)
    assert [p["MaBanTin"] for p in call("LayHoSoMoi", {})[1]["result"]] == [second["MaBanTin"]]
    call("XacNhanHoSoMoi", {"MaBanTin": [second["MaBanTin"]]})  # stops the retries
