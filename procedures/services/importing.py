"""Import and export the catalogue in the shape of procedures-sample.json.

Importing never edits a published version: new content for a known
procedure becomes a new draft version for the owner to review; identical
content (same source hash) is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from tthc_portal.agencies.models import Agency
from tthc_portal.agencies.selectors import province_root
from tthc_portal.audit.services import audit_record
from tthc_portal.text import fold

from ..models import Procedure, ProcedureVersion, VersionStatus
from .exporting import catalogue_export_rows, rows_to_csv, version_to_row
from .importing_rows import (
    CHANGE_TYPES,
    CODE_RE,
    COPY_KINDS,
    CSV_COLUMNS,
    DATE_RE,
    DECISION_RE,
    LEVELS,
    LIST_SEPARATOR,
    PROVENANCE_KEYS,
    TRUTHY,
    _field_for,
    csv_to_rows,
    row_hash,
    row_to_content,
    split_code,
)
from .versions import _refresh_derived, version_create_draft, versions_activate

# Row mapping lives in importing_rows and export in exporting; their names stay
# importable from here, where the callers have always found them (publication
# also takes the private ``_field_for``).
__all__ = [
    "CHANGE_TYPES",
    "CODE_RE",
    "COPY_KINDS",
    "CSV_COLUMNS",
    "DATE_RE",
    "DECISION_RE",
    "LEVELS",
    "LIST_SEPARATOR",
    "PROVENANCE_KEYS",
    "TRUTHY",
    "VERSION_ONLY",
    "ImportReport",
    "_field_for",
    "catalogue_export_rows",
    "csv_to_rows",
    "procedures_import",
    "row_hash",
    "row_to_content",
    "rows_to_csv",
    "split_code",
    "version_to_row",
]


@dataclass
class ImportReport:
    created: int = 0
    drafted: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "drafted": self.drafted,
            "unchanged": self.unchanged,
            "errors": self.errors,
        }


VERSION_ONLY = ("change_type", "source_document", "decision_date", "decision_number")


@transaction.atomic
def procedures_import(
    rows: list[dict[str, Any]], *, actor, publish_new: bool = False, today: date | None = None
) -> ImportReport:
    """Import rows; ``publish_new`` publishes brand-new procedures (seeding a catalogue)."""
    report = ImportReport()
    agencies = list(Agency.objects.filter(is_active=True))
    today = today or timezone.localdate()
    for index, row in enumerate(rows, start=1):
        try:
            with transaction.atomic():
                _import_row(row, actor, agencies, publish_new, today, report)
        except (KeyError, ValueError, TypeError) as exc:
            report.errors.append(f"Dòng {index} ({row.get('code') or row.get('name', '?')}): {exc}")
    anchor = province_root()
    if anchor is not None:  # the import is recorded against the province
        audit_record(actor=actor, action="procedures.import", target=anchor, after=report.as_dict())
    return report


def _find_procedure(code: str | None, name: str) -> Procedure | None:
    if code:
        return Procedure.objects.filter(code=code).first()
    # Province-specific procedures may have no code: match on the exact name.
    version = (
        ProcedureVersion.objects.filter(procedure__code__isnull=True, name_folded=fold(name))
        .select_related("procedure")
        .first()
    )
    return version.procedure if version else None


def _import_row(row, actor, agencies, publish_new, today, report) -> None:
    code, suffix = split_code(row.get("code"))
    digest = row_hash(row)
    content, children = row_to_content(row, agencies)
    extra = {k: content.pop(k) for k in VERSION_ONLY}
    procedure = _find_procedure(code, content["name"])
    if procedure is not None:
        # This exact source content was imported before (later versions may
        # come from the publication workflow): nothing to do.
        if procedure.versions.filter(source_hash=digest).exists():
            report.unchanged += 1
            return
        version = version_create_draft(
            actor=actor,
            procedure=procedure,
            content=content,
            children=children,
            check_permission=False,
        )
        ProcedureVersion.objects.filter(pk=version.pk).update(source_hash=digest, **extra)
        report.drafted += 1
        return
    procedure = Procedure.objects.create(code=code, code_suffix=suffix)
    version = version_create_draft(
        actor=actor, procedure=procedure, content=content, children=children, check_permission=False
    )
    valid_from = extra["decision_date"] or today
    fields = {"source_hash": digest, **extra}
    if publish_new:
        fields.update(
            status=VersionStatus.PUBLISHED, valid_from=valid_from, published_at=timezone.now()
        )
    ProcedureVersion.objects.filter(pk=version.pk).update(**fields)
    version.refresh_from_db()
    _refresh_derived(version)
    if publish_new:
        versions_activate(today=max(today, valid_from), procedure_ids=[procedure.pk])
    report.created += 1
