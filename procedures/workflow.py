"""Lifecycle of a procedure version, as data.

Every change of ``ProcedureVersion.status`` goes through
``services.versions.version_transition``, which reads this table.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import VersionStatus as S


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    # Guardian permission (on the owning agency) the actor needs; None = system only.
    permission: str | None
    label: str


VERSION_TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(
        frozenset({S.DRAFT}), S.SUBMITTED, "draft_procedures", _("Trình lãnh đạo")
    ),
    "return": Transition(
        frozenset({S.SUBMITTED, S.APPROVED}), S.DRAFT, "approve_procedures", _("Trả lại để sửa")
    ),
    "approve": Transition(
        frozenset({S.SUBMITTED}), S.APPROVED, "approve_procedures", _("Phê duyệt")
    ),
    "publish": Transition(
        frozenset({S.APPROVED}),
        S.PUBLISHED,
        "control_publication",
        _("Ghi nhận quyết định công bố"),
    ),
    "retire": Transition(frozenset({S.PUBLISHED}), S.RETIRED, None, _("Hết hiệu lực")),
}


def allowed_actions(status: str) -> list[str]:
    return [name for name, t in VERSION_TRANSITIONS.items() if status in t.sources]
