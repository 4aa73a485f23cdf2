"""The monthly proposal takes only closed dossiers past retention (counted from the
return or closing date), never one under a legal hold or a complaint, and is
idempotent for a month."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from dossiers.models import Status
from feedback.models import Feedback
from feedback.models import Status as PaknStatus
from records.models import DisposalItem, LegalHold, RetentionRule
from records.services import disposal_item_remove, disposal_lists_propose, legal_hold_place
from tests.records.conftest import LATER, at, returned

pytestmark = pytest.mark.django_db


def proposed_ids() -> set[int]:
    return set(DisposalItem.objects.filter(removed=False).values_list("dossier_id", flat=True))


def test_only_closed_dossiers_past_retention(build) -> None:
    old = returned(build)
    open_one = returned(build, status=Status.IN_PROCESSING, returned_at=None, completed_at=None)
    ready = returned(build, status=Status.RESULT_READY, returned_at=None)
    # Returned on 23/03/2025: ten years end on 23/03/2035.
    assert disposal_lists_propose(date(2035, 3, 23)) == []
    lists = disposal_lists_propose(date(2035, 3, 24))
    assert len(lists) == 1 and lists[0].agency_id == old.receiving_agency_id
    assert proposed_ids() == {old.pk}
    assert open_one.pk not in proposed_ids() and ready.pk not in proposed_ids()


def test_retention_counts_from_the_closing_date_and_the_version_rule(build) -> None:
    returned_late = returned(build, returned_at=at(3, 20) + timedelta(days=400))
    refused = returned(build, status=Status.WITHDRAWN, returned_at=None, completed_at=None)
    refused.history.create(action="withdraw", to_status=Status.WITHDRAWN, at=at(3, 22))
    assert proposed_ids() == set()
    disposal_lists_propose(date(2035, 4, 1))
    # Returned in April 2026: not yet; withdrawn in March 2025: yes.
    assert proposed_ids() == {refused.pk}
    version = returned_late.procedure_version
    RetentionRule.objects.create(procedure_version=version, valid_from=date(2020, 1, 1),
                                 dossier_years=20)  # fmt: skip
    other = returned(build, fee=True)
    disposal_lists_propose(LATER)
    assert other.pk in proposed_ids()
    assert returned_late.pk not in proposed_ids()  # its version keeps dossiers 20 years


def test_a_held_dossier_is_never_proposed(build, officer) -> None:
    held = returned(build)
    free = returned(build)
    hold = legal_hold_place(dossier=held, actor=officer, reason="Thanh tra")
    disposal_lists_propose(LATER)
    assert proposed_ids() == {free.pk}
    LegalHold.objects.filter(pk=hold.pk).update(lifted_at=timezone.now())
    disposal_lists_propose(LATER)
    assert proposed_ids() == {free.pk, held.pk}


def test_a_dossier_under_complaint_is_never_proposed(build, commune) -> None:
    by_row = returned(build)
    by_code = returned(build)
    answered = returned(build)
    now = timezone.now()
    deadlines = ("clock_start", "refuse_due", "supplement_due", "forward_due",
                 "handle_base_due", "handle_due")  # fmt: skip
    common = {
        "receiving_agency": commune,
        "agency": commune,
        "title": "Phản ánh",
        "content": "Chậm trả",
        "received_at": now,
        "channel": "portal",
        "submitter_name": "B",
        "submitter_address": "Xã A",
        "submitter_phone": "0900000000",
        **{f"{name}_at": now for name in deadlines},
    }
    Feedback.objects.create(code="PA1", dossier=by_row, status=PaknStatus.IN_HANDLING, **common)
    Feedback.objects.create(code="PA2", dossier_code=by_code.code, **common)
    Feedback.objects.create(code="PA3", dossier=answered, status=PaknStatus.PUBLISHED, **common)
    disposal_lists_propose(LATER)
    assert proposed_ids() == {answered.pk}


def test_rerun_is_idempotent_and_removed_items_wait(build, officer) -> None:
    first = returned(build)
    second = returned(build)
    [disposal_list] = disposal_lists_propose(LATER)
    disposal_lists_propose(LATER)
    assert disposal_list.items.count() == 2
    item = disposal_list.items.get(dossier=second)
    disposal_item_remove(item, actor=officer, reason="Còn tranh chấp đất đai")
    disposal_lists_propose(LATER)
    assert proposed_ids() == {first.pk}
    # Next month: the removed dossier is not proposed again (12 months by default).
    disposal_lists_propose(LATER.replace(month=2))
    assert proposed_ids() == {first.pk}
