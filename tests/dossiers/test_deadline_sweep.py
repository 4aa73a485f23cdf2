"""The beat sweep flags dossiers due soon / overdue by compare-and-set: a second
run flips nothing and notifies no one twice; moved deadlines lose their flags.
Steps carry no flags: their light is read from their stored instants."""

from __future__ import annotations

import pytest

from dossiers.models import Dossier, DossierStep
from dossiers.selectors_processing import light_annotation
from dossiers.services.apology import apology_issue
from dossiers.services.overdue import deadlines_sweep
from tests.dossiers.processing import at, in_processing
from tthc_portal.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _light(step_pk: int, now) -> str:
    return DossierStep.objects.annotate(light=light_annotation(now)).get(pk=step_pk).light


def _heads_messages():
    return OutboxMessage.objects.filter(dedupe_key__startswith="due-soon:")


def test_sweep_flags_once_and_notifies_once(users, workflow_procedure, clock):
    # Due Fri 07/03/2025 09:00 (4 working days from Mon 09:00).
    dossier = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    clock.set(2025, 3, 4, 9, 0)  # three working days left: nothing to do for the dossier
    report = deadlines_sweep(clock.now)
    assert (report.dossiers_due_soon, report.apologies_requested) == (0, 0)
    # The head step (due Mon 14:00) is overdue by now: read from its due instant.
    assert _light(dossier.current_step_id, clock.now) == "overdue"
    # Two working days left: the head is asked to decide on an apology while one
    # can still be issued (it needs a working day's notice).
    clock.set(2025, 3, 5, 9, 0)
    asked = deadlines_sweep(clock.now)
    assert asked.apologies_requested == 1 and asked.heads_notified >= 1
    assert asked.dossiers_due_soon == 0
    sent = _heads_messages().count()
    message = _heads_messages().first()
    assert dossier.code in message.body and "xin lỗi" in message.body
    clock.set(2025, 3, 6, 10, 0)  # 7 working hours left (< 1 working day): due soon
    first = deadlines_sweep(clock.now)
    assert first.dossiers_due_soon == 1 and first.heads_notified == 0
    second = deadlines_sweep(clock.now)
    assert second.dossiers_due_soon == 0 and second.heads_notified == 0
    assert second.apologies_requested == 0
    assert _heads_messages().count() == sent
    clock.set(2025, 3, 7, 9, 30)
    third = deadlines_sweep(clock.now)
    assert third.dossiers_overdue == 1
    assert deadlines_sweep(clock.now).dossiers_overdue == 0
    flags = Dossier.objects.values_list("due_soon", "is_overdue").get(pk=dossier.pk)
    assert flags == (True, True)
    assert _heads_messages().count() == sent


def test_a_moved_deadline_clears_its_flags(users, workflow_procedure, clock):
    dossier = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    clock.set(2025, 3, 5, 8, 0)  # 9 working hours before the deadline
    # A head sweeping a few minutes later sees it due soon…
    deadlines_sweep(at(2025, 3, 6, 9, 30))
    assert Dossier.objects.get(pk=dossier.pk).due_soon
    # …and the apology (issued in time, the day before) moves the deadline away.
    apology_issue(actor=users["lanhdao.tuphap"], dossier=dossier, reason="Chờ xác minh",
                  new_due_at=at(2025, 3, 14, 17, 0))  # fmt: skip
    clock.set(2025, 3, 6, 9, 30)
    report = deadlines_sweep(clock.now)
    assert Dossier.objects.values_list("due_soon", "is_overdue").get(pk=dossier.pk) == (
        False,
        False,
    )
    assert report.dossiers_due_soon == 0


def test_a_late_step_is_red_without_a_sweep_and_finishes_late(users, workflow_procedure, clock):
    from dossiers.services.processing import step_complete

    dossier = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    step = DossierStep.objects.get(pk=dossier.current_step_id)
    # Due Mon 14:00 (within the due-soon notice from the start): amber before,
    # red after, with no sweep in between.
    assert _light(step.pk, at(2025, 3, 3, 10, 0)) == "due_soon"
    clock.set(2025, 3, 4, 9, 0)
    assert _light(step.pk, clock.now) == "overdue"
    step_complete(actor=users["lanhdao.tuphap"], step=step)
    step.refresh_from_db()
    assert step.timeliness == "late"


def test_the_sweep_writes_no_steps(users, workflow_procedure, clock):
    """A crossing costs the sweep nothing per step (issue #16: the catch-up run
    wrote 111,000 steps at 1M dossiers)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    with CaptureQueriesContext(connection) as queries:
        deadlines_sweep(at(2025, 3, 7, 9, 30))  # dossier and steps all past due
    table = DossierStep._meta.db_table
    assert not [q["sql"] for q in queries.captured_queries if table in q["sql"]]
    assert Dossier.objects.filter(is_overdue=True).count() == 1
