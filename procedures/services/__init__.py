"""Write operations on the catalogue. Views, API and tasks call these only."""

from django.core.exceptions import PermissionDenied


class ProcedureError(Exception):
    """A refused operation, with a message meant for the user (Vietnamese)."""

    def __init__(self, message: str, errors: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or []


def require_agency_perm(actor, perm: str, agency) -> None:
    if agency is None or not actor.has_perm(f"agencies.{perm}", agency):
        raise PermissionDenied(perm)


__all__ = ["ProcedureError", "require_agency_perm"]
