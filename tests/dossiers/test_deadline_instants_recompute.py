"""A changed notice setting is applied to the open deadlines by recomputing
their stored instants (never by shifting them), and the next sweep reads every
open row (``manage.py deadline_instants_recompute``)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from dossiers.models import Dossier, DossierStep, SweepMark
from dossiers.services.deadlines import working_hours_before
from dossiers.services.overdue import MARK, deadlines_sweep
from tests.dossiers.processing import at, in_processing
from tthc_portal.workdays.services import get_calendar

pytestmark = pytest.mark.django_db


def test_a_longer_notice_is_stored_and_swept_at_once(users, workflow_procedure, clock, settings):
    # Due Fri 07/03/2025 09:00; at Wed 10:00 it is not due soon under 8 hours' notice.
    dossier = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    clock.set(2025, 3, 5, 10, 0)
    deadlines_sweep(clock.now)
    assert SweepMark.objects.filter(name=MARK).exists()
    assert not Dossier.objects.get(pk=dossier.pk).due_soon

    settings.TTHC = {**settings.TTHC, "DUE_SOON_WORKING_HOURS": 24}
    call_command("deadline_instants_recompute", stdout=StringIO())

    dossier.refresh_from_db()
    calendar = get_calendar()
    assert dossier.due_at == at(2025, 3, 7, 9, 0)  # the deadline itself does not move
    assert dossier.due_soon_at == working_hours_before(dossier.due_at, 24, calendar)
    step = DossierStep.objects.get(pk=dossier.current_step_id)
    assert step.due_soon_at == working_hours_before(step.due_at, 24, calendar)
    # The new instant is already past: the next sweep reads every open row.
    assert not SweepMark.objects.filter(name=MARK).exists()
    assert deadlines_sweep(clock.now).dossiers_due_soon == 1


def test_a_shorter_notice_lowers_flags_it_no_longer_supports(
    users, workflow_procedure, clock, settings
):
    dossier = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    clock.set(2025, 3, 6, 10, 0)  # 7 working hours before the deadline: due soon
    assert deadlines_sweep(clock.now).dossiers_due_soon == 1

    settings.TTHC = {**settings.TTHC, "DUE_SOON_WORKING_HOURS": 4}
    call_command("deadline_instants_recompute", stdout=StringIO())

    dossier.refresh_from_db()
    assert not dossier.due_soon and not dossier.is_overdue
    assert deadlines_sweep(clock.now).dossiers_due_soon == 0
    clock.set(2025, 3, 6, 14, 0)  # 4 working hours before (lunch 12:00–13:00)
    assert deadlines_sweep(clock.now).dossiers_due_soon == 1
