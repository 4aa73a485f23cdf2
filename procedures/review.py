"""The head's review of a draft: its whole content against the version in force.

Pure reads. ``review_base`` loads the version the draft would replace with every
related row in a fixed number of queries; ``version_diff`` compares two loaded
versions in memory, so the review page costs the same whatever the row counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tthc_portal.text import fold

from .models import ApplicantType, ProcedureVersion

# States of a field or row. Each is shown by a text label and <ins>/<del>, not colour.
SAME, CHANGED, ADDED, REMOVED = "same", "changed", "added", "removed"
STATE_LABELS = {
    SAME: gettext_lazy("Không đổi"),
    CHANGED: gettext_lazy("Sửa đổi"),
    ADDED: gettext_lazy("Thêm mới"),
    REMOVED: gettext_lazy("Bỏ"),
}

# Scalar content, in the order of the published record (publication.md §4).
CONTENT = [
    "name", "field", "level", "implementing_agency", "implementing_agency_text",
    "deciding_authority", "coordinating_agencies", "applicant_types", "steps_text",
    "channel_in_person", "channel_online", "channel_postal", "channels_text", "online_level",
    "full_online_eligible", "time_kind", "time_limit", "time_unit", "deadline_mode",
    "cutoff_time", "time_text", "supplement_clock_rule", "payment_stage", "result_text",
    "paper_result", "conditions", "boundary_free", "is_internal", "internal_scope",
    "is_province_specific", "territorial_scope",
]  # fmt: skip


@dataclass(frozen=True)
class Section:
    """A child list of the version and how its rows are matched across versions."""

    relation: str
    title: Any
    columns: list[str]
    key: Callable[[models.Model], Any]


SECTIONS = [
    Section(
        "components",
        gettext_lazy("Thành phần hồ sơ"),
        ["order", "name", "copy_kind", "count", "required", "must_digitise", "data_source"],
        lambda row: fold(row.name).strip(),
    ),
    Section(
        "fees",
        gettext_lazy("Phí, lệ phí"),
        ["kind", "name", "amount_vnd", "online_amount_vnd", "unit", "note"],
        lambda row: (row.kind, fold(row.name).strip()),
    ),
    Section(
        "legal_bases",
        gettext_lazy("Căn cứ pháp lý"),
        ["title", "effective_date"],
        lambda row: fold(row.title).strip(),
    ),
    # Steps are matched by their work, not their number: inserting a step renumbers
    # the rest, which is a change of order, not of content.
    Section(
        "steps",
        gettext_lazy("Quy trình nội bộ"),
        ["order", "name", "actor_role", "actor_text", "unit", "budget", "budget_unit", "counted"],
        lambda row: fold(row.name).strip(),
    ),
]


@dataclass
class Cell:
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass
class FieldRow:
    label: str
    cell: Cell
    state: str

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])


@dataclass
class RowDiff:
    state: str
    cells: list[Cell]

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])


@dataclass
class SectionDiff:
    relation: str
    title: str
    headers: list[str]
    rows: list[RowDiff]
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class VersionDiff:
    base: ProcedureVersion | None
    fields: list[FieldRow]
    sections: list[SectionDiff]

    @property
    def changes(self) -> int:
        return sum(f.state != SAME for f in self.fields) + sum(
            r.state != SAME for s in self.sections for r in s.rows
        )


def review_base(version: ProcedureVersion) -> ProcedureVersion | None:
    """The version in force the draft is compared with (or the one it replaces)."""
    procedure = version.procedure
    base_id = procedure.current_version_id
    if base_id is None or base_id == version.pk:
        base_id = version.replaces_id
    if base_id is None or base_id == version.pk:
        return None
    return review_queryset().filter(pk=base_id).first()


def review_queryset():
    """Versions with everything the review shows, in a fixed number of queries."""
    return ProcedureVersion.objects.select_related(
        "procedure", "field", "implementing_agency"
    ).prefetch_related("components", "fees", "legal_bases", "steps__unit", "coordinating_agencies")


def _display(instance: models.Model | None, name: str) -> str:
    """A value as an official reads it: choice labels, Có/Không, dd/mm/yyyy, names."""
    if instance is None:
        return ""
    model_field = instance._meta.get_field(name)
    if model_field.many_to_many:
        return "; ".join(sorted(str(obj) for obj in getattr(instance, name).all()))
    value = getattr(instance, name)
    if name == "applicant_types":
        labels = dict(ApplicantType.choices)
        return ", ".join(str(labels.get(v, v)) for v in value or [])
    if value is None or value == "":
        return ""
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, Decimal):
        return f"{value.normalize():f}".replace(".", ",")
    if isinstance(value, int) and name.endswith("_vnd"):
        return f"{value:,}".replace(",", ".")
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, time):
        return f"{value:%H:%M}"
    return str(value)


def _state(before: ProcedureVersion | None, cells: Iterable[Cell]) -> str:
    return SAME if before is None or not any(c.changed for c in cells) else CHANGED


def _section_diff(section: Section, base, draft) -> SectionDiff:
    model = getattr(draft, section.relation).model
    headers = [str(model._meta.get_field(c).verbose_name) for c in section.columns]
    pool: dict[Any, list] = defaultdict(list)
    old_rows = list(getattr(base, section.relation).all()) if base is not None else []
    for row in old_rows:
        pool[section.key(row)].append(row)
    rows = []
    for new in getattr(draft, section.relation).all():
        candidates = pool.get(section.key(new))
        old = candidates.pop(0) if candidates else None
        cells = [Cell(_display(old, c), _display(new, c)) for c in section.columns]
        if base is None:
            cells = [Cell(cell.after, cell.after) for cell in cells]
            state = SAME
        else:
            state = ADDED if old is None else _state(old, cells)
        rows.append(RowDiff(state, cells))
    for leftovers in pool.values():
        for old in leftovers:
            rows.append(RowDiff(REMOVED, [Cell(_display(old, c), "") for c in section.columns]))
    counts = {state: sum(r.state == state for r in rows) for state in STATE_LABELS}
    return SectionDiff(section.relation, str(section.title), headers, rows, counts)


def version_diff(draft: ProcedureVersion, base: ProcedureVersion | None) -> VersionDiff:
    """Every part of ``draft`` with what differs from ``base`` (None: a new procedure)."""
    fields = []
    for name in CONTENT:
        label = str(ProcedureVersion._meta.get_field(name).verbose_name)
        after = _display(draft, name)
        before = _display(base, name) if base is not None else after
        cell = Cell(before, after)
        if base is None or not cell.changed:
            state = SAME
        elif not before:
            state = ADDED
        elif not after:
            state = REMOVED
        else:
            state = CHANGED
        fields.append(FieldRow(label[:1].upper() + label[1:], cell, state))
    sections = [_section_diff(section, base, draft) for section in SECTIONS]
    return VersionDiff(base, fields, sections)
