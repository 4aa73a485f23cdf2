"""Issue #15 item 2: a step's traffic light never shows greener than its
dossier. A dossier past its appointment makes its step red in the worklist,
in the badge counter and in the "overdue" filter, even when the step's own
budget still runs; one coming due makes it amber."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers.models import Dossier, DossierStep
from tests.dossiers.casework import (
    SPECIALIST,
    assigned,
    workflow_procedure_fixture,  # noqa: F401 (the workflow_procedure fixture)
)

pytestmark = pytest.mark.django_db
WORKLIST = reverse("processing:worklist")
ROW = re.compile(r'<tr data-step="(\d+)" data-dossier="(\d+)" class="row-(\w+)"')


def lights(response) -> dict[int, str]:
    return {int(d): light for _s, d, light in ROW.findall(response.content.decode())}


def with_dues(dossier: Dossier, *, dossier_due, step_due) -> Dossier:
    """The dossier's appointment and its open step's own due time, as stored."""
    Dossier.objects.filter(pk=dossier.pk).update(due_at=dossier_due)
    DossierStep.objects.filter(dossier=dossier, completed_at__isnull=True).update(
        due_at=step_due, dossier_due_at=dossier_due
    )
    return dossier


def test_an_overdue_dossier_makes_its_step_red_and_counts(client, users, workflow_procedure):
    now = timezone.now()
    late = with_dues(
        assigned(users, workflow_procedure),
        dossier_due=now - timedelta(days=7),  # due last week
        step_due=now + timedelta(days=5),  # the step's own budget still runs
    )
    soon = with_dues(
        assigned(users, workflow_procedure),
        dossier_due=now + timedelta(minutes=90),
        step_due=now + timedelta(days=5),
    )
    fine = with_dues(
        assigned(users, workflow_procedure),
        dossier_due=now + timedelta(days=10),
        step_due=now + timedelta(days=5),
    )

    client.force_login(users[SPECIALIST])
    response = client.get(WORKLIST)
    assert response.status_code == 200
    assert lights(response) == {late.pk: "overdue", soon.pk: "due_soon", fine.pk: "in_time"}
    summary = response.context["summary"]
    assert (summary.total, summary.overdue, summary.due_soon) == (3, 1, 1)
    page = response.content.decode()
    assert re.search(r'data-count="overdue">1<', page)
    assert 'data-light="overdue">Quá hạn</span>' in page

    overdue_only = client.get(WORKLIST, {"muc": "qua-han"})
    assert lights(overdue_only) == {late.pk: "overdue"}
    in_time_only = client.get(WORKLIST, {"muc": "trong-han"})
    assert lights(in_time_only) == {fine.pk: "in_time"}


def test_the_dossier_light_does_not_count_once_the_dossier_is_closed(
    client, users, workflow_procedure
):
    """The return step of a dossier with its result waits on the desk: the
    result is out, so the old appointment no longer colours it."""
    now = timezone.now()
    dossier = with_dues(
        assigned(users, workflow_procedure),
        dossier_due=now - timedelta(days=7),
        step_due=now + timedelta(days=5),
    )
    Dossier.objects.filter(pk=dossier.pk).update(status="result_ready", completed_at=now)
    # What the approval stores: a completed dossier's steps carry no copy of its due.
    DossierStep.objects.filter(dossier=dossier).update(dossier_due_at=None)
    client.force_login(users[SPECIALIST])
    assert lights(client.get(WORKLIST)) == {dossier.pk: "in_time"}
