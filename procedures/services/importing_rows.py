"""Source rows (procedures-sample.json shape, or CSV) → version content.

Pure mapping of one published row onto a version's content and child rows;
the only writes are the fields (lĩnh vực) a row names for the first time.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from datetime import date
from decimal import Decimal
from typing import Any

from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.models import Agency
from tthc_portal.tabular import cell_unquote
from tthc_portal.text import fold

from ..models import (
    ChangeType,
    CopyKind,
    FeeKind,
    Field,
    Level,
    OnlineLevel,
    TimeKind,
)

CODE_RE = re.compile(r"^(\d\.\d{6})(?:\.(.+))?$")
DATE_RE = re.compile(r"ngày\s+(\d{1,2})/(\d{1,2})/(\d{4})")
DECISION_RE = re.compile(
    r"(?:Quyết định|QĐ)\s*(?:số\s*)?([\w./-]*\d[\w./-]*QĐ-[\w.-]+)", re.IGNORECASE
)
LEVELS = {"tỉnh": Level.PROVINCE, "xã": Level.COMMUNE, "huyện": Level.DISTRICT}
COPY_KINDS = {
    "original": CopyKind.ORIGINAL,
    "copy": CopyKind.COPY,
    "certified_copy": CopyKind.CERTIFIED_COPY,
    "original_or_copy": CopyKind.ORIGINAL_OR_COPY,
}
CHANGE_TYPES = {
    "new": ChangeType.NEW,
    "amended": ChangeType.AMENDED,
    "abolished": ChangeType.ABOLISHED,
    "replaced": ChangeType.REPLACED,
    "standardised": ChangeType.STANDARDISED,
}
# Source fields that describe where a row came from, not the procedure itself.
PROVENANCE_KEYS = {"source", "notes", "province"}


def split_code(raw: str | None) -> tuple[str | None, str]:
    if not raw:
        return None, ""
    match = CODE_RE.match(raw.strip())
    if not match:
        raise ValueError(f"Mã thủ tục không hợp lệ: {raw!r}")
    return match.group(1), match.group(2) or ""


def row_hash(row: dict[str, Any]) -> str:
    payload = {k: v for k, v in row.items() if k not in PROVENANCE_KEYS}
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


def _field_for(name: str) -> Field:
    name = (name or "Chưa phân loại").strip()
    existing = Field.objects.filter(name_folded=fold(name)).first()
    if existing:
        return existing
    initials = "".join(word[0] for word in fold(name).split() if word[0].isalnum()).upper()
    code, n = f"LV-{initials or 'X'}", 1
    while Field.objects.filter(code=code).exists():
        n += 1
        code = f"LV-{initials}{n}"
    return Field.objects.create(code=code, name=name)


def _agency_for(text: str, agencies: list[Agency]) -> Agency | None:
    """The province's unit whose name appears in the published text (longest wins)."""
    folded = fold(text)
    hits = [a for a in agencies if fold(a.name) and fold(a.name) in folded]
    return max(hits, key=lambda a: len(a.name)) if hits else None


def _level(text: str | None) -> str:
    text = (text or "").lower()
    found = {level for word, level in LEVELS.items() if word in text}
    if {Level.PROVINCE, Level.COMMUNE} <= found:
        return Level.PROVINCE_AND_COMMUNE
    return next(iter(found), Level.PROVINCE)


def _role_for_actor(actor: str) -> str:
    text = fold(actor)
    if "chuyen vien" in text or "van thu" in text or "cong chuc" in text:
        return Role.SPECIALIST
    if "lanh dao" in text or "giam doc" in text or "chu tich" in text:
        return Role.DEPARTMENT_HEAD
    if "tiep nhan" in text or "mot cua" in text or "ttpvhcc" in text:
        return Role.DESK_OFFICER
    if "van phong ubnd" in text or "ubnd tinh" in text:
        return Role.PROVINCIAL_STAFF
    return Role.SPECIALIST


def _time(pt: dict | None) -> dict[str, Any]:
    if not pt:
        return {"time_limit": None}
    unit = pt.get("unit") or "working_days"
    content: dict[str, Any] = {"time_unit": unit, "time_text": pt.get("text") or ""}
    limit = Decimal(str(pt.get("value") or 0))
    if pt.get("stages"):
        stages = pt["stages"]
        content["time_kind"] = TimeKind.MULTI_STAGE
        content["time_stages"] = stages
        mandatory = [s for s in stages if "optional" not in (s.get("step") or "")]
        if mandatory and all(s.get("unit") == unit for s in mandatory):
            limit = sum((Decimal(str(s["value"])) for s in mandatory), Decimal(0))
    elif pt.get("outcome_dependent"):
        outcomes = pt["outcome_dependent"]
        content["time_kind"] = TimeKind.OUTCOME_DEPENDENT
        content["time_outcomes"] = outcomes
        limit = max(Decimal(str(o["value"])) for o in outcomes)
    content["time_limit"] = None if unit in ("same_day", "immediate") else limit
    if pt.get("cutoff_time"):
        content["cutoff_time"] = pt["cutoff_time"]
    return content


def _fees(fee: dict | None) -> list[dict]:
    if not fee:
        return []
    if fee.get("tiers"):
        return [
            {
                "kind": FeeKind.FEE,
                "name": tier.get("case") or "",
                "amount_vnd": tier.get("amount_vnd", tier.get("in_person_or_postal_vnd")),
                "online_amount_vnd": tier.get("online_vnd"),
                "unit": fee.get("unit") or "",
                "note": fee.get("note") or "",
                "is_alternative": True,
            }
            for tier in fee["tiers"]
        ]
    return [
        {
            "kind": FeeKind.FEE,
            "name": "Phí, lệ phí",
            "amount_vnd": fee.get("amount_vnd"),
            "online_amount_vnd": fee.get("online_amount_vnd"),
            "unit": fee.get("unit") or "",
            "note": fee.get("note") or "",
        }
    ]


def _step_name(step: dict, position: int) -> str:
    work = step.get("work") or ""
    label = str(step.get("step") or position)
    return work if label == str(position) else f"(Bước {label}) {work}"


def row_to_content(row: dict[str, Any], agencies: list[Agency]) -> tuple[dict, dict]:
    """Map one source row onto version content and child rows."""
    online = row.get("online_level")
    channels = set(row.get("channels") or [])
    online_level = {
        "full": OnlineLevel.FULL,
        "partial": OnlineLevel.PARTIAL,
        # Online submission is listed but its level is not stated: treat as partial.
        "unspecified": OnlineLevel.PARTIAL,
    }.get(online or "", OnlineLevel.NONE)
    source_doc = row.get("source_document") or ""
    date_match = DATE_RE.search(source_doc)
    number_match = DECISION_RE.search(source_doc)
    decision_date = (
        date(int(date_match.group(3)), int(date_match.group(2)), int(date_match.group(1)))
        if date_match
        else None
    )
    agency_text = row.get("implementing_agency") or ""
    content = {
        "name": row["name"].strip(),
        "field": _field_for(row.get("field") or ""),
        "level": _level(row.get("level")),
        "implementing_agency": _agency_for(agency_text, agencies),
        "implementing_agency_text": agency_text,
        "channel_in_person": "in_person" in channels or not channels,
        "channel_online": "online" in channels or online_level != OnlineLevel.NONE,
        "channel_postal": "public_postal" in channels or "postal" in channels,
        "channels_text": "; ".join(row.get("reception_points") or []),
        "online_level": online_level,
        "full_online_eligible": online_level == OnlineLevel.FULL,
        "result_text": row.get("result") or "",
        "boundary_free": bool(row.get("boundary_free")),
        "is_internal": bool(row.get("is_internal")),
        "is_province_specific": "đặc thù" in (row.get("publication_type") or ""),
        "change_type": CHANGE_TYPES.get(row.get("publication_type") or "", ""),
        "source_document": source_doc,
        "decision_date": decision_date,
        "decision_number": number_match.group(1) if number_match else "",
        **_time(row.get("processing_time")),
    }
    children = {
        "components": [
            {
                "order": i,
                "name": c["name"],
                "copy_kind": COPY_KINDS.get(c.get("original_or_copy") or "", CopyKind.ORIGINAL),
                "count": c.get("count") or 1,
            }
            for i, c in enumerate(row.get("dossier_components") or [], start=1)
        ],
        "fees": _fees(row.get("fee")),
        "legal_bases": [{"title": text} for text in row.get("legal_basis") or []],
        "steps": [
            {
                # Source numbering may group sub-steps ("6-13"): keep the
                # position as the order and the published label in the name.
                "order": i,
                "name": _step_name(s, i)[:500],
                "actor_text": (s.get("actor") or "")[:255],
                "actor_role": _role_for_actor(s.get("actor") or ""),
                "budget": Decimal(str(s.get("budget_working_days") or 0)),
                "counted": "không tính" not in (s.get("note") or "").lower(),
            }
            for i, s in enumerate(row.get("internal_workflow") or [], start=1)
        ],
    }
    return content, children


# --- CSV -------------------------------------------------------------------------

CSV_COLUMNS = [
    "code",
    "name",
    "field",
    "level",
    "implementing_agency",
    "time_value",
    "time_unit",
    "cutoff_time",
    "fee_vnd",
    "online_fee_vnd",
    "online_level",
    "channels",
    "legal_basis",
    "components",
    "result",
    "boundary_free",
    "publication_type",
    "source_document",
]
LIST_SEPARATOR = " | "
TRUTHY = {"1", "true", "có", "x"}


def csv_to_rows(text: str) -> list[dict[str, Any]]:
    """CSV (one procedure a line, lists separated by " | ") → JSON-shaped rows."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = {"name"} - set(reader.fieldnames or [])
    if missing:
        raise ValueError("Tệp CSV thiếu cột: " + ", ".join(sorted(missing)))
    rows = []
    for read in reader:
        # Cells the exporter protected against formula injection come back as typed.
        raw = {k: cell_unquote(v) if isinstance(v, str) else v for k, v in read.items()}

        def items(key: str, raw=raw) -> list[str]:
            return [p.strip() for p in (raw.get(key) or "").split("|") if p.strip()]

        time_value = (raw.get("time_value") or "").strip()
        fee = (raw.get("fee_vnd") or "").strip()
        online_fee = (raw.get("online_fee_vnd") or "").strip()
        rows.append(
            {
                "code": (raw.get("code") or "").strip() or None,
                "name": raw["name"].strip(),
                "field": (raw.get("field") or "").strip(),
                "level": (raw.get("level") or "").strip(),
                "implementing_agency": (raw.get("implementing_agency") or "").strip(),
                "processing_time": {
                    "value": Decimal(time_value.replace(",", ".")) if time_value else 0,
                    "unit": (raw.get("time_unit") or "working_days").strip(),
                    **(
                        {"cutoff_time": raw["cutoff_time"].strip()}
                        if raw.get("cutoff_time")
                        else {}
                    ),
                }
                if time_value or raw.get("time_unit")
                else None,
                "fee": {
                    "amount_vnd": int(fee) if fee else None,
                    **({"online_amount_vnd": int(online_fee)} if online_fee else {}),
                }
                if fee or online_fee
                else None,
                "online_level": (raw.get("online_level") or "").strip() or None,
                "channels": items("channels"),
                "legal_basis": items("legal_basis"),
                "dossier_components": [{"name": n, "count": 1} for n in items("components")],
                "result": (raw.get("result") or "").strip() or None,
                "boundary_free": (raw.get("boundary_free") or "").strip().lower() in TRUTHY,
                "publication_type": (raw.get("publication_type") or "").strip(),
                "source_document": (raw.get("source_document") or "").strip(),
            }
        )
    return json.loads(json.dumps(rows, default=str))
