"""The disposal list's lifecycle runs on the kernel engine (issue #16 item 1):
every row of the table goes through ``DISPOSAL_LIFECYCLE`` with its permission,
guard and named effects, refusals keep the service's messages, and the actions
a user is offered are those the engine allows now."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from records.groups import ARCHIVE_HEAD, records_groups_sync
from records.models import DisposalList, ListStatus
from records.services import RecordsError, disposal_lists_propose, disposal_transition
from records.workflow import (
    APPROVE,
    DISPOSAL_LIFECYCLE,
    REVIEW,
    SYSTEM,
    DisposalChange,
    actions_for,
    user_action,
)
from tests.records.conftest import LATER, returned
from tthc_portal.audit.models import AuditEvent
from tthc_portal.lifecycle import ActorRefused, GuardFailed

pytestmark = pytest.mark.django_db

NOT_ALLOWED = re.escape("Danh mục không ở trạng thái cho phép thao tác này.")
NO_RIGHT = re.escape("Bạn không có quyền thực hiện thao tác này.")


@pytest.fixture
def proposed(build, officer) -> DisposalList:
    returned(build)
    [disposal_list] = disposal_lists_propose(LATER)
    return disposal_list


def _reviewed(disposal_list: DisposalList, officer) -> DisposalList:
    return disposal_transition(disposal_list, "review", actor=officer, council_minutes=" Đồng ý ")


def test_the_table_names_each_rows_permission():
    actors = {action: t.actors for action, t in DISPOSAL_LIFECYCLE.items()}
    assert actors == {
        "review": {REVIEW},
        "send_back": {APPROVE},
        "approve": {APPROVE},
        "cancel": {APPROVE},
        "destroy": {SYSTEM},
    }
    assert [a for a in DISPOSAL_LIFECYCLE if user_action(a)] == [
        "review",
        "send_back",
        "approve",
        "cancel",
    ]


def test_review_stamps_the_reviewer_and_writes_history_and_audit(proposed, officer):
    disposal_list = _reviewed(proposed, officer)
    disposal_list.refresh_from_db()
    assert disposal_list.status == ListStatus.REVIEWED
    assert disposal_list.council_minutes == "Đồng ý"
    assert disposal_list.reviewed_by == officer and disposal_list.reviewed_at is not None
    row = disposal_list.history.get(action="review")
    assert (row.from_status, row.to_status) == (ListStatus.PROPOSED, ListStatus.REVIEWED)
    assert AuditEvent.objects.filter(action="records.list_review").count() == 1
    assert set(disposal_list.papers.values_list("kind", flat=True)) >= {"list", "minutes"}


def test_review_needs_the_councils_opinion_and_a_dossier_left(proposed, officer):
    with pytest.raises(RecordsError, match="Hội đồng xác định giá trị tài liệu"):
        disposal_transition(proposed, "review", actor=officer, council_minutes="  ")
    proposed.items.update(removed=True)
    assert actions_for(proposed, {REVIEW, APPROVE}) == ["cancel"]
    with pytest.raises(RecordsError, match="không còn hồ sơ nào; hãy hủy bỏ đề xuất"):
        disposal_transition(proposed, "review", actor=officer, council_minutes="Đồng ý")
    with pytest.raises(GuardFailed):
        DISPOSAL_LIFECYCLE.check("review", proposed, {REVIEW})
    proposed.refresh_from_db()
    assert proposed.status == ListStatus.PROPOSED and proposed.reviewed_by is None


def test_send_back_needs_a_reason_and_returns_to_review(proposed, officer, head):
    _reviewed(proposed, officer)
    with pytest.raises(RecordsError, match=re.escape("Cần ghi lý do.")):
        disposal_transition(proposed, "send_back", actor=head, note=" ")
    disposal_transition(proposed, "send_back", actor=head, note="Xem lại")
    proposed.refresh_from_db()
    assert proposed.status == ListStatus.PROPOSED
    row = proposed.history.get(action="send_back")
    assert (row.from_status, row.to_status, row.note) == (
        ListStatus.REVIEWED,
        ListStatus.PROPOSED,
        "Xem lại",
    )


def test_approve_stamps_the_decision_and_queues_destruction(
    proposed, officer, head, django_capture_on_commit_callbacks
):
    _reviewed(proposed, officer)
    with pytest.raises(RecordsError, match="Cần ghi số quyết định hủy"):
        disposal_transition(proposed, "approve", actor=head, decision_number="")
    with django_capture_on_commit_callbacks() as callbacks:
        disposal_transition(proposed, "approve", actor=head, decision_number=" 7/QĐ ")
    assert len(callbacks) == 1
    proposed.refresh_from_db()
    assert proposed.status == ListStatus.APPROVED
    assert proposed.decision_number == "7/QĐ" and proposed.approved_by == head
    assert "decision" in set(proposed.papers.values_list("kind", flat=True))


def test_the_reviewer_cannot_approve_even_holding_both_roles(proposed, officer):
    officer.groups.add(records_groups_sync()[ARCHIVE_HEAD])
    _reviewed(proposed, officer)
    with pytest.raises(RecordsError, match="không được tự phê duyệt"):
        disposal_transition(proposed, "approve", actor=officer, decision_number="1/QĐ")


@pytest.mark.parametrize("reviewed_first", [False, True])
def test_cancel_from_both_sources(proposed, officer, head, reviewed_first):
    if reviewed_first:
        _reviewed(proposed, officer)
    before = proposed.status if not reviewed_first else ListStatus.REVIEWED
    with pytest.raises(RecordsError, match=re.escape("Cần ghi lý do.")):
        disposal_transition(proposed, "cancel", actor=head)
    disposal_transition(proposed, "cancel", actor=head, note="Không cần hủy")
    proposed.refresh_from_db()
    assert proposed.status == ListStatus.CANCELLED
    assert proposed.history.get(action="cancel").from_status == before


def test_destroy_is_the_systems_row_only(proposed, officer, head):
    with pytest.raises(RecordsError, match=re.escape("Thao tác không hợp lệ.")):
        disposal_transition(proposed, "destroy", actor=head)
    with pytest.raises(RecordsError, match=re.escape("Thao tác không hợp lệ.")):
        disposal_transition(proposed, "shred", actor=head)
    approved = DisposalList(status=ListStatus.APPROVED)
    with pytest.raises(ActorRefused):
        DISPOSAL_LIFECYCLE.check("destroy", approved, {REVIEW, APPROVE})
    now = timezone.now()
    outcome = DISPOSAL_LIFECYCLE.run(
        "destroy", approved, DisposalChange(None, now), capabilities={SYSTEM}
    )
    assert (outcome.before, outcome.after) == (ListStatus.APPROVED, ListStatus.DESTROYED)
    assert outcome.fields == ("destroyed_at", "status") and approved.destroyed_at == now


def test_a_refused_status_or_permission_keeps_the_services_message(proposed, officer, head):
    with pytest.raises(RecordsError, match=NO_RIGHT):
        disposal_transition(proposed, "review", actor=head, council_minutes="Đồng ý")
    with pytest.raises(RecordsError, match=NOT_ALLOWED):
        disposal_transition(proposed, "approve", actor=head, decision_number="1/QĐ")
    with pytest.raises(RecordsError, match=NOT_ALLOWED):
        disposal_transition(proposed, "send_back", actor=head, note="x")
    _reviewed(proposed, officer)
    with pytest.raises(RecordsError, match=NOT_ALLOWED):
        _reviewed(proposed, officer)
    proposed.refresh_from_db()
    assert proposed.status == ListStatus.REVIEWED
    assert list(proposed.history.values_list("action", flat=True)) == ["propose", "review"]


def test_actions_for_follow_the_status_and_the_permissions(proposed, officer, head):
    assert actions_for(proposed, {REVIEW}) == ["review"]
    assert actions_for(proposed, {APPROVE}) == ["cancel"]
    assert actions_for(proposed, set()) == []
    _reviewed(proposed, officer)
    proposed.refresh_from_db()
    assert actions_for(proposed, {REVIEW}) == []
    assert actions_for(proposed, {APPROVE, SYSTEM}) == ["send_back", "approve", "cancel"]
