"""``indicators`` reads the feedback app through its public names only (issue 16,
item 4): the 5.2 lateness rule it shares is ``feedback.selectors.pakn_late_q``,
not a private helper that feedback may change without notice."""

from __future__ import annotations

import ast
from pathlib import Path

INDICATORS = Path(__file__).resolve().parents[2] / "indicators"


def _private_feedback_imports(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "feedback":
            found += [f"{node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
    return found


def test_the_check_sees_a_private_import() -> None:
    assert _private_feedback_imports("from feedback.selectors import _flag, period_bounds") == [
        "feedback.selectors._flag"
    ]


def test_indicators_imports_no_private_name_of_feedback() -> None:
    offenders = {
        str(path.relative_to(INDICATORS.parent)): names
        for path in sorted(INDICATORS.rglob("*.py"))
        if (names := _private_feedback_imports(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}
