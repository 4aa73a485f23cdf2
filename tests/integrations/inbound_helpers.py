"""Shared set-up of the inbound tests: a hub target on the simulator and national
envelopes shaped as PROTOCOL.md §4 has them."""

from __future__ import annotations

import base64
import itertools
import json
from typing import Any

from django.urls import reverse

from integrations.inbound import push_token_set
from integrations.models import Target, TargetKind, UnitCredential
from integrations.secrets import secret_encrypt

PUSH_TOKEN = "ma-day-thu-nghiem"
PUSH_URL = "/api/lien-thong/dvcqg/ho-so/"
PROCEDURE_CODE = "1.001122"  # the online_procedure fixture's national code
JUSTICE = "000.00.10.H99"
_numbers = itertools.count(1)


def hub_target(url: str) -> Target:
    """The hub target with a default credential and a push token."""
    target = Target.objects.create(
        code="dvcqg", kind=TargetKind.HUB, name="DVCQG", base_url=url, transport="rest",
        connect_timeout=1.0, read_timeout=3.0,
    )  # fmt: skip
    UnitCredential.objects.create(
        target=target, agency=None, unit_code="", username="tinh-demo",
        secret_encrypted=secret_encrypt("x"),
    )  # fmt: skip
    push_token_set(target, PUSH_TOKEN)
    return target


def b64(content: bytes) -> str:
    return base64.b64encode(content).decode("ascii")


def new_dossier(
    files: list[dict[str, Any]] | None = None, *, code: str = "", procedure: str = PROCEDURE_CODE,
    unit: str = JUSTICE, message_id: str = "", **data: Any,
) -> dict[str, Any]:  # fmt: skip
    """A ``HoSoMoi`` envelope; ``files`` are TaiLieuNop items."""
    number = next(_numbers)
    return {
        "MaBanTin": message_id or f"BT-TEST-{number:05d}",
        "LoaiBanTin": "HoSoMoi",
        "MaHoSo": code or f"G22.99-260105-{number:04d}",
        "MaDonVi": unit,
        "ThoiGianGui": "20260105090000",
        "DuLieu": {
            "MaTTHC": procedure,
            "TenTTHC": "Thủ tục thử nghiệm",
            "ChuHoSo": "Nguyễn Văn Quốc Gia",
            "SoDinhDanh": "001085099999",
            "LoaiDoiTuong": "1",
            "SoDienThoai": "0912345678",
            "Email": "quocgia@example.vn",
            "DiaChi": "Phường Demo",
            "TrichYeuHoSo": "Đề nghị giải quyết",
            "NgayNopHoSo": "20260105083000",
            "MaDoiTuong": "TK0123456789",
            "TaiKhoanDuocXacThucVoiVNeID": "1",
            "TaiLieuNop": files or [],
            **data,
        },
    }


def follow_up(kind: str, code: str, unit: str = JUSTICE, **data: Any) -> dict[str, Any]:
    number = next(_numbers)
    return {
        "MaBanTin": f"BT-TEST-{number:05d}",
        "LoaiBanTin": kind,
        "MaHoSo": code,
        "MaDonVi": unit,
        "ThoiGianGui": "20260106090000",
        "DuLieu": data,
    }


def push(client, envelope: Any, token: str | None = PUSH_TOKEN):
    """POST to the push endpoint as the hub does; returns the response."""
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token is not None else {}
    body = envelope if isinstance(envelope, (str, bytes)) else json.dumps(envelope)
    return client.post(PUSH_URL, data=body, content_type="application/json", **headers)


def push_url_name() -> str:
    return reverse("integrations:inbound_push")
