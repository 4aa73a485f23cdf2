"""Criterion 4.2 counts a dossier as digitised when any component file is attached,
whatever the channel (indicators-766.md §3.5; issue 14, item 4).

Before: only components flagged "digitised" at the desk counted, so an online
dossier whose files the citizen uploaded never did."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dossiers.models import SourceForm, Status
from indicators import engine
from tests.indicators.conftest import END, START, at

pytestmark = pytest.mark.django_db


def _42(commune):
    row = next(
        r for r in engine.compute(START, END, [commune.pk]) if r.code == "4.2" and r.agency_id
    )
    return row.numerator, row.denominator


def _returned(build, **kwargs):
    received = at(3, 20)
    return build.dossier(
        received_at=received,
        due_at=received + timedelta(days=5),
        completed_at=received + timedelta(days=2),
        status=Status.RETURNED,
        **{"e_result": True, **kwargs},
    )


def test_uploaded_online_files_count(commune, build) -> None:
    _returned(build, channel=3, components=[{"source_form": SourceForm.UPLOAD}])
    assert _42(commune) == (1, 1)


def test_files_from_a_data_store_count(commune, build) -> None:
    _returned(
        build,
        channel=3,
        components=[{"source_form": SourceForm.PERSONAL_STORE, "from_personal_store": True}],
    )
    assert _42(commune) == (1, 1)


def test_desk_scans_still_count_and_no_file_does_not(commune, build) -> None:
    _returned(build, channel=1, components=[{"source_form": SourceForm.SCAN, "is_digitised": True}])
    _returned(build, channel=1, components=[])
    assert _42(commune) == (1, 2)


def test_a_paper_result_still_needs_its_e_result(commune, build) -> None:
    _returned(build, channel=3, components=[{"source_form": SourceForm.UPLOAD}], e_result=False)
    assert _42(commune)[0] == 0
