"""How the applicant signed in, kept in the session for the dossiers they send.

The level of assurance and the VNeID flag belong to the sign-in, not to the
account: the same person may sign in once with VNeID and once with a demo
password, and each dossier records the one it was sent under.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from .claims import NationalIdentity

SESSION_KEY = "national_sign_in"


@dataclass(frozen=True)
class SignInAssurance:
    vneid_verified: bool = False
    assurance_level: str = ""
    # The national account (TechID), sent to the hub as MaDoiTuong.
    national_account_id: str = ""


def sign_in_assurance_store(
    request: HttpRequest, identity: NationalIdentity, id_token: str
) -> None:
    request.session[SESSION_KEY] = {
        "vneid_verified": identity.vneid_verified,
        "assurance_level": identity.assurance_level,
        "subject": identity.subject,
        "national_account_id": identity.national_account_id,
        # Kept for RP-initiated logout (id_token_hint).
        "id_token": id_token,
    }


def sign_in_assurance(request: HttpRequest) -> SignInAssurance:
    data = request.session.get(SESSION_KEY) or {}
    return SignInAssurance(
        vneid_verified=bool(data.get("vneid_verified")),
        assurance_level=str(data.get("assurance_level") or ""),
        national_account_id=str(data.get("national_account_id") or ""),
    )


def sign_in_id_token(request: HttpRequest) -> str:
    return str((request.session.get(SESSION_KEY) or {}).get("id_token") or "")
