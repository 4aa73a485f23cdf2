"""Criteria 5.2 and 5.3 of Decision 766 from the PAKN records, by hand.

indicators-766.md §10: commune "Xã A", period 15/03–14/04/2025, P1 answered
in 10 WD (on time), P2 published after 18 WD (late), neither disliked:
5.2 = 1/2 → 3.00, 5.3 = (2 − 0 − 1 − 0)/2 → 3.00; with no PAKN, 6.00 each.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from feedback.models import Category, Feedback, Status
from feedback.selectors import pakn_criteria
from feedback.services import pakn
from tests.feedback.conftest import HEALTH, at, submit_pakn

pytestmark = pytest.mark.django_db
XA_A = "000.21.00.H99"  # the demo's UBND phường Phố Hiến plays "Xã A"
START, END = datetime.date(2025, 3, 15), datetime.date(2025, 4, 14)


def handled(users, tinh, received, answered, approved, published=None, agency=XA_A) -> Feedback:
    office, head = users["vanphong"], users["lanhdao.phohien"]
    item = submit_pakn(received)
    pakn.feedback_classify(
        actor=office, item=item, category=Category.REGULATION_IN_SCOPE, at=received
    )
    pakn.feedback_forward(actor=office, item=item, agency=tinh[agency], at=received)
    pakn.feedback_answer(actor=head, item=item, answer="Trả lời: đã chấn chỉnh.", at=answered)
    item = pakn.feedback_approve_publication(actor=office, item=item, at=approved)
    if published:
        item = pakn.feedback_publish(actor=office, item=item, at=published)
    return item


def test_worked_example_p1_on_time_p2_late(tinh, users):
    # P1: received Mon 17/03 09:00, approved 10 WD later (Mon 31/03 09:00).
    p1 = handled(
        users, tinh, at(2025, 3, 17, 9), at(2025, 3, 28, 9), at(2025, 3, 31, 9), at(2025, 4, 1, 9)
    )
    # P2: received Tue 18/03 09:00, approved after 17 WD, published after 18 WD
    # (Mon 14/04 09:00; Hùng Kings' Day 07/04 is not a working day).
    p2 = handled(
        users, tinh, at(2025, 3, 18, 9), at(2025, 4, 10, 9), at(2025, 4, 11, 9), at(2025, 4, 14, 9)
    )
    assert p1.approved_at <= p1.handle_due_at
    assert p2.handle_due_at == at(2025, 4, 9, 9) < p2.approved_at
    assert p2.status == Status.PUBLISHED

    result = pakn_criteria([tinh[XA_A].pk], START, END)
    assert (result.c52.numerator, result.c52.denominator) == (1, 2)
    assert result.c52.ratio == Decimal("50.00") and result.c52.score == Decimal("3.00")
    assert (result.c53.numerator, result.c53.denominator) == (1, 2)
    assert (result.late, result.disliked, result.followed_up) == (1, 0, 0)
    assert result.c53.score == Decimal("3.00")
    assert result.by_subject == {"regulation": 2, "official_behaviour": 0}


def test_no_pakn_gives_full_points(tinh, users):
    handled(users, tinh, at(2025, 3, 17, 9), at(2025, 3, 20, 9), at(2025, 3, 21, 9))
    result = pakn_criteria([tinh[HEALTH].pk], START, END)
    assert result.c52.denominator == 0 and result.c52.score == Decimal("6.00")
    assert result.c53.denominator == 0 and result.c53.score == Decimal("6.00")


def test_dislikes_follow_ups_and_lateness_count_once_each(tinh, users):
    on_time = dict(
        answered=at(2025, 3, 19, 9), approved=at(2025, 3, 20, 9), published=at(2025, 3, 21, 9)
    )
    liked = handled(users, tinh, at(2025, 3, 17, 9), **on_time)
    disliked = handled(users, tinh, at(2025, 3, 17, 10), **on_time)
    repeated = handled(users, tinh, at(2025, 3, 17, 11), **on_time)
    # Late and disliked at once: subtracted once, not twice.
    both = handled(
        users,
        tinh,
        at(2025, 3, 17, 14),
        at(2025, 4, 10, 9),
        at(2025, 4, 10, 10),
        at(2025, 4, 10, 11),
    )
    pakn.feedback_react(item=liked, value="like", session_key="a", at=at(2025, 3, 22, 9))
    pakn.feedback_react(item=liked, value="dislike", session_key="b", at=at(2025, 3, 22, 9))
    for key in ("a", "b"):
        pakn.feedback_react(item=disliked, value="dislike", session_key=key, at=at(2025, 3, 22, 9))
    pakn.feedback_react(item=disliked, value="like", session_key="c", at=at(2025, 3, 22, 9))
    pakn.feedback_react(item=both, value="dislike", session_key="a", at=at(2025, 4, 11, 9))
    # A dislike after the period does not count in it.
    pakn.feedback_react(item=liked, value="dislike", session_key="late", at=at(2025, 4, 20, 9))
    pakn.feedback_follow_up(
        original=repeated,
        data={
            "submitter_name": "Trần Thị Bình",
            "submitter_address": "Xã Tân Lập",
            "submitter_phone": "0987654321",
            "submitter_postal_address": "Xã Tân Lập",
            "title": "Kết quả trả lời chưa thỏa đáng",
            "content": "Cán bộ vẫn yêu cầu nộp sổ hộ khẩu sau khi đã trả lời.",
        },
    )
    follow_up = Feedback.objects.get(follow_up_of=repeated)
    # The follow-up is filed now (after the period) and belongs to the office until forwarded.
    assert follow_up.agency == tinh["000.00.00.H99"]
    Feedback.objects.filter(pk=follow_up.pk).update(received_at=at(2025, 4, 1, 9))

    result = pakn_criteria([tinh[XA_A].pk], START, END)
    assert result.received == 4
    assert (result.late, result.disliked, result.followed_up) == (1, 2, 1)
    # liked (1 like, 1 dislike in the period: not "more dislikes") is the only satisfied one.
    assert (result.c53.numerator, result.c53.denominator) == (1, 4)
    assert result.c53.score == Decimal("1.50")
    assert (result.c52.numerator, result.c52.denominator) == (3, 4)
    assert result.c52.score == Decimal("4.50")


def test_open_items_are_judged_at_the_period_end(tinh, users):
    office = users["vanphong"]
    # Received Mon 31/03: at the end of 14/04 only 10 WD have passed → on time.
    recent = submit_pakn(at(2025, 3, 31, 9))
    pakn.feedback_classify(actor=office, item=recent, category=Category.REGULATION_IN_SCOPE)
    pakn.feedback_forward(actor=office, item=recent, agency=tinh[XA_A], at=at(2025, 4, 1, 9))
    # Received Mon 17/03 and still in handling on 14/04 (> 15 WD) → late.
    stale = submit_pakn(at(2025, 3, 17, 9))
    pakn.feedback_classify(actor=office, item=stale, category=Category.REGULATION_IN_SCOPE)
    pakn.feedback_forward(actor=office, item=stale, agency=tinh[XA_A], at=at(2025, 3, 18, 9))
    # Received in February and still in handling: carried over into 5.2 (late), not 5.3.
    old = submit_pakn(at(2025, 2, 10, 9))
    pakn.feedback_classify(actor=office, item=old, category=Category.REGULATION_IN_SCOPE)
    pakn.feedback_forward(actor=office, item=old, agency=tinh[XA_A], at=at(2025, 2, 10, 10))
    # Received and published in February: finished before the period, in neither.
    handled(
        users, tinh, at(2025, 2, 10, 9), at(2025, 2, 11, 9), at(2025, 2, 12, 9), at(2025, 2, 13, 9)
    )
    result = pakn_criteria([tinh[XA_A].pk], START, END)
    assert (result.c52.numerator, result.c52.denominator) == (1, 3)
    assert (result.c53.numerator, result.c53.denominator) == (1, 2)


def test_refusal_and_first_supplement_deadlines(tinh, users):
    office = users["vanphong"]
    province = tinh["000.00.00.H99"]
    # Refused 3 WD after receipt: late. Refused in 1 WD: on time.
    late_refusal = submit_pakn(at(2025, 3, 17, 9))
    pakn.feedback_refuse(
        actor=office, item=late_refusal, reason="Không ghi rõ nội dung.", at=at(2025, 3, 20, 9, 30)
    )
    quick_refusal = submit_pakn(at(2025, 3, 17, 9))
    pakn.feedback_refuse(
        actor=office, item=quick_refusal, reason="Là đơn khiếu nại.", at=at(2025, 3, 18, 9)
    )
    # First supplement request after 6 WD: late even though the item is still paused.
    slow_request = submit_pakn(at(2025, 3, 17, 9))
    pakn.feedback_request_info(
        actor=office, item=slow_request, request="Bổ sung số hồ sơ.", at=at(2025, 3, 25, 10)
    )
    result = pakn_criteria([province.pk], START, END)
    assert (result.c52.numerator, result.c52.denominator) == (1, 3)
