"""The sweep's reading window: a routine run reads only the deadlines crossed
since the previous run; the first run of a day, a run after a gap and a run
whose clock went back read every open row."""

from __future__ import annotations

import pytest

from dossiers.models import Dossier, DossierStep, SweepMark
from dossiers.services.overdue import deadlines_sweep
from tests.dossiers.processing import at, in_processing

pytestmark = pytest.mark.django_db


def test_routine_runs_read_the_window_and_full_runs_read_everything(
    users, workflow_procedure, clock
):
    # Due Fri 07/03/2025 09:00 (4 working days from Mon 09:00).
    dossier = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    first = deadlines_sweep(at(2025, 3, 7, 8, 0))
    assert first.full and first.dossiers_overdue == 0
    mark = SweepMark.objects.get()
    assert mark.swept_until == at(2025, 3, 7, 8, 0) and mark.full

    # Ten minutes past the deadline, a routine run sees it cross.
    crossed = deadlines_sweep(at(2025, 3, 7, 9, 10))
    assert not crossed.full and crossed.dossiers_overdue == 1
    assert SweepMark.objects.get().report["dossiers_overdue"] == 1

    assert deadlines_sweep(at(2025, 3, 7, 10, 20)).flipped == 0
    # A flag dropped by hand (as a service does when it recomputes a deadline)
    # on a deadline long past: routine runs no longer read that far back…
    Dossier.objects.filter(pk=dossier.pk).update(is_overdue=False)
    DossierStep.objects.filter(dossier=dossier).update(is_overdue=False)
    later = deadlines_sweep(at(2025, 3, 7, 10, 30))  # reads from 09:20
    assert not later.full and later.dossiers_overdue == 0
    # …and the first run of the next working day reads every open row again.
    next_day = deadlines_sweep(at(2025, 3, 10, 0, 5))
    assert next_day.full and next_day.dossiers_overdue == 1
    assert Dossier.objects.get(pk=dossier.pk).is_overdue


def test_a_gap_or_a_clock_going_back_means_a_full_run(users, workflow_procedure, clock):
    in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    assert deadlines_sweep(at(2025, 3, 4, 9, 0)).full
    assert not deadlines_sweep(at(2025, 3, 4, 9, 10)).full
    assert deadlines_sweep(at(2025, 3, 4, 11, 30)).full  # more than two hours later
    assert deadlines_sweep(at(2025, 3, 4, 10, 0)).full  # earlier than the last run
