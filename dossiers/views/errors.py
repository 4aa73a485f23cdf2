"""How a refused action is shown: one message and its details, input kept."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from tthc_portal.signing.services import SigningError

from ..services import DossierError


def service_error(error: DossierError | SigningError) -> dict[str, Any]:
    if isinstance(error, DossierError):
        return {"message": error.message, "details": list(error.errors)}
    return {"message": _("Không ký số được kết quả: %(why)s") % {"why": error}, "details": []}


def form_error(form) -> dict[str, Any]:
    details = [str(e) for e in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name != "__all__":
            details.extend(str(e) for e in errors)
    return {
        "message": _("Chưa thực hiện được: vui lòng sửa các lỗi được đánh dấu bên dưới."),
        "details": details,
    }


def service_error_message(label: str, error: dict[str, Any]) -> str:
    """One flash message for a refused action: which one, why, and the details."""
    text = _("Chưa thực hiện được “%(action)s”: %(why)s") % {
        "action": label,
        "why": error["message"],
    }
    if error["details"]:
        text = f"{text} {' '.join(str(d) for d in error['details'])}"
    return text
