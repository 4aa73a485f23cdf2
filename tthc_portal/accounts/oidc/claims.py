"""From the provider's claims to one national identity.

Claim names and account-type values are per provider, so they come from
``settings.IDENTITY``; nothing here names a claim directly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ..models import UserKind

PERSONAL_ID = re.compile(r"^\d{12}$")
TAX_CODE = re.compile(r"^\d{10}(-\d{3})?$")
PHONE = re.compile(r"^(\+84|0)\d{9,10}$")
BIRTH_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%Y%m%d", "%d-%m-%Y")


class IdentityError(ValueError):
    """The provider vouched for someone the portal cannot identify."""


@dataclass(frozen=True)
class NationalIdentity:
    subject: str
    kind: str  # UserKind value: citizen or organisation
    personal_id_number: str | None
    tax_code: str | None
    full_name: str
    birth_date: date | None
    phone: str
    email: str
    address: str
    national_account_id: str
    assurance_level: str
    vneid_verified: bool

    @property
    def identifier(self) -> str:
        return self.personal_id_number or self.tax_code or ""

    def profile(self) -> dict[str, Any]:
        """The account fields the provider is authoritative for (empty = unknown)."""
        values = {
            "full_name": self.full_name,
            "birth_date": self.birth_date,
            "phone": self.phone,
            "email": self.email,
            "address": self.address,
            "national_account_id": self.national_account_id,
            "assurance_level": self.assurance_level,
        }
        return {name: value for name, value in values.items() if value not in ("", None)}


def _text(claims: dict[str, Any], key: str) -> str:
    name = settings.IDENTITY["OIDC_CLAIMS"].get(key) or ""
    value = claims.get(name) if name else None
    if value is None:
        return ""
    return str(value).strip()


def _birth_date(raw: str) -> date | None:
    for pattern in BIRTH_DATE_FORMATS:
        try:
            return datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    return None


def _phone(raw: str) -> str:
    phone = re.sub(r"[\s.()-]", "", raw)
    if phone.startswith("84") and not phone.startswith("+"):
        phone = "+" + phone
    # An unusable number is dropped rather than blocking the sign-in.
    return phone if PHONE.match(phone) else ""


def identity_from_claims(claims: dict[str, Any]) -> NationalIdentity:
    config = settings.IDENTITY
    subject = str(claims.get("sub") or "").strip()
    if not subject:
        raise IdentityError(_("Cổng đăng nhập không gửi mã tài khoản (sub)."))
    account_type = _text(claims, "account_type") or "1"
    kind = config["OIDC_ACCOUNT_TYPES"].get(account_type)
    if kind is None:
        raise IdentityError(_("Loại tài khoản %(type)s chưa được hỗ trợ.") % {"type": account_type})

    personal_id = tax_code = None
    if kind == UserKind.CITIZEN:
        personal_id = _text(claims, "personal_id")
        if not PERSONAL_ID.match(personal_id):
            raise IdentityError(_("Tài khoản không có số định danh cá nhân hợp lệ (12 chữ số)."))
        name = _text(claims, "full_name")
    else:
        tax_code = _text(claims, "tax_code") or _text(claims, "enterprise_code")
        if not TAX_CODE.match(tax_code):
            raise IdentityError(_("Tài khoản tổ chức, doanh nghiệp không có mã số thuế hợp lệ."))
        name = _text(claims, "organisation_name") or _text(claims, "full_name")

    level = _text(claims, "assurance_level")
    return NationalIdentity(
        subject=subject,
        kind=kind,
        personal_id_number=personal_id,
        tax_code=tax_code,
        full_name=name,
        birth_date=_birth_date(_text(claims, "birth_date")) if kind == UserKind.CITIZEN else None,
        phone=_phone(_text(claims, "phone")),
        email=_text(claims, "email")[:254],
        address=_text(claims, "address")[:500],
        national_account_id=(_text(claims, "national_account_id") or subject)[:64],
        assurance_level=level[:16],
        vneid_verified=bool(level) and level in config["OIDC_VNEID_LEVELS"],
    )
