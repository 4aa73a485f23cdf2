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


# Decision 1085/QĐ-TTg targets as dated rows (publication.md §8); the locality's own
# dates are unconfirmed, so each province edits or adds its row.
SIMPLIFICATION_TARGETS = [
    {
        "name": "Quyết định 1085/QĐ-TTg: rà soát, đơn giản hóa TTHC nội bộ (bộ, ngành)",
        "inventory_due": datetime.date(2023, 4, 1),
        "completion_due": datetime.date(2025, 1, 1),
        "valid_from": datetime.date(2022, 9, 15),
        "source": "Quyết định 1085/QĐ-TTg ngày 15/9/2022",
    },
    {
        "name": "Hưng Yên: đơn giản hóa TTHC nội bộ năm 2024",
        "inventory_due": datetime.date(2024, 6, 5),
        # "completed before 05/10/2024": the last day that counts is the 4th.
        "completion_due": datetime.date(2024, 10, 4),
        "valid_from": datetime.date(2024, 5, 1),
        "source": "Công văn Sở VHTTDL Hưng Yên (5/2024); 100/TCTCCTTHC ngày 14/11/2023",
    },
]


def ensure_simplification_targets(target_model=None) -> None:
    if target_model is None:
        from .models import SimplificationTarget as target_model
    for row in SIMPLIFICATION_TARGETS:
        target_model.objects.get_or_create(
            name=row["name"], valid_from=row["valid_from"], defaults=row
        )


def ensure_defaults(rule_model=None) -> None:
    # Called without a model by seed_demo and flushed test databases: the 1085
    # targets come with the deadline rules there (the migrations seed each apart).
    seed_targets = rule_model is None
    if rule_model is None:
        from .models import PublicationDeadlineRule as rule_model
    for key, anchor, offset, source in DEADLINE_RULES:
        rule_model.objects.get_or_create(
            key=key,
            valid_from=VALID_FROM,
            defaults={"anchor": anchor, "offset_working_days": offset, "source": source},
        )
    if seed_targets:
        ensure_simplification_targets()
