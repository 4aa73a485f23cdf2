"""Decree 309/2026 Art. 18(2) at the desk: a dossier received in person is
transferred the same working day, or at the start of the next working day
when received after the cut-off (15:00 by default, configurable). The desk
step's stored due instant is what the worklist light and the sweep read.

Expected instants come from the official calendar installed by migrate
(holidays, swapped days off and make-up Saturdays of 2026)."""

from __future__ import annotations

from datetime import date

import pytest

from dossiers.models import Channel, Dossier, DossierStep
from dossiers.selectors_processing import worklist
from dossiers.services.overdue import deadlines_sweep
from dossiers.services.processing import dossier_transfer
from dossiers.services.reception import dossier_receive
from dossiers.services.steps import steps_recompute
from dossiers.services.submission import component_attach, dossier_create_draft
from tests.dossiers.files import make_pdf, upload
from tests.dossiers.processing import at, received
from tthc_portal.accounts.roles import Role
from tthc_portal.workdays.services import calendar_exception_save, get_calendar

pytestmark = pytest.mark.django_db
DESK = "motcua.tuphap"


def received_in_person(users, procedure, clock, *when) -> Dossier:
    """An applicant comes to the counter: the officer enters, digitises and receives."""
    officer = users[DESK]
    dossier = dossier_create_draft(actor=officer, procedure=procedure, channel=Channel.IN_PERSON)
    Dossier.objects.filter(pk=dossier.pk).update(
        applicant_name="Trần Thị Bình", applicant_id_number="001190000123"
    )
    for requirement in procedure.current_version.components.filter(required=True):
        component_attach(
            actor=officer, dossier=dossier, requirement_id=requirement.pk,
            upload=upload(f"{requirement.order}.pdf", make_pdf()),
        )  # fmt: skip
    clock.set(*when)
    dossier = dossier_receive(actor=officer, dossier=Dossier.objects.get(pk=dossier.pk))
    assert dossier.channel == Channel.IN_PERSON
    return dossier


def desk_step(dossier: Dossier) -> DossierStep:
    step = DossierStep.objects.get(pk=dossier.current_step_id)
    assert step.role == Role.DESK_OFFICER and step.completed_at is None
    return step


def test_received_before_the_cutoff_is_due_at_the_close_of_that_day(
    users, workflow_procedure, clock
):
    dossier = received_in_person(users, workflow_procedure, clock, 2026, 4, 16, 14, 0)
    # The workflow's half day (4 working hours) would have given 17:00 too only
    # by chance at 13:00; at 14:00 it gives the next morning.
    assert desk_step(dossier).due_at == at(2026, 4, 16, 17, 0)


def test_received_exactly_at_the_cutoff_is_still_the_same_day(users, workflow_procedure, clock):
    dossier = received_in_person(users, workflow_procedure, clock, 2026, 4, 16, 15, 0)
    assert desk_step(dossier).due_at == at(2026, 4, 16, 17, 0)


@pytest.mark.parametrize(
    ("when", "due", "skipped"),
    [
        # Thursday after 15:00 → Friday's opening.
        ((2026, 4, 16, 15, 30), (2026, 4, 17, 8, 0), []),
        # Friday → over the weekend to Monday.
        ((2026, 4, 17, 15, 30), (2026, 4, 20, 8, 0), ["weekend", "weekend"]),
        # 30/04 and 01/05 are holidays, then the weekend.
        ((2026, 4, 29, 15, 30), (2026, 5, 4, 8, 0), ["holiday", "holiday", "weekend", "weekend"]),
        # Sunday 26/04 is Giỗ Tổ Hùng Vương, its day off is Monday 27/04.
        ((2026, 4, 24, 15, 30), (2026, 4, 28, 8, 0), ["weekend", "holiday", "day_off"]),
        # National Day break 29/08–02/09/2026 (31/08 swapped, 01–02/09 holidays).
        (
            (2026, 8, 28, 15, 30),
            (2026, 9, 3, 8, 0),
            ["weekend", "weekend", "day_off", "holiday", "holiday"],
        ),
        # Saturday 22/08/2026 is a make-up working day.
        ((2026, 8, 21, 15, 30), (2026, 8, 22, 8, 0), []),
        # Received after hours, still a working day after the cut-off.
        ((2026, 4, 16, 17, 45), (2026, 4, 17, 8, 0), []),
    ],
)
def test_received_after_the_cutoff_is_due_at_the_next_working_day_start(
    users, workflow_procedure, clock, when, due, skipped
):
    dossier = received_in_person(users, workflow_procedure, clock, *when)
    step = desk_step(dossier)
    assert step.due_at == at(*due)
    # The skipped days are the official calendar's, not a hard-coded list.
    calendar = get_calendar()
    assert [reason for _day, reason in calendar.skipped_days(at(*when), at(*due))] == skipped


def test_the_cutoff_is_a_setting(users, workflow_procedure, clock, settings):
    settings.TTHC = {**settings.TTHC, "DESK_TRANSFER_CUTOFF": "16:00"}
    dossier = received_in_person(users, workflow_procedure, clock, 2026, 4, 16, 15, 30)
    assert desk_step(dossier).due_at == at(2026, 4, 16, 17, 0)


def test_online_dossiers_keep_the_workflow_budget_unless_configured(
    users, workflow_procedure, clock, settings
):
    # The decree speaks of dossiers received in person; online is a setting.
    online = received(users, workflow_procedure, clock, 2026, 4, 16, 15, 30)
    assert online.channel == Channel.ONLINE
    assert desk_step(online).due_at == at(2026, 4, 17, 10, 30)  # 15:30 + 4 working hours

    settings.TTHC = {**settings.TTHC, "DESK_TRANSFER_CHANNELS": ["in_person", "online"]}
    configured = received(users, workflow_procedure, clock, 2026, 4, 16, 15, 30)
    assert desk_step(configured).due_at == at(2026, 4, 17, 8, 0)


def test_a_recompute_keeps_the_same_day_rule(users, workflow_procedure, clock):
    # Recomputing from the stored inputs (apology, calendar edit) must not fall
    # back to start + budget for the desk step.
    dossier = received_in_person(users, workflow_procedure, clock, 2026, 4, 29, 15, 30)
    assert steps_recompute(Dossier.objects.get(pk=dossier.pk)) == 0
    assert desk_step(dossier).due_at == at(2026, 5, 4, 8, 0)


def test_a_new_day_off_moves_the_desk_step_by_the_same_rule(
    users, workflow_procedure, clock, django_capture_on_commit_callbacks
):
    dossier = received_in_person(users, workflow_procedure, clock, 2026, 4, 17, 15, 30)
    assert desk_step(dossier).due_at == at(2026, 4, 20, 8, 0)
    with django_capture_on_commit_callbacks(execute=True):
        calendar_exception_save(
            actor=users["quantri"], day=date(2026, 4, 20), kind="day_off", name="Nghỉ đột xuất"
        )
    # The opening of the next working day on the edited calendar (not start + budget).
    assert desk_step(dossier).due_at == at(2026, 4, 21, 8, 0)


def test_a_desk_step_past_its_due_instant_is_red(users, workflow_procedure, clock):
    dossier = received_in_person(users, workflow_procedure, clock, 2026, 4, 17, 15, 30)
    step = desk_step(dossier)
    officer = users[DESK]

    before = at(2026, 4, 17, 16, 30)
    deadlines_sweep(before)
    assert worklist(officer, now=before).get(pk=step.pk).light != "overdue"

    # Monday 08:30: the dossier should have left the desk at 08:00.
    late = at(2026, 4, 20, 8, 30)
    deadlines_sweep(late)
    assert worklist(officer, now=late).get(pk=step.pk).light == "overdue"
    # The dossier itself (4 working days) is not late.
    assert not Dossier.objects.get(pk=dossier.pk).is_overdue

    # Transferred late: the control sheet records it.
    clock.set(2026, 4, 20, 9, 0)
    dossier_transfer(actor=officer, dossier=dossier)
    step.refresh_from_db()
    assert step.timeliness == "late"
