"""A past period's Decision 766 figures are identical before and after a disposal run
(the worked example of indicators-766.md §10: online, desk and postal dossiers with
components, e-results, pushed results, payments, supplements, a withdrawal, a dislike),
even when the results' own period has passed and their files are destroyed too."""

from __future__ import annotations

from datetime import date

import pytest

from dossiers.models import Dossier
from indicators import engine
from records.models import DisposedDossier, ListStatus, RetentionRule
from records.services import disposal_lists_propose, disposal_transition
from tests.indicators.conftest import END, START, worked_example  # noqa: F401 (fixture)
from tests.records.conftest import LATER, store_files

pytestmark = pytest.mark.django_db

PERIODS = [
    (START, END),
    (date(2025, 3, 1), date(2025, 3, 31)),
    (date(2025, 4, 1), date(2025, 4, 30)),
]


def figures(agency_id: int) -> list[tuple]:
    rows = []
    for since, until in PERIODS:
        for r in engine.compute(since, until, [agency_id]):
            rows.append((since, r.agency_id, r.code, r.numerator, r.denominator, r.ratio,
                         r.score, r.observable, r.source))  # fmt: skip
    return sorted(rows, key=repr)


def test_766_identical_before_and_after_disposal(
    worked_example,  # noqa: F811
    commune,
    procedures,
    officer,
    head,
    django_capture_on_commit_callbacks,
) -> None:
    for version in procedures.values():
        RetentionRule.objects.create(
            procedure_version=version, valid_from=date(2020, 1, 1), dossier_years=5, result_years=5
        )
    for dossier in worked_example.values():
        store_files(dossier)
    before = figures(commune.pk)
    [disposal_list] = disposal_lists_propose(LATER)
    disposal_transition(disposal_list, "review", actor=officer, council_minutes="Đồng ý")
    with django_capture_on_commit_callbacks(execute=True):
        disposal_transition(disposal_list, "approve", actor=head, decision_number="1/QĐ")
    disposal_list.refresh_from_db()
    assert disposal_list.status == ListStatus.DESTROYED
    disposed = set(DisposedDossier.objects.values_list("dossier_id", flat=True))
    closed = {d.pk for d in worked_example.values() if d.status in ("returned", "withdrawn")}
    assert disposed == closed and len(disposed) >= 7
    assert not Dossier.objects.filter(pk__in=disposed).exclude(applicant_name="").exists()
    assert figures(commune.pk) == before
