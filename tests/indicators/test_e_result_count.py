"""Issue #14: "online dossiers with an e-result" (criterion 3.3's numerator) counts a
paper-result online dossier only when the hub holds its e-result (result code + file
link; indicators-766.md §2 "Online dossier" and §8). A result file kept only locally —
the dossier still retrying or failed to sync, or the update carrying the result refused —
does not count. The engine reads ``DossierSync.result_synced``; the benchmark's
hand-written SQL must apply the same rule or the two disagree on real data (1M
database, 11/2026: engine 31,586, SQL 31,932)."""

from __future__ import annotations

import pytest

from benchmarks.indicators import _raw
from dossiers.models import Dossier, Status
from indicators import engine
from integrations.models import DossierSync
from tests.indicators.conftest import END, START, Builder, at
from tests.procedures.factories import published_procedure

pytestmark = pytest.mark.django_db
ONLINE = 3  # position of "online with e-result" in the benchmark's per-unit tuple


def _online_dossiers(build: Builder, commune) -> dict[str, Dossier]:
    """Online dossiers finished in the period: four of paper-result procedures (three
    with a local result file, one acknowledged by the hub) and one whose procedure
    needs no paper result, never synced."""

    def finished(**fields) -> Dossier:
        return build.dossier(
            channel=2, received_at=at(3, 17), due_at=at(3, 24, 17), completed_at=at(3, 20),
            returned_at=at(3, 21), status=Status.RETURNED, **fields,
        )  # fmt: skip

    electronic = published_procedure(
        implementing_agency=commune, paper_result=False, components=1, steps=1, fees=0
    ).current_version
    dossiers = {
        "synced": finished(e_result=True),
        # Never reached the hub (sync retrying or failed): no DossierSync row at all.
        "not_synced": finished(e_result=True, synced=False),
        # Header acknowledged, the update carrying the result refused.
        "result_refused": finished(e_result=True),
        "paper_only": finished(),
        # No paper result: online counts whatever the sync state of a result.
        "electronic": finished(procedure_version=electronic, synced=False),
    }
    DossierSync.objects.filter(dossier=dossiers["result_refused"]).update(result_synced=False)
    return dossiers


def _engine_3_3(commune) -> tuple[int, int]:
    got = engine.compute(START, END, [commune.pk])
    r33 = next(r for r in got if r.code == "3.3" and r.agency_id == commune.pk)
    return int(r33.numerator), int(r33.denominator)


def test_engine_counts_only_e_results_the_hub_acknowledged(build, commune):
    _online_dossiers(build, commune)
    assert _engine_3_3(commune) == (2, 5)


@pytest.mark.postgres
def test_benchmark_sql_counts_what_the_engine_counts(require_postgres, build, commune):
    _online_dossiers(build, commune)
    raw = _raw(START, END)
    assert raw[commune.pk][0] == 5  # received
    assert raw[commune.pk][ONLINE] == 2 == _engine_3_3(commune)[0]
