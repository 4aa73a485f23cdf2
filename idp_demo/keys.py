"""RSA signing keys for the demo identity provider, kept in its var dir.

No Django here: ``idp_demo.settings`` reads the key ring before Django is configured.
The file holds the active key and the one it replaced, so that after a rotation the
JWKS still publishes the previous key and tokens signed just before stay verifiable.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwcrypto import jwk

KEY_FILE = "oidc-signing-keys.json"
KEY_BITS = 2048
# One previous key is enough for the demo: relying parties refetch the JWKS on an
# unknown kid, and tokens live 300 s.
INACTIVE_KEPT = 1


@dataclass(frozen=True)
class KeyRing:
    active_pem: str
    inactive_pems: list[str] = field(default_factory=list)

    @property
    def active_kid(self) -> str:
        return key_id(self.active_pem)

    @property
    def kids(self) -> list[str]:
        return [key_id(pem) for pem in (self.active_pem, *self.inactive_pems)]


def key_generate_pem(bits: int = KEY_BITS) -> str:
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    return private_key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    ).decode("ascii")


def key_id(pem: str) -> str:
    """The JWK thumbprint: the same ``kid`` django-oauth-toolkit puts in headers and JWKS."""
    return jwk.JWK.from_pem(pem.encode("ascii")).thumbprint()


def key_ring_path(var_dir: str | Path) -> Path:
    return Path(var_dir) / KEY_FILE


def key_ring_save(var_dir: str | Path, ring: KeyRing) -> None:
    path = key_ring_path(var_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps({"active": ring.active_pem, "inactive": ring.inactive_pems}, indent=2)
    # Write-then-rename so a crash never leaves half a private key behind; 0600 because
    # it is a private key even if only a demo one.
    fd, tmp = tempfile.mkstemp(prefix=".keys-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(payload)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def key_ring_load(var_dir: str | Path, create: bool = True) -> KeyRing:
    """The stored key ring; on first start (``create``) a fresh 2048-bit key."""
    path = key_ring_path(var_dir)
    if path.exists():
        data = json.loads(path.read_text(encoding="ascii"))
        return KeyRing(active_pem=data["active"], inactive_pems=list(data.get("inactive", [])))
    if not create:
        raise FileNotFoundError(path)
    ring = KeyRing(active_pem=key_generate_pem())
    key_ring_save(var_dir, ring)
    return ring


def key_ring_rotate(var_dir: str | Path) -> KeyRing:
    """A new active key; the old active key becomes the (only) inactive one."""
    current = key_ring_load(var_dir)
    ring = KeyRing(
        active_pem=key_generate_pem(),
        inactive_pems=[current.active_pem, *current.inactive_pems][:INACTIVE_KEPT],
    )
    key_ring_save(var_dir, ring)
    return ring
