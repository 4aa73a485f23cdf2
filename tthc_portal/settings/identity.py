"""Identity settings: the national single sign-on, staff second factor, sessions."""

from __future__ import annotations

import os

from .env import env_bool, env_list

# Citizens and businesses sign in through the national portal's single sign-on
# (OpenID Connect, VNeID behind it); staff keep local accounts with a second
# factor. The national operators issue the provider's address and client
# credentials; claim names are per provider, so they are configuration too.
IDENTITY = {
    # The provider's discovery document (.well-known/openid-configuration).
    # Empty: the "Đăng nhập bằng VNeID / Cổng DVCQG" button is not offered.
    "OIDC_DISCOVERY_URL": os.environ.get("OIDC_DISCOVERY_URL", ""),
    "OIDC_CLIENT_ID": os.environ.get("OIDC_CLIENT_ID", ""),
    "OIDC_CLIENT_SECRET": os.environ.get("OIDC_CLIENT_SECRET", ""),
    "OIDC_SCOPES": os.environ.get("OIDC_SCOPES", "openid profile email phone"),
    "OIDC_ACR_VALUES": os.environ.get("OIDC_ACR_VALUES", ""),
    # Seconds of clock difference tolerated on iat/exp.
    "OIDC_LEEWAY_SECONDS": int(os.environ.get("OIDC_LEEWAY_SECONDS", "60")),
    "OIDC_TIMEOUT_SECONDS": float(os.environ.get("OIDC_TIMEOUT_SECONDS", "10")),
    # Provider claim names, as seen in the national portal's public clients
    # (national-sync §1); override any of them with OIDC_CLAIM_<KEY>.
    "OIDC_CLAIMS": {
        key: os.environ.get(f"OIDC_CLAIM_{key.upper()}", default)
        for key, default in {
            "account_type": "LoaiTaiKhoan",
            "personal_id": "SoDinhDanh",
            "tax_code": "MaSoThue",
            "enterprise_code": "MaSoDoanhNghiep",
            "organisation_name": "TenDoanhNghiep",
            "full_name": "HoVaTen",
            "birth_date": "NgayThangNamSinh",
            "phone": "SoDienThoai",
            "email": "ThuDienTu",
            "address": "ThuongTru",
            "national_account_id": "TechID",
            "assurance_level": "loAs",
        }.items()
    },
    # LoaiTaiKhoan values: 1 citizen, 2 enterprise, 3 organisation.
    "OIDC_ACCOUNT_TYPES": {"1": "citizen", "2": "organisation", "3": "organisation"},
    # Levels of assurance that mean "authenticated with VNeID" (unconfirmed:
    # the operators' value list was not in the sources read).
    "OIDC_VNEID_LEVELS": env_list("OIDC_VNEID_LEVELS", "1,2"),
    # Citizens' local password form: only where an administrator enables it
    # (demo, pilots). Staff always keep local accounts.
    "CITIZEN_PASSWORD_LOGIN": env_bool("TTHC_CITIZEN_PASSWORD_LOGIN", False),
    "TOTP_ISSUER": os.environ.get("TTHC_TOTP_ISSUER", "Cổng DVC tỉnh"),
    "RECOVERY_CODES": 10,
    # Signing a result asks for the second factor again after this long.
    "SIGN_REAUTH_MINUTES": int(os.environ.get("TTHC_SIGN_REAUTH_MINUTES", "15")),
    # Staff are signed out after this long without a request.
    "STAFF_IDLE_MINUTES": int(os.environ.get("TTHC_STAFF_IDLE_MINUTES", "30")),
}
