"""Abandoned counter entries are found and resumed: the desk page lists the
officer's own unfinished drafts (one query, whatever their number), each
linking to where the entry stopped; another officer's drafts and finished
entries are not listed."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dossiers.models import Dossier
from dossiers.selectors_desk import counter_drafts
from dossiers.services.submission import dossier_create_draft
from tests.factories import make_staff
from tthc_portal.accounts.roles import Role

pytestmark = pytest.mark.django_db
QUEUE = reverse("dossiers:desk_queue")
START = reverse("dossiers:counter_start")
APPLICANT = {
    "applicant_name": "Trần Thị Bình",
    "applicant_id_number": "001190000123",
    "applicant_phone": "0987654321",
    "applicant_email": "binh@example.vn",
    "applicant_address": "Số 5 phố Hiến, phường Phố Hiến",
    "representative_name": "",
    "representative_id_number": "",
    "representative_phone": "",
    "representative_authorisation": "",
    "result_delivery": "desk",
}


def start(client, procedure, agency) -> Dossier:
    client.post(START, {"procedure": procedure.pk, "agency": agency.pk, "channel": "1"})
    return Dossier.objects.latest("pk")


def test_the_officers_own_drafts_are_listed_and_resumed(client, users, online_procedure):
    officer = users["motcua.tuphap"]
    agency = online_procedure.current_version.implementing_agency
    colleague = make_staff(Role.DESK_OFFICER, agency)
    client.force_login(officer)
    untouched = start(client, online_procedure, agency)
    named = start(client, online_procedure, agency)
    client.post(
        reverse("dossiers:counter_applicant", args=[named.pk]),
        APPLICANT,
    )
    named.refresh_from_db()
    assert named.applicant_name == "Trần Thị Bình"
    theirs = dossier_create_draft(
        actor=colleague, procedure=online_procedure, channel=1, receiving_agency=agency
    )

    page = client.get(QUEUE).content.decode()
    assert 'data-testid="my-drafts"' in page
    # Where each entry stopped: the applicant's details, or the check of papers.
    assert reverse("dossiers:counter_applicant", args=[untouched.pk]) in page
    assert reverse("dossiers:desk_check", args=[named.pk]) in page
    assert f'data-draft="{theirs.pk}"' not in page
    assert f'data-draft="{untouched.pk}"' in page and f'data-draft="{named.pk}"' in page

    # Resuming the entry continues where it stopped.
    resumed = client.get(reverse("dossiers:desk_check", args=[named.pk]))
    assert resumed.status_code == 200 and "Trần Thị Bình" in resumed.content.decode()

    client.force_login(colleague)
    assert [d.pk for d in counter_drafts(colleague)] == [theirs.pk]


def test_finished_entries_leave_the_list_and_it_is_one_query(client, users, online_procedure):
    officer = users["motcua.tuphap"]
    agency = online_procedure.current_version.implementing_agency
    client.force_login(officer)
    drafts = [start(client, online_procedure, agency) for _ in range(3)]
    Dossier.objects.filter(pk=drafts[0].pk).update(status="submitted")
    with CaptureQueriesContext(connection) as queries:
        listed = counter_drafts(officer)
        names = [d.procedure_version.name for d in listed]  # no query per row
    assert {d.pk for d in listed} == {drafts[1].pk, drafts[2].pk} and len(names) == 2
    # the agencies in scope, the content type (cached after the first), the list
    assert len(queries) <= 3


def test_no_drafts_no_section(client, users):
    client.force_login(users["motcua.tuphap"])
    assert 'data-testid="my-drafts"' not in client.get(QUEUE).content.decode()
