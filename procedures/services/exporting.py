"""Export the catalogue in the shape of procedures-sample.json, or as CSV.

The row shape is the importer's, so export → import round-trips.
"""

from __future__ import annotations

from typing import Any

from tthc_portal.tabular import csv_write

from ..models import Level, OnlineLevel, Procedure, ProcedureVersion
from .importing_rows import CSV_COLUMNS, LIST_SEPARATOR


def version_to_row(version: ProcedureVersion) -> dict[str, Any]:
    """A version in the sample file's shape (so export → import round-trips)."""
    unit = version.time_unit
    processing_time = None
    if version.time_limit is not None or unit in ("same_day", "immediate"):
        processing_time = {
            "value": float(version.time_limit or 0),
            "unit": unit,
            "text": version.time_text,
        }
        if version.cutoff_time:
            processing_time["cutoff_time"] = version.cutoff_time.strftime("%H:%M")
        if version.time_stages:
            processing_time["stages"] = version.time_stages
        if version.time_outcomes:
            processing_time["outcome_dependent"] = version.time_outcomes
    fees = list(version.fees.all())
    fee = None
    if len(fees) == 1:
        fee = {"amount_vnd": fees[0].amount_vnd, "note": fees[0].note, "unit": fees[0].unit}
        if fees[0].online_amount_vnd is not None:
            fee["online_amount_vnd"] = fees[0].online_amount_vnd
    elif fees:
        fee = {
            "amount_vnd": None,
            "note": fees[0].note,
            "unit": fees[0].unit,
            "tiers": [
                {
                    "case": f.name,
                    "in_person_or_postal_vnd": f.amount_vnd,
                    "online_vnd": f.online_amount_vnd,
                }
                for f in fees
            ],
        }
    level_text = {
        Level.PROVINCE: "tỉnh",
        Level.COMMUNE: "xã",
        Level.PROVINCE_AND_COMMUNE: "tỉnh, xã",
        Level.DISTRICT: "huyện",
    }
    return {
        "code": version.procedure.localised_code or None,
        "name": version.name,
        "field": version.field.name,
        "level": level_text.get(version.level, "tỉnh"),
        "implementing_agency": version.implementing_agency_text
        or (version.implementing_agency.name if version.implementing_agency_id else ""),
        "processing_time": processing_time,
        "fee": fee,
        "online_level": version.online_level if version.online_level != OnlineLevel.NONE else None,
        "channels": [{"postal": "public_postal"}.get(c, c) for c in version.channels],
        "legal_basis": [lb.title for lb in version.legal_bases.all()],
        "dossier_components": [
            {"name": c.name, "original_or_copy": c.copy_kind, "count": c.count}
            for c in version.components.all()
        ]
        or None,
        "result": version.result_text or None,
        "boundary_free": version.boundary_free,
        "is_internal": version.is_internal,
        "publication_type": version.change_type,
        "internal_workflow": [
            {
                "step": s.order,
                "actor": s.actor_text,
                "work": s.name,
                "budget_working_days": float(
                    s.budget if s.budget_unit == "working_days" else s.budget / 8
                ),
                **({} if s.counted else {"note": "Không tính thời gian"}),
            }
            for s in version.steps.all()
        ],
        "source_document": version.source_document,
    }


def catalogue_export_rows() -> list[dict[str, Any]]:
    versions = (
        ProcedureVersion.objects.filter(pk__in=Procedure.objects.values("current_version"))
        .select_related("procedure", "field", "implementing_agency")
        .prefetch_related("fees", "legal_bases", "components", "steps")
        .order_by("procedure__code", "name")
    )
    return [version_to_row(v) for v in versions]


def rows_to_csv(rows: list[dict[str, Any]]) -> str:
    """CSV text without a byte-order mark (the download and the command add one);
    the importer reads it back."""
    lines = ([cells[column] for column in CSV_COLUMNS] for cells in map(_csv_cells, rows))
    return csv_write(lines, CSV_COLUMNS, bom=False)


def _csv_cells(row: dict[str, Any]) -> dict[str, Any]:
    pt, fee = row.get("processing_time") or {}, row.get("fee") or {}
    return {
        "code": row.get("code") or "",
        "name": row["name"],
        "field": row.get("field") or "",
        "level": row.get("level") or "",
        "implementing_agency": row.get("implementing_agency") or "",
        "time_value": pt.get("value", ""),
        "time_unit": pt.get("unit", ""),
        "cutoff_time": pt.get("cutoff_time", ""),
        "fee_vnd": fee.get("amount_vnd") if fee.get("amount_vnd") is not None else "",
        "online_fee_vnd": fee.get("online_amount_vnd", ""),
        "online_level": row.get("online_level") or "",
        "channels": LIST_SEPARATOR.join(row.get("channels") or []),
        "legal_basis": LIST_SEPARATOR.join(row.get("legal_basis") or []),
        "components": LIST_SEPARATOR.join(c["name"] for c in row.get("dossier_components") or []),
        "result": row.get("result") or "",
        "boundary_free": "true" if row.get("boundary_free") else "",
        "publication_type": row.get("publication_type") or "",
        "source_document": row.get("source_document") or "",
    }
