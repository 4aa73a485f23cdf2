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
