"""The worklists at /xu-ly/: my steps, my unit's queue, steps waiting for
assignment; traffic lights with words, filters, search, page sizes and a
query count that does not grow with the page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dossiers.models import Dossier, DossierStep, Status
from dossiers.services.decisions import supplement_draft, supplement_issue
from tests.dossiers.casework import (
    CITIZEN,
    DESK,
    HEAD,
    SPECIALIST,
    assigned,
    local,
    transferred,
    workflow_procedure_fixture,  # noqa: F401 (the workflow_procedure fixture)
)
from tests.dossiers.conftest import HEALTH, JUSTICE
from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.models import Agency
from tthc_portal.agencies.services import membership_grant

pytestmark = pytest.mark.django_db
WORKLIST = reverse("processing:worklist")
ROW = re.compile(r'<tr data-step="(\d+)" data-dossier="(\d+)" class="row-(\w+)"')


def rows(response) -> list[tuple[int, str]]:
    """(dossier id, light) per row, in page order."""
    return [(int(d), light) for _s, d, light in ROW.findall(response.content.decode())]


def dossiers_listed(response) -> list[int]:
    return [pk for pk, _light in rows(response)]


def set_step_due(dossier: Dossier, due) -> DossierStep:
    step = dossier.steps.get(completed_at__isnull=True)
    DossierStep.objects.filter(pk=step.pk).update(due_at=due)
    return step


def paused(users, procedure) -> Dossier:
    dossier = assigned(users, procedure)
    requirement = procedure.current_version.components.first()
    request = supplement_draft(
        actor=users[SPECIALIST], dossier=dossier,
        items=[{"requirement": requirement.pk, "name": requirement.name, "reason": "Ảnh mờ"}],
    )  # fmt: skip
    supplement_issue(actor=users[HEAD], request=request)
    dossier.refresh_from_db()
    assert dossier.status == Status.AWAITING_SUPPLEMENT
    return dossier


def test_tabs_lights_and_labels(client, users, workflow_procedure):
    now = timezone.now()
    late = assigned(users, workflow_procedure, name="Người nộp trễ")
    soon = assigned(users, workflow_procedure)
    fine = assigned(users, workflow_procedure)
    waiting = paused(users, workflow_procedure)
    unassigned = transferred(users, workflow_procedure)
    set_step_due(late, now - timedelta(hours=2))
    set_step_due(soon, now + timedelta(minutes=90))
    set_step_due(fine, now + timedelta(days=5))

    client.force_login(users[SPECIALIST])
    mine = client.get(WORKLIST)
    assert mine.status_code == 200
    assert rows(mine) == [
        (late.pk, "overdue"),
        (soon.pk, "due_soon"),
        (fine.pk, "in_time"),
        (waiting.pk, "paused"),
    ]
    page = mine.content.decode()
    # Colour and words: every light carries its label.
    for label in ("Quá hạn", "Sắp đến hạn", "Trong hạn", "Tạm dừng"):
        assert f">{label}</span>" in page
    assert timezone.localtime(now - timedelta(hours=2)).strftime("%H:%M %d/%m/%Y") in page
    assert local(late.due_at) in page  # the dossier's own appointment
    assert "Người nộp trễ" in page and reverse("processing:dossier", args=[late.pk]) in page
    summary = mine.context["summary"]
    assert (summary.total, summary.overdue, summary.due_soon, summary.paused) == (4, 1, 1, 1)
    assert re.search(r'data-count="overdue">1<', page)
    # A specialist has no assignment tab; asking for it shows their own work.
    assert 'data-scope="cho-phan-cong"' not in page
    assert dossiers_listed(client.get(WORKLIST, {"pham_vi": "cho-phan-cong"})) == [
        late.pk, soon.pk, fine.pk, waiting.pk
    ]  # fmt: skip

    client.force_login(users[HEAD])
    to_assign = client.get(WORKLIST, {"pham_vi": "cho-phan-cong"})
    assert dossiers_listed(to_assign) == [unassigned.pk]
    assert "Chưa phân công" in to_assign.content.decode()
    queue = client.get(WORKLIST, {"pham_vi": "don-vi"})
    assert set(dossiers_listed(queue)) == {late.pk, soon.pk, fine.pk, waiting.pk, unassigned.pk}
    assert 'aria-current="page" data-scope="don-vi"' in queue.content.decode()


def test_bucket_filters_and_search(client, users, workflow_procedure):
    now = timezone.now()
    late = assigned(users, workflow_procedure)
    soon = assigned(users, workflow_procedure)
    fine = assigned(users, workflow_procedure)
    waiting = paused(users, workflow_procedure)
    set_step_due(late, now - timedelta(hours=1))
    set_step_due(soon, now + timedelta(hours=1))
    set_step_due(fine, now + timedelta(days=5))
    client.force_login(users[SPECIALIST])

    assert dossiers_listed(client.get(WORKLIST, {"muc": "qua-han"})) == [late.pk]
    assert dossiers_listed(client.get(WORKLIST, {"muc": "sap-den-han"})) == [soon.pk]
    assert dossiers_listed(client.get(WORKLIST, {"muc": "trong-han"})) == [fine.pk]
    assert dossiers_listed(client.get(WORKLIST, {"muc": "tam-dung"})) == [waiting.pk]
    # An unknown value is ignored, not an error.
    assert len(dossiers_listed(client.get(WORKLIST, {"muc": "xyz", "so_dong": "7"}))) == 4

    assert dossiers_listed(client.get(WORKLIST, {"q": fine.code})) == [fine.pk]
    assert len(dossiers_listed(client.get(WORKLIST, {"q": "giam dinh vien"}))) == 4
    assert dossiers_listed(client.get(WORKLIST, {"q": "khai sinh"})) == []


def test_agency_filter_lists_only_the_users_agencies(client, users, workflow_procedure):
    here = assigned(users, workflow_procedure)
    health = Agency.objects.get(code=HEALTH)
    there = assigned(users, workflow_procedure)
    DossierStep.objects.filter(dossier=there, completed_at__isnull=True).update(agency=health)
    head = users[HEAD]
    client.force_login(head)
    page = client.get(WORKLIST, {"pham_vi": "don-vi"})
    assert dossiers_listed(page) == [here.pk]  # the health unit's queue is not theirs
    assert 'name="co_quan"' not in page.content.decode()  # one unit: no filter shown

    membership_grant(actor=None, user=head, agency=health, role=Role.DEPARTMENT_HEAD)
    both = client.get(WORKLIST, {"pham_vi": "don-vi"})
    assert set(dossiers_listed(both)) == {here.pk, there.pk}
    options = both.content.decode()
    assert 'name="co_quan"' in options and f'value="{health.pk}"' in options
    justice = Agency.objects.get(code=JUSTICE)
    only = client.get(WORKLIST, {"pham_vi": "don-vi", "co_quan": health.pk})
    assert dossiers_listed(only) == [there.pk]
    assert dossiers_listed(client.get(WORKLIST, {"pham_vi": "don-vi", "co_quan": justice.pk})) == [
        here.pk
    ]
    other = Agency.objects.exclude(pk__in=[health.pk, justice.pk]).first()
    # Someone else's unit is not a valid choice: the filter is dropped, nothing leaks.
    dropped = client.get(WORKLIST, {"pham_vi": "don-vi", "co_quan": other.pk})
    assert set(dossiers_listed(dropped)) == {here.pk, there.pk}


def test_page_sizes_and_fixed_query_count(client, users, workflow_procedure):
    template = assigned(users, workflow_procedure)
    step = template.steps.get(completed_at__isnull=True)

    def add(count: int) -> None:
        now = timezone.now()
        created = Dossier.objects.bulk_create(
            Dossier(
                procedure_version=template.procedure_version, channel=template.channel,
                status=Status.IN_PROCESSING, applicant=template.applicant,
                applicant_name=f"Người nộp {i}", applicant_id_number=CITIZEN,
                receiving_agency=template.receiving_agency,
                processing_agency=template.processing_agency, received_at=now,
                due_at=now + timedelta(days=i % 40 - 5),
            )
            for i in range(count)
        )  # fmt: skip
        DossierStep.objects.bulk_create(
            DossierStep(
                dossier=dossier, workflow_step=step.workflow_step, order=step.order,
                name=step.name, role=step.role, agency=step.agency, assignee=users[SPECIALIST],
                started_at=now, due_at=now + timedelta(hours=i * 7 - 50),
            )
            for i, dossier in enumerate(created)
        )  # fmt: skip

    add(2)
    client.force_login(users[SPECIALIST])
    client.get(WORKLIST)  # warm the calendar and the session
    with CaptureQueriesContext(connection) as few:
        response = client.get(WORKLIST)
    assert len(rows(response)) == 3

    add(57)
    with CaptureQueriesContext(connection) as many:
        response = client.get(WORKLIST, {"so_dong": "100"})
    assert len(rows(response)) == 60
    assert len(many.captured_queries) == len(few.captured_queries)

    assert len(rows(client.get(WORKLIST))) == 25  # the default page size
    fifty = client.get(WORKLIST, {"so_dong": "50", "trang": "2"})
    assert len(rows(fifty)) == 10
    assert "so_dong=50" in fifty.content.decode()  # the pager keeps the page size
    # Soonest step due first, on every page.
    first = client.get(WORKLIST, {"so_dong": "25"})
    dues = list(first.context["page"].object_list.values_list("due_at", flat=True))
    assert dues == sorted(dues)


def test_pager_counts_come_from_the_badges_unless_filtered(client, users, workflow_procedure):
    """The queue is counted once (the badges' aggregate); the pager's "of N"
    still matches what a filter shows."""
    on_time = assigned(users, workflow_procedure)
    late = assigned(users, workflow_procedure)
    set_step_due(late, timezone.now() - timedelta(hours=2))
    paused(users, workflow_procedure)
    client.force_login(users[SPECIALIST])
    client.get(WORKLIST)

    def counted(params: dict) -> tuple[int, int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(WORKLIST, params)
        # The header's unread-notifications badge is its own COUNT: not the queue's.
        counts = sum(
            "COUNT(" in q["sql"].upper() and "notifications_staffnotice" not in q["sql"]
            for q in queries.captured_queries
        )
        return response.context["page"].paginator.count, len(rows(response)), counts

    everything, listed, counts = counted({})
    assert everything == listed == 3 and counts == 1  # the badges only
    assert counted({"muc": "qua-han"})[:2] == (1, 1)
    assert counted({"muc": "qua-han"})[2] == 1
    assert counted({"muc": "tam-dung"})[:2] == (1, 1)
    # A filter the badges do not cover is counted on its own, and correctly.
    searched, listed, counts = counted({"q": on_time.code})
    assert searched == listed == 1 and counts == 2


def test_who_may_open_the_worklist(client, users, workflow_procedure):
    client.force_login(users[CITIZEN])
    assert client.get(WORKLIST).status_code == 403
    client.force_login(users[DESK])
    desk = client.get(WORKLIST)
    assert desk.status_code == 200
    client.logout()
    assert client.get(WORKLIST).status_code == 302  # to the login page


def test_nav_shows_the_worklist_to_specialists_and_heads(client, users, workflow_procedure):
    for username, expected in ((SPECIALIST, True), (HEAD, True), (DESK, False)):
        client.force_login(users[username])
        page = client.get(reverse("web:dashboard")).content.decode()
        assert (f'href="{WORKLIST}"' in page) is expected, username
    client.force_login(users[DESK])
    page = client.get(reverse("web:dashboard")).content.decode()
    assert f'href="{reverse("dossiers:desk_returns")}"' in page
