"""The hub's codes → local rows: the code map first, then the national code itself.

The hub may send a procedure's localised code (``1.003560.000.00.00.H56``) or its
base code (``1.003560``); both name the same local procedure (``Procedure.code`` is
the base, ``code_suffix`` the rest)."""

from __future__ import annotations

from procedures.models import Procedure
from procedures.services.importing_rows import split_code
from tthc_portal.agencies.models import Agency

from ..config import code_local
from ..models import MapKind, Target

LOCAL_PREFIX = "local:"  # how the outbound map names a procedure without a national code


def _procedure_by_local(local: str) -> Procedure | None:
    if local.startswith(LOCAL_PREFIX):
        pk = local[len(LOCAL_PREFIX) :]
        return Procedure.objects.filter(pk=int(pk)).first() if pk.isdigit() else None
    return _procedure_by_code(local)


def _procedure_by_code(code: str) -> Procedure | None:
    try:
        base, _suffix = split_code(code)
    except ValueError:
        return None
    return Procedure.objects.filter(code=base).first() if base else None


def procedure_for(target: Target, remote: str) -> Procedure | None:
    """The local procedure the hub means by ``remote``, or None (unmapped)."""
    remote = (remote or "").strip()
    if not remote:
        return None
    local = code_local(target, MapKind.PROCEDURE, remote)
    if local:
        return _procedure_by_local(local)
    return _procedure_by_code(remote)


def agency_for(target: Target, remote: str) -> Agency | None:
    """The local unit of a ``MaDonVi``: mapped code, else the same code."""
    remote = (remote or "").strip()
    if not remote:
        return None
    local = code_local(target, MapKind.UNIT, remote) or remote
    return Agency.objects.filter(code=local).first()
