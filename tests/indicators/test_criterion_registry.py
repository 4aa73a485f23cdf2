"""The 766 criteria have one registry (issue 16, item 4): ``indicators.criteria``.

No other module of the code base writes a criterion code as a string literal;
the engine's dossier criteria, the drill-down's item kinds and the default rule
set all agree with the registry."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

from indicators.criteria import DOSSIER, SPECS, Code
from indicators.defaults import CRITERIA

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = (
    "tthc_portal", "procedures", "dossiers", "feedback", "integrations", "indicators",
    "queueing", "receipts", "records", "portal_site", "synthetic", "benchmarks",
)  # fmt: skip
REGISTRY = ROOT / "indicators" / "criteria.py"
# Apps the layers forbid to import ``indicators``; each names what it computes for it.
BELOW_INDICATORS = {
    # The PAKN report's 5.2 / 5.3 values (feedback sits below indicators).
    "feedback/selectors.py": {"5.2", "5.3"},
    # The official 1.4 figure fetched from the national hub (a sibling layer).
    "integrations/selectors.py": {"1.4"},
}
CODES = {str(code) for code in Code}
ALTERNATIVES = "|".join(re.escape(c) for c in CODES)
QUOTED = re.compile(r"""(["'])(""" + ALTERNATIVES + r""")\1""")


def code_literals(source: str) -> set[str]:
    """Criterion codes written as whole string literals (docstrings and prose aside)."""
    found = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.STRING:
            body = token.string.lstrip("rRbBuU")
            quote = body[0]
            if body[:3] in ('"""', "'''"):
                continue
            if body.endswith(quote) and body[1:-1] in CODES:
                found.add(body[1:-1])
    return found


def test_the_scan_sees_a_literal_and_ignores_prose() -> None:
    assert code_literals('scorer.add("2.1", n, d)\n') == {"2.1"}
    assert code_literals('"""Criterion 2.1 and "2.1" in a docstring."""\nx = "2.10"\n') == set()


def _python_files():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts and path != REGISTRY:
                yield path


def test_no_criterion_code_literal_outside_the_registry() -> None:
    offenders = {}
    for path in _python_files():
        relative = path.relative_to(ROOT).as_posix()
        found = code_literals(path.read_text(encoding="utf-8"))
        found -= BELOW_INDICATORS.get(relative, set())
        if found:
            offenders[relative] = sorted(found)
    for path in sorted((ROOT / "templates").rglob("*.html")):
        found = {m.group(2) for m in QUOTED.finditer(path.read_text(encoding="utf-8"))}
        if found:
            offenders[path.relative_to(ROOT).as_posix()] = sorted(found)
    assert offenders == {}


def test_the_default_rule_set_has_exactly_the_registry() -> None:
    assert [row[1] for row in CRITERIA] == list(SPECS)


@pytest.mark.django_db
def test_the_engine_lists_dossiers_for_exactly_the_dossier_criteria() -> None:
    from django.utils import timezone

    from feedback.selectors import period_bounds
    from indicators.engine.rows import dossier_criteria
    from indicators.models import IndexRuleSet

    today = timezone.localdate()
    since, until = period_bounds(today.replace(day=1), today)
    engine_codes = set(dossier_criteria(since, until, IndexRuleSet.in_force(today)))
    assert engine_codes == {code for code, spec in SPECS.items() if spec.items == DOSSIER}
