"""The dossier lifecycle on the kernel engine (issue #16 item 1).

``dossier_transition`` runs ``DOSSIER_LIFECYCLE``: the table is the one the
pages read (``TRANSITIONS``), the engine refuses the actor and the status with
the service's own errors, and cancelling open fees is a named effect of exactly
the transitions that close a dossier without a result, run after the
transition's own history and audit.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from dossiers.models import CLOSED_WITHOUT_RESULT, Payment, PaymentStatus, Status, StatusHistory
from dossiers.services import DossierError
from dossiers.services.lifecycle import dossier_transition
from dossiers.workflow import (
    DOSSIER_LIFECYCLE,
    TRANSITIONS,
    DossierChange,
    actions_for,
    actions_from,
)
from tests.dossiers.processing import in_processing
from tests.dossiers.test_payments import CITIZEN, OTHER_CITIZEN, submitted
from tthc_portal.audit.models import AuditEvent


@dataclass
class _Record:
    """A stand-in row: the engine reads and sets only ``status``."""

    status: str


def _change(action: str) -> DossierChange:
    return DossierChange(actor=None, action=action, at=timezone.now())


# --- the table as engine data (no database) ----------------------------------------------


def test_the_lifecycle_runs_the_table_the_pages_read() -> None:
    assert DOSSIER_LIFECYCLE.table is TRANSITIONS
    assert DOSSIER_LIFECYCLE.name == "dossier"


@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_every_row_goes_through_the_engine(action: str) -> None:
    transition = TRANSITIONS[action]
    for source in sorted(transition.sources):
        for actor in sorted(transition.actors):
            record, change = _Record(source), _change(action)
            outcome = DOSSIER_LIFECYCLE.run(action, record, change, capabilities={actor})
            assert outcome.before == source
            assert record.status == outcome.after == (transition.target or source)
            # Nothing that writes other rows runs before the service saved the dossier.
            assert len(change.after_save) == len(transition.effects)


def test_cancel_open_fees_is_named_on_exactly_the_closing_transitions() -> None:
    closing = {a for a, t in TRANSITIONS.items() if t.target in CLOSED_WITHOUT_RESULT}
    named = {a for a, t in TRANSITIONS.items() if "cancel_open_fees" in t.effects}
    assert named == closing == {"refuse", "reject", "withdraw", "stop"}
    # None starts from a closed status: entering one is always a change (the
    # service used to test "before not in CLOSED_WITHOUT_RESULT").
    assert all(not TRANSITIONS[a].sources & set(CLOSED_WITHOUT_RESULT) for a in closing)


@pytest.mark.parametrize("status", list(Status.values))
def test_actions_from_and_for_follow_the_table(status: str) -> None:
    expected = [a for a, t in TRANSITIONS.items() if status in t.sources]
    assert actions_from(status) == expected
    assert actions_for(_Record(status)) == expected
    assert actions_for(_Record(status), {"applicant"}) == [
        a for a in expected if "applicant" in TRANSITIONS[a].actors
    ]


# --- through the service -----------------------------------------------------------------


@pytest.mark.django_db
def test_refused_actor_is_permission_denied_and_changes_nothing(users, online_procedure):
    dossier = submitted(users, online_procedure)
    with pytest.raises(PermissionDenied):
        dossier_transition(actor=users[OTHER_CITIZEN], dossier=dossier, action="withdraw")
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED
    assert Payment.objects.get(dossier=dossier).status == PaymentStatus.REQUESTED
    assert not StatusHistory.objects.filter(dossier=dossier, action="withdraw").exists()


@pytest.mark.django_db
def test_wrong_status_is_a_dossier_error_with_the_status(users, workflow_procedure, clock):
    dossier = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    with pytest.raises(DossierError) as refused:
        dossier_transition(actor=users["motcua.tuphap"], dossier=dossier, action="transfer")
    assert refused.value.message == (
        "Không thể “Chuyển xử lý”: hồ sơ đang ở trạng thái “Đang xử lý”."
    )


@pytest.mark.django_db
def test_unknown_action_is_refused_before_the_row_is_locked(users, online_procedure):
    dossier = submitted(users, online_procedure)
    with pytest.raises(KeyError):
        dossier_transition(actor=users[CITIZEN], dossier=dossier, action="teleport")


@pytest.mark.django_db
def test_closing_cancels_open_fees_after_the_transition_is_recorded(users, online_procedure):
    dossier = submitted(users, online_procedure)
    dossier = dossier_transition(actor=users[CITIZEN], dossier=dossier, action="withdraw")
    assert dossier.status == Status.WITHDRAWN
    assert Payment.objects.get(dossier=dossier).status == PaymentStatus.CANCELLED
    events = AuditEvent.objects.filter(target_id=str(dossier.pk)).order_by("pk")
    actions = [e.action for e in events if e.action in ("dossier.withdraw", "payment.cancelled")]
    assert actions == ["dossier.withdraw", "payment.cancelled"]
    cancelled = events.get(action="payment.cancelled")
    assert cancelled.after["because"] == "withdraw"
    assert cancelled.actor_id == users[CITIZEN].pk


@pytest.mark.django_db
def test_a_transition_that_does_not_close_leaves_the_fee_open(users, online_procedure):
    dossier = submitted(users, online_procedure)
    dossier_transition(actor=users["motcua.tuphap"], dossier=dossier, action="receive")
    assert Payment.objects.get(dossier=dossier).status == PaymentStatus.REQUESTED
