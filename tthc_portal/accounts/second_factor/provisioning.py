"""What the enrolment page shows: the otpauth:// address, its QR code, the secret."""

from __future__ import annotations

from base64 import b32encode
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice


@dataclass(frozen=True)
class Provisioning:
    issuer: str
    account: str
    secret: str  # base32, no padding
    secret_grouped: str  # "ABCD EFGH ..." for typing by hand
    uri: str
    qr_data_uri: str


def secret_base32(key: bytes) -> str:
    return b32encode(key).decode("ascii").rstrip("=")


def group(secret: str, size: int = 4) -> str:
    return " ".join(secret[i : i + size] for i in range(0, len(secret), size))


def totp_uri(*, issuer: str, account: str, secret: str, digits: int, period: int) -> str:
    """Key URI format understood by every authenticator app (Google Authenticator,
    Microsoft Authenticator, FreeOTP, ...): the issuer both in the label and as a
    parameter, colons removed because they separate issuer from account."""
    issuer = issuer.replace(":", "")
    label = quote(f"{issuer}:{account}")
    params = urlencode(
        {
            "secret": secret,
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": digits,
            "period": period,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{params}"


def provisioning_for(device: TOTPDevice) -> Provisioning:
    issuer = settings.IDENTITY["TOTP_ISSUER"]
    account = device.user.get_username()
    secret = secret_base32(device.bin_key)
    uri = totp_uri(
        issuer=issuer, account=account, secret=secret, digits=device.digits, period=device.step
    )
    # SVG as a data: URI: no extra request, and the CSP allows img-src data:.
    qr = segno.make(uri, error="m").svg_data_uri(scale=5, border=4, omitsize=True, title=None)
    return Provisioning(
        issuer=issuer,
        account=account,
        secret=secret,
        secret_grouped=group(secret),
        uri=uri,
        qr_data_uri=qr,
    )
