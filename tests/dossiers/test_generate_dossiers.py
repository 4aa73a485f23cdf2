"""The synthetic data generator writes dossiers the app can work with: every
state of the outcome mix, open dossiers at one open step with its due time,
codes that continue the day sequences, history per transition, pauses per
supplement, due times equal to the calendar service's — and the worklists and
the deadline sweep run on them."""

from __future__ import annotations

import re
from collections import defaultdict
from io import StringIO
from itertools import pairwise

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from dossiers.models import (
    OPEN_STATUSES,
    ClockPause,
    DailySequence,
    Dossier,
    DossierComponent,
    DossierStep,
    NationalStatusMap,
    Payment,
    StatusHistory,
    SupplementRequest,
)
from dossiers.selectors_processing import worklist, worklist_summary
from dossiers.services.deadlines import compute_due, dossier_rule
from dossiers.services.overdue import deadlines_sweep
from dossiers.services.steps import step_due, timeliness_of
from integrations.models import DossierSync
from procedures.models import ProcedureVersion
from procedures.services.validation import workflow_budget_errors
from synthetic import generate
from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.models import Agency
from tthc_portal.agencies.selectors import staff_with_role
from tthc_portal.workdays.services import get_calendar

pytestmark = pytest.mark.django_db
SMALL = {"departments": 2, "communes": 3, "procedures": 40}


@pytest.fixture
def generated(holiday_calendar):
    now = timezone.now()
    result = generate(count=300, seed=7, open_share=0.1, now=now, log=lambda _line: None, **SMALL)
    return now, result


def test_every_state_of_the_mix_is_present(generated):
    statuses = set(Dossier.objects.values_list("status", flat=True))
    assert {"returned", "refused", "awaiting_completion", "rejected", "withdrawn", "submitted",
            "result_ready", "in_processing"} <= statuses  # fmt: skip
    assert Dossier.objects.filter(status__in=OPEN_STATUSES).count() >= 25  # 10% asked for
    assert Dossier.objects.count() == 300


def test_open_dossiers_stand_at_one_open_step_with_a_due_time(generated):
    for dossier in Dossier.objects.filter(status__in=OPEN_STATUSES):
        open_steps = list(dossier.steps.filter(completed_at__isnull=True))
        assert len(open_steps) == 1, dossier.pk
        step = open_steps[0]
        assert dossier.current_step_id == step.pk
        assert step.due_at is not None and step.agency_id is not None
        if step.role == Role.SPECIALIST:
            assert step.assignee_id is not None and dossier.assigned_specialist_id is not None
        paused = dossier.pauses.filter(ended_at__isnull=True).exists()
        assert paused == (dossier.status == "awaiting_supplement")
        assert (dossier.due_at is None) == paused
    closed = Dossier.objects.exclude(status__in=[*OPEN_STATUSES, "result_ready"])
    assert not DossierStep.objects.filter(dossier__in=closed, completed_at__isnull=True).exists()
    assert not closed.filter(current_step__isnull=False).exists()
    for dossier in Dossier.objects.filter(status="result_ready"):
        assert dossier.current_step.kind == "return" and dossier.current_step.completed_at is None


def test_codes_are_unique_and_continue_the_day_sequences(generated):
    call_command("generate_dossiers", count=60, seed=8, stdout=StringIO(), **SMALL)
    received = Dossier.objects.filter(received_at__isnull=False)
    assert not Dossier.objects.filter(received_at__isnull=True, code__isnull=False).exists()
    codes = list(received.values_list("code", "receiving_agency_code", "received_at"))
    assert len({c for c, _a, _r in codes}) == len(codes) == received.count()
    by_day = defaultdict(list)
    for code, agency_code, received_at in codes:
        match = re.fullmatch(r"(.+)-(\d{6})-(\d{4})", code)
        assert match and match[1] == agency_code
        assert match[2] == timezone.localtime(received_at).strftime("%y%m%d")
        by_day[(agency_code, match[2])].append(int(match[3]))
    sequences = {
        (agency_code, day.strftime("%y%m%d")): value
        for agency_code, day, value in DailySequence.objects.values_list(
            "agency__code", "day", "last_value"
        )
    }
    for key, numbers in by_day.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), key
        assert sequences[key] == len(numbers), key


def test_history_follows_every_transition(generated):
    history = defaultdict(list)
    for row in StatusHistory.objects.order_by("at", "pk").values(
        "dossier_id", "action", "from_status", "to_status"
    ):
        history[row["dossier_id"]].append(row)
    for dossier_id, status in Dossier.objects.values_list("pk", "status"):
        rows = history[dossier_id]
        assert rows, dossier_id
        assert rows[-1]["to_status"] == status, (dossier_id, rows)
        for before, after in pairwise(rows):
            assert after["from_status"] == before["to_status"], (dossier_id, rows)


def test_supplements_pause_the_clock(generated):
    paused = Dossier.objects.filter(supplement_count__gt=0)
    assert paused.exists()
    for dossier in paused:
        issued = dossier.supplement_requests.filter(
            stage="during_processing", requested_at__isnull=False
        )
        assert dossier.pauses.count() == issued.count() == dossier.supplement_count
        for request, pause in zip(issued.order_by("requested_at"),
                                  dossier.pauses.order_by("started_at"), strict=True):  # fmt: skip
            assert pause.started_at == request.requested_at
            assert pause.ended_at == request.completed_at or dossier.status == "stopped"
    assert SupplementRequest.objects.filter(stage="before_receipt").exists()
    assert ClockPause.objects.count() >= paused.count()


def test_due_times_are_the_calendar_services(generated):
    calendar = get_calendar()
    checked = 0
    received = Dossier.objects.filter(received_at__isnull=False).exclude(
        status__in=["stopped", "withdrawn"]
    )
    for dossier in received.filter(apology_issued=False).prefetch_related("pauses"):
        rule = dossier_rule(dossier)
        assert dossier.original_due_at == calendar.due_at(dossier.received_at, rule)
        assert dossier.due_at == compute_due(dossier), dossier.pk
        checked += 1
    assert checked > 200
    steps = DossierStep.objects.filter(dossier__supplement_count=0)
    for step in steps:
        assert step.due_at == step_due(step.started_at, step.budget_hours, step.counted)
        if step.completed_at and step.counted:
            assert step.timeliness == timeliness_of(step.completed_at, step.due_at)


def test_catalogue_payments_and_components(generated):
    versions = ProcedureVersion.objects.filter(procedure__code__startswith="9.")
    assert versions.count() == 40
    for version in versions:
        assert workflow_budget_errors(version) == [], version
    received = Dossier.objects.filter(received_at__isnull=False)
    assert DossierComponent.objects.filter(dossier__in=received).values("dossier").distinct(
    ).count() == received.count()  # fmt: skip
    assert Payment.objects.filter(status="paid").exists()
    assert DossierComponent.objects.filter(is_digitised=True).exists()
    assert DossierComponent.objects.filter(from_personal_store=True).exists()
    if connection.vendor == "postgresql":
        connection.check_constraints()  # the deferred foreign keys hold


def test_synced_dossiers_have_what_the_hub_acknowledged(generated):
    """Every dossier marked synced has its DossierSync row (what the 766 sync
    criteria count), with the flags its own rows imply; no other dossier has one."""
    synced = Dossier.objects.filter(sync_status="synced")
    assert synced.filter(received_at__isnull=False).count() > 200
    states = {s.dossier_id: s for s in DossierSync.objects.all()}
    assert set(states) == set(synced.values_list("pk", flat=True))
    flags = defaultdict(set)
    codes = dict(NationalStatusMap.objects.values_list("status", "national_code"))
    for dossier in synced.prefetch_related("payments", "documents", "components"):
        state = states[dossier.pk]
        assert state.created_on_hub and not state.blocked and state.claimed_until is None
        assert state.received_synced == (dossier.received_at is not None)
        paid = [p for p in dossier.payments.all() if p.status == "paid"]
        fees = [p for p in dossier.payments.all() if p.status != "cancelled"]
        assert state.fee_list_synced == any(p.amount_vnd > 0 for p in fees), dossier.pk
        online = [p.gateway_flag for p in paid if p.gateway_flag]
        assert state.payment_flag_synced == (online[0] if online else None), dossier.pk
        e_result = any(d.kind == "kq" and d.signed_at and d.file for d in dossier.documents.all())
        assert state.result_synced == e_result, dossier.pk
        store = any(c.from_personal_store for c in dossier.components.all())
        assert state.store_component_synced == store, dossier.pk
        # One acknowledged event per national status change, the last one the current one.
        assert state.last_national_status == int(codes[dossier.status]), dossier.pk
        history = list(dossier.history.order_by("at", "pk"))
        changes = [h for h in history if codes[h.to_status] and codes[h.to_status]
                   != codes.get(h.from_status)]  # fmt: skip
        assert state.last_acked_seq == len(changes) >= 1, dossier.pk
        for name in ("fee_list_synced", "result_synced", "store_component_synced"):
            flags[name].add(getattr(state, name))
        flags["payment_flag_synced"].add(state.payment_flag_synced)
    # The mix shows every kind, both ways.
    assert all(len(values) >= 2 for values in flags.values()), flags


def test_worklists_and_the_sweep_run_on_generated_data(generated):
    now, _result = generated
    # The generator leaves the flags as the sweep would at ``now``.
    report = deadlines_sweep(now)
    assert report.flipped == 0, report
    later = now + timezone.timedelta(days=3)
    deadlines_sweep(later)
    assert deadlines_sweep(later).flipped == 0
    specialist = (
        get_user_model()
        .objects.annotate(n=Count("dossier_steps", filter=Q(dossier_steps__completed_at=None)))
        .filter(n__gt=0, memberships__role=Role.SPECIALIST)
        .order_by("-n")
        .first()
    )
    rows = list(worklist(specialist, now=now)[:20])
    assert rows and all(r.assignee_id == specialist.pk for r in rows)
    busiest = (
        DossierStep.objects.filter(completed_at__isnull=True)
        .values("agency")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    agency = Agency.objects.get(pk=busiest["agency"])
    head = staff_with_role(agency, Role.DEPARTMENT_HEAD).first()
    agency_rows = list(worklist(head, scope="agency", now=now)[:100])
    summary = worklist_summary(head, scope="agency", now=now)
    assert summary.total >= len(agency_rows) > 0
