"""The catalogue pull (``LayDanhSachTTHC`` then ``LayThuTuc`` for each): a national
procedure that differs from the local version in force becomes a new **draft** version
for the provincial office to review — never an edit of a published version.

Idempotent: the draft carries the hash of the national content it came from
(``ProcedureVersion.source_hash``), so the same national content never makes a second
draft. A procedure unknown locally goes to the unmapped queue: the office decides."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from procedures.models import Procedure, ProcedureVersion
from procedures.services.versions import version_create_draft
from tthc_portal.audit.services import audit_record

from ..config import active_target, unmapped_record
from ..inbound.mapping import procedure_for
from ..models import MapKind, Target
from ..sync.breaker import breaker_allows, breaker_record
from ..transport import TargetClient, credential_for
from .compare import describe, differences, draft_content
from .shape import national_read

SINCE_OPTION = "catalogue_pulled_on"


def national_hash(item: dict[str, Any]) -> str:
    """The national content, without its update stamp (a re-stamp is no change)."""
    content = {key: value for key, value in item.items() if key != "NGAYCAPNHAT"}
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"dvcqg:LayThuTuc:{text}".encode()).hexdigest()


def _since(since: date | datetime | str | None) -> str:
    if since is None:
        return ""
    if isinstance(since, datetime):
        since = timezone.localtime(since) if timezone.is_aware(since) else since
    if isinstance(since, date):
        return since.strftime("%Y%m%d")
    return str(since)


def _compared_version(procedure: Procedure) -> ProcedureVersion | None:
    if procedure.current_version_id:
        return procedure.current_version
    return procedure.versions.order_by("-number").first()


def procedure_review(target: Target, item: dict[str, Any]) -> tuple[str, int | None]:
    """One national procedure → ("new_draft", version pk) | ("unchanged" | "pending" |
    "unknown", None). "pending": a draft for this national content already exists."""
    national = national_read(item)
    procedure = procedure_for(target, national.code)
    if procedure is None:
        unmapped_record(
            target, MapKind.PROCEDURE, national.code, direction="in",
            context={"TENTTHC": national.name[:200], "NGAYCAPNHAT": national.updated,
                     "source": "LayThuTuc"},
        )  # fmt: skip
        return "unknown", None
    digest = national_hash(item)
    with transaction.atomic():
        procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
        version = _compared_version(procedure)
        if version is None:
            return "unknown", None
        parts = differences(version, national)
        if not parts:
            return "unchanged", None
        if procedure.versions.filter(source_hash=digest).exists():
            return "pending", None
        content, children = draft_content(version, national, parts)
        draft = version_create_draft(
            actor=None, base=version, content=content, children=children, check_permission=False
        )
        described = describe(parts, national)
        note = _(
            "Cập nhật từ Cơ sở dữ liệu quốc gia về TTHC (mã %(code)s, ngày cập nhật "
            "%(updated)s). Khác phiên bản đang áp dụng (số %(number)s) ở: %(parts)s."
        ) % {
            "code": national.code, "updated": national.updated or "—",
            "number": version.number, "parts": "; ".join(described),
        }  # fmt: skip
        ProcedureVersion.objects.filter(pk=draft.pk).update(
            source_hash=digest, source_document=note
        )
        audit_record(
            actor=None, action="procedure_version.national_update", target=draft,
            after={"MATTHC": national.code, "NGAYCAPNHAT": national.updated, "base": version.pk,
                   "differences": described},
        )  # fmt: skip
    return "new_draft", draft.pk


def catalogue_pull(target: Target, since: date | datetime | str | None = None) -> dict[str, Any]:
    """Pull the procedures updated since ``since`` (all when None) and review each."""
    report: dict[str, Any] = {
        "checked": 0, "new_drafts": 0, "unchanged": 0, "unknown": 0, "pending": 0,
        "drafts": [], "errors": [],
    }  # fmt: skip
    if not breaker_allows(target):
        report["errors"].append("circuit open")
        return report
    client = TargetClient(target, credential_for(target, None, ""))
    try:
        listing = client.call("catalogue_list", {"CapNhatTu": _since(since)})
        breaker_record(target, listing.reply_class)
        if not listing.ok or not isinstance(listing.result, list):
            report["errors"].append(f"LayDanhSachTTHC {listing.reply_class} {listing.message}")
            return report
        for row in listing.result:
            code = str(row.get("MATTHC") or "") if isinstance(row, dict) else ""
            if not code:
                continue
            detail = client.call("catalogue_get", {"MaTTHC": code})
            breaker_record(target, detail.reply_class)
            if not detail.ok or not isinstance(detail.result, dict):
                report["errors"].append(f"LayThuTuc {code}: {detail.reply_class} {detail.message}")
                continue
            report["checked"] += 1
            outcome, draft = procedure_review(target, detail.result)
            key = "new_drafts" if outcome == "new_draft" else outcome
            report[key] += 1
            if draft is not None:
                report["drafts"].append(draft)
    finally:
        client.attempts_save()
    return report


def catalogue_pull_due() -> dict[str, Any] | None:
    """The nightly job: since the day of the last pull without errors (inclusive)."""
    target = active_target()
    if target is None:
        return None
    today = timezone.localdate()
    report = catalogue_pull(target, (target.options or {}).get(SINCE_OPTION) or None)
    if not report["errors"]:
        target.refresh_from_db(fields=["options"])
        target.options = {**(target.options or {}), SINCE_OPTION: today.strftime("%Y%m%d")}
        target.save(update_fields=["options"])
    return report
