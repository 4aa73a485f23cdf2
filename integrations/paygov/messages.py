"""PayGov messages: field lists, MaXacThuc, and the partner's configuration.

``MaXacThuc`` is the SHA-256 hex of the listed fields' values joined with
``|``, then ``|<secret>`` (PROTOCOL.md §5). Checks are constant-time."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from ..config import active_target
from ..models import Target, TargetKind
from ..transport import credential_for

INIT_FIELDS = (
    "LoaiBanTin", "PhienBan", "MaDoiTac", "MaThamChieu", "SoTien", "LoaiHinhThanhToan",
    "MaKenhThanhToan", "MaThietBi", "NgonNgu", "MaTienTe", "MaNganHang", "ThongTinGiaoDich",
    "ThoiGianGD", "Ip",
)  # fmt: skip
QUERY_FIELDS = ("LoaiBanTin", "PhienBan", "MaDoiTac", "MaThamChieu", "ThoiGianGD")
CONFIRM_FIELDS = (
    "MaLoi", "MaDoiTac", "MaThamChieu", "SoTien", "MaTienTe", "MaGiaoDich", "MaNganHang",
    "TrangThaiGD", "ThoiGianGD",
)  # fmt: skip
# What a confirmation must carry before anything else is looked at.
CONFIRM_REQUIRED = (*CONFIRM_FIELDS, "MaXacThuc")

OK = "00"
PAID, FAILED, PENDING = "1", "2", "0"


class PayGovNotConfigured(Exception):
    """No active PayGov target, or no partner code / secret for it."""


@dataclass(frozen=True)
class Partner:
    target: Target
    code: str  # MaDoiTac
    secret: str
    version: str
    options: dict


def paygov_mac(body: dict[str, Any], fields: tuple[str, ...], secret: str) -> str:
    values = ["" if body.get(name) is None else str(body.get(name)) for name in fields]
    return hashlib.sha256("|".join([*values, secret]).encode("utf-8")).hexdigest()


def paygov_signed(body: dict[str, Any], fields: tuple[str, ...], secret: str) -> dict[str, Any]:
    return {**body, "MaXacThuc": paygov_mac(body, fields, secret)}


def paygov_mac_valid(body: dict[str, Any], fields: tuple[str, ...], secret: str) -> bool:
    given = str(body.get("MaXacThuc") or "").strip().lower()
    return hmac.compare_digest(given.encode(), paygov_mac(body, fields, secret).encode())


def confirmation_fields(raw: Any) -> dict[str, str] | None:
    """The confirmation's fields as strings, or None when one is missing or not a
    scalar (a malformed message is refused before any look-up)."""
    if not hasattr(raw, "get"):
        return None
    fields: dict[str, str] = {}
    for name in (*CONFIRM_REQUIRED, "MoTaLoi"):
        value = raw.get(name)
        if value is None:
            if name == "MoTaLoi":
                continue
            return None
        if not isinstance(value, str | int):
            return None
        fields[name] = str(value)[:500]
    return fields


def paygov_partner(agency_id: int | None = None) -> Partner:
    """The active PayGov target with its partner code and secret: the target's
    credential (username = MaDoiTac, secret encrypted) or the options and
    settings.TTHC["PAYGOV_SECRET"] as fallback."""
    target = active_target(TargetKind.PAYGOV)
    if target is None:
        raise PayGovNotConfigured("no active PayGov target")
    options = target.options or {}
    credential = credential_for(target, agency_id, "")
    code = str(options.get("partner") or (credential.username if credential else ""))
    secret = credential.secret if credential else str(settings.TTHC.get("PAYGOV_SECRET") or "")
    if not code or not secret:
        raise PayGovNotConfigured("PayGov partner code or secret missing")
    version = str(options.get("version") or "2.0.0")
    return Partner(target=target, code=code, secret=secret, version=version, options=options)
