"""Every PAKN deadline on the real 2023–2026 civil-servant calendar.

Default rules (feedback.md, Deadlines): refuse ≤ 2 WD, first supplement
request ≤ 5 WD, forward out-of-scope ≤ 5 WD, handled ≤ 15 WD from the
submission or the latest transfer, published ≤ 2 WD from approval; counted
in working hours (8 per day) from the next office opening.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from feedback.models import Category, PaknDeadlineRule, PaknPolicy, Status
from feedback.services import pakn
from tests.feedback.conftest import JUSTICE, at, submit_pakn

pytestmark = pytest.mark.django_db


def test_tet_2025_every_deadline_from_receipt(tinh):
    # Fri 24/01/2025 10:00; civil servants off 25/01–02/02 (Tết Ất Tỵ).
    item = submit_pakn(at(2025, 1, 24, 10))
    assert item.refuse_due_at == at(2025, 2, 4, 10)  # 6 h Fri + 8 h Mon 03/02 + 2 h
    assert item.supplement_due_at == at(2025, 2, 7, 10)
    assert item.forward_due_at == at(2025, 2, 7, 10)
    assert item.handle_due_at == at(2025, 2, 21, 10)  # a Tết-blind count gives 14/02
    assert item.handle_base_due_at == item.handle_due_at
    # Not classified yet: measured against the refusal deadline.
    assert (item.next_due_kind, item.next_due_at) == ("refuse", at(2025, 2, 4, 10))
    assert item.due_soon_from == at(2025, 2, 3, 10)  # one working day before, across Tết


def test_tet_2026_starts_at_the_next_opening(tinh):
    # Fri 13/02/2026 15:30, then 14–22/02 off (Tết Bính Ngọ).
    item = submit_pakn(at(2026, 2, 13, 15, 30))
    assert item.refuse_due_at == at(2026, 2, 24, 15, 30)
    # Submitted on a Saturday evening: the clock starts Monday 08:00.
    weekend = submit_pakn(at(2025, 3, 8, 21))
    assert weekend.refuse_due_at == at(2025, 3, 11, 17)


def test_publication_deadline_across_the_30_april_swap(tinh, users):
    office, head = users["vanphong"], users["lanhdao.tuphap"]
    item = submit_pakn(at(2025, 4, 21, 9))
    pakn.feedback_classify(actor=office, item=item, category=Category.REGULATION_IN_SCOPE)
    pakn.feedback_forward(actor=office, item=item, agency=tinh[JUSTICE], at=at(2025, 4, 22, 9))
    pakn.feedback_answer(
        actor=head, item=item, answer="Đã bỏ yêu cầu nộp sổ hộ khẩu.", at=at(2025, 4, 28, 9)
    )
    item = pakn.feedback_approve_publication(actor=office, item=item, at=at(2025, 4, 29, 15))
    # 2 h on Tue 29/04; 30/04–01/05 holidays, Fri 02/05 swapped off, weekend;
    # 8 h Mon 05/05; 6 h Tue 06/05.
    assert item.publish_due_at == at(2025, 5, 6, 15)
    assert (item.next_due_kind, item.next_due_at) == ("publish", item.publish_due_at)
    assert item.status == Status.AWAITING_PUBLICATION


def test_out_of_scope_item_is_measured_against_the_forward_deadline(tinh, users):
    item = submit_pakn(at(2025, 1, 24, 10))
    item = pakn.feedback_classify(
        actor=users["vanphong"],
        item=item,
        category=Category.REGULATION_OUT_OF_SCOPE,
        at=at(2025, 1, 24, 11),
    )
    assert (item.next_due_kind, item.next_due_at) == ("forward", at(2025, 2, 7, 10))
    item = pakn.feedback_forward_out(
        actor=users["vanphong"], item=item, recipient="Bộ Tư pháp", at=at(2025, 2, 6, 9)
    )
    assert item.status == Status.FORWARDED
    assert item.next_due_at is None and item.finished_at == at(2025, 2, 6, 9)


def test_supplement_request_pauses_the_handling_clock(tinh, users):
    office = users["vanphong"]
    item = submit_pakn(at(2025, 3, 3, 9))
    assert item.handle_due_at == at(2025, 3, 24, 9)
    pakn.feedback_request_info(
        actor=office, item=item, request="Ghi rõ tên thủ tục.", at=at(2025, 3, 5, 14)
    )
    item.refresh_from_db()
    assert item.status == Status.AWAITING_SUPPLEMENT
    assert item.next_due_at is None  # paused: nothing to warn about
    item = pakn.feedback_supplement(
        item=item,
        response="Thủ tục cấp phiếu lý lịch tư pháp số 2.",
        token=item.lookup_token,
        at=at(2025, 3, 11, 10, 30),
    )
    # 29.5 working hours paused (dossier-lifecycle §10 example 3) move the deadline.
    assert item.handle_base_due_at == at(2025, 3, 24, 9)
    assert item.handle_due_at == at(2025, 3, 27, 15, 30)
    assert item.status == Status.RECEIVED_PENDING


def test_second_request_for_information_is_refused(tinh, users):
    office = users["vanphong"]
    item = submit_pakn(at(2025, 3, 3, 9))
    pakn.feedback_request_info(actor=office, item=item, request="Bổ sung địa chỉ.")
    pakn.feedback_supplement(item=item, response="Số 5 Lê Lợi.", token=item.lookup_token)
    with pytest.raises(pakn.FeedbackError, match="một lần"):
        pakn.feedback_request_info(actor=office, item=item, request="Bổ sung thêm.")


def test_policy_without_pause_keeps_the_deadline(tinh, users):
    PaknPolicy.objects.create(valid_from=datetime.date(2025, 1, 1), supplement_pauses_clock=False)
    item = submit_pakn(at(2025, 3, 3, 9))
    assert item.pauses_clock is False
    pakn.feedback_request_info(
        actor=users["vanphong"], item=item, request="Bổ sung.", at=at(2025, 3, 5, 14)
    )
    item.refresh_from_db()
    assert item.next_due_at == at(2025, 3, 24, 9)  # still running while waiting
    item = pakn.feedback_supplement(
        item=item, response="Đã bổ sung.", token=item.lookup_token, at=at(2025, 3, 11, 10, 30)
    )
    assert item.handle_due_at == at(2025, 3, 24, 9)


def test_rules_are_dated_rows_and_an_item_keeps_its_rule(tinh):
    PaknDeadlineRule.objects.create(
        key="handle",
        working_days=Decimal(10),
        mode="whole_day",
        valid_from=datetime.date(2025, 1, 1),
        source="Quy định địa phương (thử)",
    )
    old = submit_pakn(at(2024, 12, 31, 10))
    new = submit_pakn(at(2025, 1, 24, 10))
    # 2024 item: 15 WD in working hours (01/01 holiday) → Wed 22/01/2025 10:00.
    assert old.handle_due_at == at(2025, 1, 22, 10)
    # 2025 item: 10 whole working days after Fri 24/01, Tết skipped → Fri 14/02 17:00.
    assert new.handle_due_at == at(2025, 2, 14, 17)


def test_transfer_from_the_government_office_restarts_the_clock(tinh, users):
    office = users["vanphong"]
    item = submit_pakn(at(2025, 3, 3, 9))
    pakn.feedback_classify(actor=office, item=item, category=Category.REGULATION_OUT_OF_SCOPE)
    pakn.feedback_forward_out(
        actor=office, item=item, recipient="Văn phòng Chính phủ", at=at(2025, 3, 4, 9)
    )
    item = pakn.feedback_receive_transfer(
        actor=office, item=item, from_body="Văn phòng Chính phủ", at=at(2025, 4, 1, 9)
    )
    assert item.status == Status.RECEIVED_PENDING
    assert item.clock_start_at == at(2025, 4, 1, 9)
    # 15 WD from Tue 01/04: Hùng Kings' Day 07/04 skipped → Wed 23/04 09:00.
    assert item.handle_due_at == at(2025, 4, 23, 9)
    assert item.received_at == at(2025, 3, 3, 9)  # first receipt kept for 5.3
