"""Catalogue fixtures for the API, import/export and admin tests.

Versions are built the way the importer builds them: a draft through
``version_create_draft``, then published and activated.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from procedures.models import Field, Procedure, ProcedureVersion, VersionStatus
from procedures.services.versions import version_create_draft, versions_activate
from tthc_portal.agencies.models import Agency

_codes = itertools.count(1)

BALANCED_STEPS = [
    {"order": 1, "name": "Tiếp nhận hồ sơ", "actor_role": "desk_officer", "budget": Decimal("0.5")},
    {"order": 2, "name": "Thẩm định hồ sơ", "actor_role": "specialist", "budget": Decimal("3")},
    {"order": 3, "name": "Phê duyệt kết quả", "actor_role": "department_head", "budget": "1.5"},
]


def field(name: str = "Chứng thực", code: str | None = None) -> Field:
    code = code or "LV-" + "".join(w[0] for w in name.split()).upper()
    return Field.objects.get_or_create(code=code, defaults={"name": name})[0]


def draft_version(
    *,
    name: str,
    code: str | None = None,
    field_name: str = "Chứng thực",
    level: str = "commune",
    online_level: str = "none",
    agency: Agency | None = None,
    internal: bool = False,
    time_limit: Decimal | None = Decimal(5),
    children: dict[str, list[dict[str, Any]]] | None = None,
) -> ProcedureVersion:
    procedure = Procedure.objects.create(code=code)
    content = {
        "name": name,
        "field": field(field_name),
        "level": level,
        "online_level": online_level,
        "channel_online": online_level != "none",
        "implementing_agency": agency,
        "implementing_agency_text": agency.name if agency else "UBND cấp xã",
        "is_internal": internal,
        "internal_scope": "between_bodies" if internal else "",
        "time_limit": time_limit,
        "steps_text": "Nộp hồ sơ; nhận kết quả.",
        "applicant_types": ["citizen"],
    }
    return version_create_draft(
        actor=None,
        procedure=procedure,
        content=content,
        children=children or {},
        check_permission=False,
    )


def public_version(*, today: date | None = None, **kwargs: Any) -> ProcedureVersion:
    """A published version in force today (what the public catalogue shows)."""
    today = today or timezone.localdate()
    kwargs.setdefault("code", f"8.{next(_codes):06d}")
    version = draft_version(**kwargs)
    ProcedureVersion.objects.filter(pk=version.pk).update(
        status=VersionStatus.PUBLISHED,
        valid_from=today - timedelta(days=30),
        published_at=timezone.now(),
    )
    versions_activate(today=today, procedure_ids=[version.procedure_id])
    return ProcedureVersion.objects.select_related("procedure").get(pk=version.pk)


def full_children(steps: int = 3, components: int = 2) -> dict[str, list[dict[str, Any]]]:
    return {
        "components": [
            {"order": i, "name": f"Giấy tờ số {i}", "copy_kind": "certified_copy", "count": 1}
            for i in range(1, components + 1)
        ],
        "fees": [{"kind": "charge", "name": "Lệ phí", "amount_vnd": 50000}],
        "legal_bases": [{"title": "Luật Hộ tịch số 60/2014/QH13"}],
        "steps": [
            {
                "order": i,
                "name": f"Bước {i}",
                "actor_role": "specialist",
                "budget": Decimal(5) / steps,
            }
            for i in range(1, steps + 1)
        ],
    }
