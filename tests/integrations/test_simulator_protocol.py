"""The national-hub simulator over real HTTP: the wire protocol of integrations/PROTOCOL.md,
the admin API and the fault rules the portal's client tests rely on."""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import re
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from integrations.simulator import HubControl
from integrations.simulator.datastore import canonical
from integrations.simulator.paygov import CONFIRM_FIELDS, INIT_FIELDS, QUERY_FIELDS

UNIT = "000.00.01.H56"
UNITS = {
    UNIT: {
        "username": "so-tp",
        "password": "mat-khau",
        "client_id": "cid-1",
        "client_secret": "cs-1",
    },
    "000.00.02.H56": {
        "username": "so-xd",
        "password": "mk2",
        "client_id": "cid-2",
        "client_secret": "cs-2",
    },
}


# -- helpers -----------------------------------------------------------------------------


class Http:
    """One keep-alive connection; answers (status, headers, parsed body)."""

    def __init__(self, url: str, timeout: float = 5.0) -> None:
        parts = urllib.parse.urlsplit(url)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
    ) -> tuple[int, dict[str, str], Any]:
        headers = dict(headers or {})
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            headers.setdefault("Content-Type", "application/json")
        self.conn.request(method, path, body=data, headers=headers)
        response = self.conn.getresponse()
        payload = response.read()
        kind = response.getheader("Content-Type", "")
        parsed: Any = payload
        if kind.startswith("application/json") and payload:
            parsed = json.loads(payload)
        elif kind.startswith("text/"):
            parsed = payload.decode()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, parsed

    def close(self) -> None:
        self.conn.close()


def header(code: str, **extra: Any) -> dict[str, Any]:
    return {
        "MaHoSo": code,
        "MaTTHC": "1.001234.000.00.00.H56",
        "TenTTHC": "Cấp giấy phép xây dựng",
        "ChuHoSo": "Nguyễn Văn A",
        "KenhThucHien": "2",
        "NoiNopHoSo": "2",
        "NgayNopHoSo": "20260105080000",
        "NgayTiepNhan": "20260105090000",
        "TrangThaiHoSo": "2",
        "SoThuTu": "1",
        **extra,
    }


def event(code: str, number: int, status: int = 4, **extra: Any) -> dict[str, Any]:
    return {
        "MaHoSo": code,
        "SoThuTu": str(number),
        "NguoiXuLy": "Trần Thị B",
        "ChucDanh": "Chuyên viên",
        "PhongBanXuLy": "Bộ phận một cửa",
        "ThoiDiemXuLy": f"2026010{min(number, 9)}100000",
        "NoiDungXuLy": f"Bước {number}",
        "TrangThai": str(status),
        "NgayBatDau": "20260105090000",
        "NgayKetThucTheoQuyDinh": "20260110170000",
        **extra,
    }


class Service:
    """The 2020 adapter style: login once, then ``POST /dvc/service``."""

    def __init__(self, url: str, unit: str = UNIT, user: str = "so-tp", pw: str = "mat-khau"):
        self.http = Http(url)
        self.unit = unit
        status, _, body = self.http.call(
            "POST", "/dvc/dang-nhap", {"username": user, "password": pw}, {"dstcode": unit}
        )
        assert status == 200 and body["error_code"] == 0, body
        self.session = body["session"]

    def __call__(self, name: str, data: Any) -> tuple[int, Any]:
        body = {"session": self.session, "madonvi": self.unit, "service": name, "data": data}
        status, _, reply = self.http.call("POST", "/dvc/service", body, {"dstcode": self.unit})
        return status, reply


class Rest:
    """The LGSP style: client-credentials token, then one path per operation."""

    def __init__(self, url: str, client_id: str = "cid-1", client_key: str = "cs-1") -> None:
        self.http = Http(url)
        basic = base64.b64encode(f"{client_id}:{client_key}".encode()).decode()
        status, _, body = self.http.call(
            "POST",
            "/lgsp/token",
            raw=b"grant_type=client_credentials",
            headers={
                "Authorization": f"Basic {basic}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        assert status == 200 and body["token_type"] == "Bearer", body
        self.token = body["access_token"]

    def __call__(self, path: str, data: Any) -> tuple[int, Any]:
        auth = {"Authorization": f"Bearer {self.token}"}
        status, _, reply = self.http.call("POST", path, data, auth)
        return status, reply


class Listener:
    """A tiny local HTTP endpoint (the province's push endpoint, a PayGov partner, a
    result-file URL) that records what it receives and answers ``reply``."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.reply: tuple[int, bytes, str] = (200, b'{"error_code": 0}', "application/json")
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                outer.received.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": self.rfile.read(length) if length else b"",
                    }
                )
                status, data, kind = outer.reply
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _answer

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    endpoint = Listener()
    yield endpoint
    endpoint.close()


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


# -- PayGov --------------------------------------------------------------------------------


PARTNER_KEY = "paygov-demo-secret"  # the simulator's default partner TTHC-DEMO


def _mac(body: dict[str, Any], fields: tuple[str, ...]) -> str:
    text = "|".join([*(str(body.get(f, "")) for f in fields), PARTNER_KEY])
    return hashlib.sha256(text.encode()).hexdigest()


def test_paygov_init_page_confirmation_and_query(hub, listener):
    listener.reply = (200, b"OK", "text/plain")
    init = {
        "LoaiBanTin": "INIT",
        "PhienBan": "1.0.0",
        "MaDoiTac": "TTHC-DEMO",
        "MaThamChieu": "H56-90-1",
        "SoTien": "150000",
        "LoaiHinhThanhToan": "PAY",
        "MaKenhThanhToan": "1",
        "MaThietBi": "1",
        "NgonNgu": "vi-VN",
        "MaTienTe": "VND",
        "MaNganHang": "",
        "ThongTinGiaoDich": "Lệ phí cấp phép",
        "ThoiGianGD": "20260105100000",
        "Ip": "127.0.0.1",
        "UrlTraVe": listener.url + "/tro-ve?x=1",
        "UrlThongBao": listener.url + "/ipn",
    }
    client = Http(hub.url)
    status, _, reply = client.call("POST", "/paygov/khoi-tao", {**init, "MaXacThuc": "00" * 32})
    assert reply["MaLoi"] == "01"
    init["MaXacThuc"] = _mac(init, INIT_FIELDS)
    reply = client.call("POST", "/paygov/khoi-tao", init)[2]
    assert reply["MaLoi"] == "00" and reply["UrlThanhToan"].endswith("/paygov/thanh-toan/H56-90-1")

    page_path = urllib.parse.urlsplit(reply["UrlThanhToan"]).path
    status, _, html = client.call("GET", page_path)
    assert status == 200 and "150.000" in html and "Thanh toán" in html and "Hủy giao dịch" in html
    status, headers, _ = client.call(
        "POST",
        page_path + "/xac-nhan",
        raw=b"result=paid",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 303
    location = urllib.parse.urlsplit(headers["location"])
    back = dict(urllib.parse.parse_qsl(location.query))
    assert location.path == "/tro-ve" and back["x"] == "1" and back["TrangThaiGD"] == "1"
    ipn = json.loads(next(r for r in listener.received if r["path"] == "/ipn")["body"])
    assert ipn["MaGiaoDich"] == back["MaGiaoDich"]
    assert ipn["MaXacThuc"] == _mac(ipn, CONFIRM_FIELDS)
    assert hub.control.payments()["H56-90-1"]["ipn"][0]["status"] == 200

    query = {"LoaiBanTin": "QUERY", "PhienBan": "1.0.0", "MaDoiTac": "TTHC-DEMO"}
    query |= {"MaThamChieu": "H56-90-1", "ThoiGianGD": "20260105110000"}
    reply = client.call(
        "POST", "/paygov/truy-van", {**query, "MaXacThuc": _mac(query, QUERY_FIELDS)}
    )
    assert reply[2]["TrangThaiGD"] == "1" and reply[2]["MaGiaoDich"] == back["MaGiaoDich"]
    query["MaThamChieu"] = "unknown"
    reply = client.call(
        "POST", "/paygov/truy-van", {**query, "MaXacThuc": _mac(query, QUERY_FIELDS)}
    )
    assert reply[2]["MaLoi"] == "02"

    # A "paygov-ipn" rule drops the server-to-server confirmation (reconciliation tests).
    hub.control.faults(HubControl.rule("paygov-ipn", "http", count=1))
    init2 = {**init, "MaThamChieu": "H56-90-2"}
    init2["MaXacThuc"] = _mac(init2, INIT_FIELDS)
    client.call("POST", "/paygov/khoi-tao", init2)
    before = len(listener.received)
    client.call(
        "POST",
        "/paygov/thanh-toan/H56-90-2/xac-nhan",
        raw=b"result=cancel",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert len(listener.received) == before
    ipn_log = hub.control.payments()["H56-90-2"]["ipn"]
    assert len(ipn_log) == 1 and ipn_log[0]["dropped"] is True


# -- data store ----------------------------------------------------------------------------


def test_datastore_lookup_is_signed(hub):
    hub.control.configure(datastore_secret="khoa-bi-mat")
    pdf = base64.b64encode(b"%PDF").decode()
    first = {
        "MaKetQua": "KQ1",
        "TenGiayTo": "Giấy phép",
        "SoKyHieu": "12/GP",
        "CoQuanChuQuan": "Sở XD",
        "DanhSachTepDinhKem": [{"TenTep": "gp.pdf", "Base64": pdf}],
    }
    other = {"MaKetQua": "KQ2", "TenGiayTo": "Khác", "SoKyHieu": "1", "DanhSachTepDinhKem": []}
    hub.control.seed_datastore({"001088000123": [first, other]})
    rest = Rest(hub.url)
    body = {
        "SoDinhDanhChuSoHuu": "001088000123",
        "HoTenNguoiYeuCau": "Cán bộ",
        "KenhThucHien": "1",
        "SoDinhDanhNguoiYeuCau": "001088000999",
        "MaThuTuc": "1.001234",
        "DanhSachDanhMucKetQua": [{"MaKetQua": "KQ1", "SoKyHieu": ""}],
    }
    status, reply = rest("/lgsp/kho-du-lieu/tra-cuu", body)
    assert status == 200 and reply["errorCode"] == 0
    items = reply["result"]["DanhSachGiayToKetQua"]
    assert [i["MaKetQua"] for i in items] == ["KQ1"]
    expected = hmac.new(b"khoa-bi-mat", canonical(reply["result"]), hashlib.sha256).hexdigest()
    assert reply["signature"] == expected
    file_url = urllib.parse.urlsplit(items[0]["DanhSachTepDinhKem"][0]["DuongDan"])
    assert Http(hub.url).call("GET", file_url.path)[2] == b"%PDF"


# -- faults --------------------------------------------------------------------------------


def test_fault_latency_http_and_count(hub):
    call = Service(hub.url)
    hub.control.faults(
        HubControl.rule("TraCuuHoSo", "latency", 200, count=1),
        HubControl.rule("tra-cuu", "http", 502, count=1),
    )
    started = time.perf_counter()
    assert call("TraCuuHoSo", {"MaHoSo": []})[0] == 200  # only the latency rule matches
    assert time.perf_counter() - started >= 0.2
    rest = Rest(hub.url)
    assert rest("/lgsp/ho-so/tra-cuu", {"MaHoSo": []})[0] == 502
    assert rest("/lgsp/ho-so/tra-cuu", {"MaHoSo": []})[0] == 200  # count spent
    assert hub.control.state()["faults"] == []


def test_fault_error_code_validation_and_admin_exempt(hub):
    call, rest = Service(hub.url), Rest(hub.url)
    hub.control.faults(
        HubControl.rule("DongBoHoSoMC", "error_code", -3, count=1),
        HubControl.rule("them-moi", "validation", count=1),
    )
    assert call("DongBoHoSoMC", [header("H56-100")])[1]["error_code"] == -3
    status, reply = rest("/lgsp/ho-so/them-moi", [header("H56-100")])
    assert (status, reply["error_code"]) == (400, -1) and reply["errors"]
    hub.control.faults(HubControl.rule("*", "http", 503))
    assert hub.control.health()["faults"] == 1  # admin paths are never faulted
    assert call("TraCuuHoSo", {"MaHoSo": []})[0] == 503
    hub.control.clear_faults()
    assert call("TraCuuHoSo", {"MaHoSo": []})[0] == 200


def test_fault_reset_and_timeout_close_the_connection(hub):
    hub.control.faults(
        HubControl.rule("tra-cuu", "reset", count=1),
        HubControl.rule("tra-cuu", "timeout", 800, count=1),
    )
    rest = Rest(hub.url)
    with pytest.raises((ConnectionError, http.client.RemoteDisconnected)):
        rest("/lgsp/ho-so/tra-cuu", {"MaHoSo": []})
    slow = Rest(hub.url)
    slow.http.conn.timeout = 0.3
    slow.http.conn.close()  # reconnect with the short timeout
    with pytest.raises((TimeoutError, socket.timeout)):
        slow("/lgsp/ho-so/tra-cuu", {"MaHoSo": []})

    def actions() -> list[str]:
        rows = hub.control.requests(limit=20)
        return [r["action"] for r in rows if r["path"] == "/lgsp/ho-so/tra-cuu"]

    assert HubControl.wait_until(lambda: actions() == ["reset", "drop"], timeout=3)


# -- national portal page ------------------------------------------------------------------


def test_portal_submission_becomes_an_inbound_dossier_and_shows_progress(hub, listener):
    hub.control.configure(province_push_url=listener.url + "/push")
    hub.control.set_catalogue(
        [
            {
                "MATTHC": "1.001234.000.00.00.H56",
                "TENTTHC": "Cấp giấy phép xây dựng",
                "THANHPHANHOSO": [{"GIAYTO": [{"MAGIAYTO": "GT1", "TENGIAYTO": "Đơn đề nghị"}]}],
            }
        ]
    )
    client = Http(hub.url)
    html = client.call("GET", "/cong-dvc/")[2]
    assert "/cong-dvc/nop/1.001234.000.00.00.H56" in html
    form = client.call("GET", "/cong-dvc/nop/1.001234.000.00.00.H56")[2]
    assert 'for="ChuHoSo"' in form and 'name="tp-GT1"' in form and "checked" in form

    boundary = "----mo-phong"
    fields = {"ChuHoSo": "Lê Văn C", "SoDinhDanh": "001088000123", "MaDonVi": UNIT, "VNeID": "1"}
    chunks = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    chunks.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="tp-GT1"; filename="đơn.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
        + b"%PDF-1.7 noi dung\r\n"
        + f"--{boundary}--\r\n".encode()
    )
    status, headers, _ = client.call(
        "POST",
        "/cong-dvc/nop/1.001234.000.00.00.H56",
        raw=b"".join(chunks),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert status == 303
    code = headers["location"].rsplit("/", 1)[1]
    assert re.fullmatch(r"000\.00\.01\.H56-\d{6}-\d{4}", code)
    envelope = json.loads(listener.received[0]["body"])
    assert envelope["LoaiBanTin"] == "HoSoMoi" and envelope["MaHoSo"] == code
    assert envelope["DuLieu"]["TaiKhoanDuocXacThucVoiVNeID"] == "1"
    paper = envelope["DuLieu"]["TaiLieuNop"][0]
    assert (paper["TenTepDinhKem"], paper["MaThanhPhanHoSo"]) == ("đơn.pdf", "GT1")
    assert (
        Http(hub.url).call("GET", urllib.parse.urlsplit(paper["DuongDanTaiTepTin"]).path)[2]
        == b"%PDF-1.7 noi dung"
    )

    call = Service(hub.url)  # the province syncs the dossier under the national code
    call("DongBoHoSoMC", [header(code)])
    call("CapNhatTienDoHoSoMC", [event(code, 1, 2), event(code, 2, 4)])
    page = client.call("GET", f"/cong-dvc/ho-so/{code}")[2]
    assert f'id="ma-ho-so" class="ma-ho-so" aria-live="polite">{code}<' in page
    assert '<tr data-status="2" data-time="20260101100000">' in page
    assert "Được tiếp nhận" in page and "01/01/2026 10:00:00" in page
    assert "Hệ thống của tỉnh đã nhận" in page

    status, _, _ = client.call(
        "POST",
        f"/cong-dvc/ho-so/{code}/rut",
        raw="LyDo=Nộp nhầm".encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 303
    kinds = [r["envelope"]["LoaiBanTin"] for r in hub.control.inbound()]
    assert kinds == ["HoSoMoi", "RutHoSo"]


def test_result_files_are_fetched_when_configured(hub, listener):
    listener.reply = (200, b"ket-qua", "application/pdf")
    hub.control.configure(fetch_results=True)
    url = listener.url + "/ket-qua/1?sig=abc"
    Service(hub.url)(
        "DongBoHoSoMC",
        [
            header(
                "H56-110", DanhSachGiayToKetQua=[{"TenGiayTo": "GP", "DuongDanTepTinKetQua": url}]
            )
        ],
    )
    fetched = HubControl.wait_until(lambda: hub.control.dossier("H56-110").get("KetQuaTaiVe"))
    assert fetched[0]["status"] == 200 and fetched[0]["bytes"] == 7
    assert fetched[0]["sha256"] == hashlib.sha256(b"ket-qua").hexdigest()


# -- persistence ---------------------------------------------------------------------------


def test_state_file_survives_restart(hub_process_factory):
    process = hub_process_factory()
    call = Service(process.url, unit="U9")
    call("DongBoHoSoMC", [header("H56-120")])
    call("CapNhatTienDoHoSoMC", [event("H56-120", 1, 2)])
    process.restart()  # SIGTERM writes the file; the new process loads it
    assert process.state_path.exists()
    call = Service(process.url, unit="U9")
    assert call("CapNhatTienDoHoSoMC", [event("H56-120", 1, 2)])[1]["result"]["SoSuKienTrung"] == 1
    record = process.control.dossier("H56-120")
    assert record["MaDonVi"] == "U9" and len(record["TienDo"]) == 1

    process.stop()  # hub down: connection refused
    with pytest.raises(ConnectionRefusedError):
        Http(process.url).call("GET", "/_admin/health")
    process.start()
    assert process.control.health()["dossiers"] == 1
