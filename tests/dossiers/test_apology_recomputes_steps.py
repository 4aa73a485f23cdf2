"""Issue #15 item 2: an apology that moves the appointment computes the open
steps again, so the worklist follows the new date instead of the old one."""

from __future__ import annotations

import pytest

from dossiers.models import DossierStep
from dossiers.selectors_processing import worklist
from dossiers.services.apology import apology_issue
from dossiers.services.overdue import deadlines_sweep
from procedures.models import WorkflowStep
from tests.dossiers.processing import at, in_processing

pytestmark = pytest.mark.django_db
HEAD = "lanhdao.tuphap"


@pytest.fixture
def single_step_dossier(users, workflow_procedure, clock):
    """A version without an internal workflow: one step holds the dossier's
    whole time. 4 working days from Mon 03/03/2025 09:00 → Fri 07/03 09:00."""
    WorkflowStep.objects.filter(version=workflow_procedure.current_version).delete()
    dossier = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    step = dossier.steps.get(completed_at__isnull=True)
    assert step.due_at == dossier.due_at == at(2025, 3, 7, 9, 0)
    return dossier


def test_the_open_step_follows_the_new_appointment(users, single_step_dossier, clock):
    dossier = single_step_dossier
    # Thursday 09:00, one working day before: the step is due soon, and the
    # head may still apologise.
    clock.set(2025, 3, 6, 9, 0)
    deadlines_sweep()
    step = dossier.steps.get(completed_at__isnull=True)
    assert worklist(users[HEAD], scope="agency", now=clock.now).get(pk=step.pk).light == (
        "due_soon"
    )
    apology_issue(
        actor=users[HEAD], dossier=dossier, reason="Cần xác minh thêm.",
        new_due_at=at(2025, 3, 12, 17, 0),
    )  # fmt: skip
    step = DossierStep.objects.get(pk=step.pk)
    assert step.due_at == at(2025, 3, 12, 17, 0)
    assert worklist(users[HEAD], scope="agency", now=clock.now).get(pk=step.pk).light == ("in_time")

    # Friday 10:00, past the old appointment: the step is in time, not red.
    clock.set(2025, 3, 7, 10, 0)
    rows = list(worklist(users[HEAD], scope="agency", now=clock.now))
    assert [(row.pk, row.light) for row in rows] == [(step.pk, "in_time")]
