"""Demo data: the root CA and a signing certificate for every active agency."""

from __future__ import annotations

from .services import agency_certificates_issue_all, ca_ensure_root_created


def seed_signing() -> dict[str, object]:
    """Idempotent; call after the agencies exist. Returns what it did."""
    root, created = ca_ensure_root_created()
    issued = agency_certificates_issue_all()
    return {"root": root, "root_created": created, "issued": issued}
