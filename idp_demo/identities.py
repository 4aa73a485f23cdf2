"""The demo people the simulator can sign in (``identities.json``) and their claims."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

IDENTITIES_PATH = Path(__file__).resolve().parent / "identities.json"

# Provider claim names, as the national portal sends them.
NATIONAL_CLAIMS = (
    "LoaiTaiKhoan",
    "SoDinhDanh",
    "SoCMND",
    "MaSoThue",
    "MaSoDoanhNghiep",
    "TenDoanhNghiep",
    "HoVaTen",
    "NgayThangNamSinh",
    "GioiTinh",
    "ThuDienTu",
    "SoDienThoai",
    "ThuongTru",
    "QuocTich",
    "TechID",
    "loAs",
)
STANDARD_CLAIMS = ("sub", "name", "email", "phone_number", "acr")
ALL_CLAIMS = STANDARD_CLAIMS + NATIONAL_CLAIMS

ACCOUNT_TYPE_LABELS = {"1": "Công dân", "2": "Doanh nghiệp", "3": "Tổ chức"}


@dataclass(frozen=True)
class Identity:
    claims: dict[str, str]
    description: str = ""

    @property
    def sub(self) -> str:
        # The national portal's subject is its technical account id.
        return self.claims["TechID"]

    @property
    def full_name(self) -> str:
        return self.claims.get("HoVaTen", "")

    @property
    def account_type_label(self) -> str:
        return ACCOUNT_TYPE_LABELS.get(self.claims.get("LoaiTaiKhoan", ""), "")

    @property
    def assurance_level(self) -> str:
        return self.claims.get("loAs", "")

    def claims_for(self, acr: str | None = None) -> dict[str, Any]:
        """National and standard claims; empty values are left out, as the portal does."""
        claims: dict[str, Any] = {"sub": self.sub}
        claims.update(self.claims)
        claims["name"] = self.claims.get("HoVaTen", "")
        claims["email"] = self.claims.get("ThuDienTu", "")
        claims["phone_number"] = self.claims.get("SoDienThoai", "")
        level = self.assurance_level
        claims["acr"] = acr or (f"loa{level}" if level else "")
        return {key: value for key, value in claims.items() if value not in ("", None)}


def identities_parse(raw: list[dict[str, Any]]) -> list[Identity]:
    people = []
    for entry in raw:
        claims = {k: str(v) for k, v in entry["claims"].items() if k in NATIONAL_CLAIMS}
        if not claims.get("TechID"):
            raise ValueError(f"identity without TechID: {entry!r}")
        people.append(Identity(claims=claims, description=entry.get("description", "")))
    return people


@cache
def identities_load(path: str = str(IDENTITIES_PATH)) -> tuple[Identity, ...]:
    with open(path, encoding="utf-8") as handle:
        return tuple(identities_parse(json.load(handle)))


def identity_get(sub: str) -> Identity | None:
    return next((person for person in identities_load() if person.sub == sub), None)
