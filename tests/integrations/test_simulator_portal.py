"""The national-hub simulator over real HTTP: PayGov, the data store, fault rules, the
national portal pages and the state file."""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import re
import socket
import time
import urllib.parse
from typing import Any

import pytest

from integrations.simulator import HubControl
from integrations.simulator.datastore import canonical
from integrations.simulator.paygov import CONFIRM_FIELDS, INIT_FIELDS, QUERY_FIELDS
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
