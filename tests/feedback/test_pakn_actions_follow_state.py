"""PAKN actions follow the state (issue 14, item 12): once the unit has answered,
the item is no longer forwarded or sent back to the submitter for information;
the approver can return the answer for revision; only an approved answer is
published."""

from __future__ import annotations

import pytest

from feedback.models import Category, Status
from feedback.services import FeedbackError, pakn
from feedback.workflow import TRANSITIONS
from tests.feedback.conftest import JUSTICE, submit_pakn
from tests.feedback.test_pakn_workspace import BASE, act

pytestmark = pytest.mark.django_db
ANSWER = "Sở Tư pháp đã bỏ yêu cầu sổ hộ khẩu."


@pytest.fixture
def answered(client, users, tinh):
    item = submit_pakn()
    client.force_login(users["vanphong"])
    act(client, item, "classify", category=Category.REGULATION_IN_SCOPE)
    act(client, item, "forward", agency=tinh[JUSTICE].pk)
    client.force_login(users["lanhdao.tuphap"])
    assert act(client, item, "answer", answer=ANSWER).status_code == 302
    item.refresh_from_db()
    assert item.status == Status.IN_HANDLING and item.answered_at is not None
    return item


def offered(client, item) -> set[str]:
    page = client.get(f"{BASE}{item.pk}/").content.decode()
    return {name for name in pakn_actions() if f'data-action="{name}"' in page}


def pakn_actions() -> list[str]:
    return list(TRANSITIONS)


def test_after_the_answer_no_forward_or_request_is_offered(client, users, tinh, answered):
    client.force_login(users["vanphong"])
    actions = offered(client, answered)
    assert {"approve_publication", "return_answer"} <= actions
    assert not actions & {"forward", "forward_out", "request_info"}
    with pytest.raises(FeedbackError, match="đã trả lời"):
        pakn.feedback_forward(actor=users["vanphong"], item=answered, agency=tinh[JUSTICE])
    with pytest.raises(FeedbackError, match="đã trả lời"):
        pakn.feedback_request_info(actor=users["vanphong"], item=answered, request="Cần thêm")
    client.force_login(users["lanhdao.tuphap"])
    assert "request_info" not in offered(client, answered)


def test_the_approver_returns_the_answer_for_revision(client, users, answered):
    client.force_login(users["vanphong"])
    assert act(client, answered, "return_answer", note="").status_code == 400
    assert act(client, answered, "return_answer", note="Nêu rõ căn cứ pháp lý.").status_code == 302
    answered.refresh_from_db()
    assert answered.status == Status.IN_HANDLING and answered.answered_at is None
    assert answered.answer == ANSWER  # kept as the unit's draft
    # Nothing to approve until the unit answers again.
    assert "approve_publication" not in offered(client, answered)
    with pytest.raises(FeedbackError, match="chưa trả lời"):
        pakn.feedback_approve_publication(actor=users["vanphong"], item=answered)
    client.force_login(users["lanhdao.tuphap"])
    assert (
        act(client, answered, "answer", answer=ANSWER + " Căn cứ Nghị định 104/2022.").status_code
        == 302
    )
    client.force_login(users["vanphong"])
    assert act(client, answered, "approve_publication").status_code == 302
    assert act(client, answered, "publish").status_code == 302
    answered.refresh_from_db()
    assert answered.status == Status.PUBLISHED
    assert list(answered.history.values_list("action", flat=True))[-5:] == [
        "answer", "return_answer", "answer", "approve_publication", "publish",
    ]  # fmt: skip
