"""Default publication deadline rules (editable rows; provinces change them).

Used by the data migration and by ``ensure_defaults`` (seed_demo, tests that
flush the database).
"""

from __future__ import annotations

import datetime

DEADLINE_RULES = [
    ("list", "ministry_decision", 4, "Hưng Yên: công văn Sở VHTTDL (5/2024), 1030/UBND-PVHCC&KSTT"),
    ("workflow", "ministry_decision", 7, "Hưng Yên: công văn Sở VHTTDL (5/2024)"),
    ("decision", "legal_basis_effective", -5, "Quyết định 766/QĐ-TTg, chỉ số 1.1"),
    ("posting", "chairman_decision", 5, "Quyết định 766/QĐ-TTg, chỉ số 1.2"),
    ("lock", "chairman_decision", 5, "Quảng Trị: Quyết định 2715/QĐ-UBND"),
]
VALID_FROM = datetime.date(2020, 1, 1)


def ensure_defaults(rule_model=None) -> None:
    if rule_model is None:
        from .models import PublicationDeadlineRule as rule_model
    for key, anchor, offset, source in DEADLINE_RULES:
        rule_model.objects.get_or_create(
            key=key,
            valid_from=VALID_FROM,
            defaults={"anchor": anchor, "offset_working_days": offset, "source": source},
        )
