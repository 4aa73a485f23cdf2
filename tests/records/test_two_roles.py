"""Two roles: the records officer reviews, the head of the archive unit approves.
The reviewer's role cannot approve, the approver's cannot review, nobody approves a
list they reviewed themselves, and a list outside one's agencies is a 404."""

from __future__ import annotations

import pytest
from django.http import Http404

from records.groups import ARCHIVE_HEAD, records_groups_sync
from records.models import ListStatus
from records.services import RecordsError, disposal_lists_propose, disposal_transition
from tests.factories import AgencyFactory, make_staff
from tests.records.conftest import LATER, returned
from tthc_portal.accounts.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(build, officer):
    returned(build)
    [disposal_list] = disposal_lists_propose(LATER)
    return disposal_list


def test_the_approver_cannot_review_and_the_reviewer_cannot_approve(reviewed, officer, head):
    with pytest.raises(RecordsError):
        disposal_transition(reviewed, "review", actor=head, council_minutes="Đồng ý")
    disposal_transition(reviewed, "review", actor=officer, council_minutes="Đồng ý")
    with pytest.raises(RecordsError):
        disposal_transition(reviewed, "approve", actor=officer, decision_number="1/QĐ")
    reviewed.refresh_from_db()
    assert reviewed.status == ListStatus.REVIEWED


def test_one_person_holding_both_roles_cannot_approve_their_own_review(reviewed, officer):
    officer.groups.add(records_groups_sync()[ARCHIVE_HEAD])
    disposal_transition(reviewed, "review", actor=officer, council_minutes="Đồng ý")
    with pytest.raises(RecordsError, match="không được tự phê duyệt"):
        disposal_transition(reviewed, "approve", actor=officer, decision_number="1/QĐ")


def test_send_back_returns_the_list_to_review(reviewed, officer, head):
    disposal_transition(reviewed, "review", actor=officer, council_minutes="Đồng ý")
    with pytest.raises(RecordsError):
        disposal_transition(reviewed, "send_back", actor=head)  # a reason is required
    disposal_transition(reviewed, "send_back", actor=head, note="Kiểm tra lại hồ sơ số 3")
    reviewed.refresh_from_db()
    assert reviewed.status == ListStatus.PROPOSED
    actions = list(reviewed.history.values_list("action", flat=True))
    assert actions == ["propose", "review", "send_back"]


def test_another_agencys_archive_head_gets_404(reviewed, officer, client):
    other = AgencyFactory(name="Sở khác")
    stranger = make_staff(Role.DEPARTMENT_HEAD, other)
    stranger.groups.add(records_groups_sync()[ARCHIVE_HEAD])
    disposal_transition(reviewed, "review", actor=officer, council_minutes="Đồng ý")
    with pytest.raises(Http404):
        disposal_transition(reviewed, "approve", actor=stranger, decision_number="1/QĐ")
    client.force_login(stranger)
    assert client.get(f"/luu-tru/huy-ho-so/{reviewed.pk}/").status_code == 404
    assert client.get(f"/luu-tru/huy-ho-so/{reviewed.pk}/phe-duyet/").status_code == 404
    response = client.post(f"/luu-tru/huy-ho-so/{reviewed.pk}/phe-duyet/",
                           {"action": "approve", "decision_number": "1/QĐ"})  # fmt: skip
    assert response.status_code == 404
    reviewed.refresh_from_db()
    assert reviewed.status == ListStatus.REVIEWED


def test_staff_without_a_records_role_get_404(reviewed, commune, client):
    desk = make_staff(Role.DESK_OFFICER, commune)
    client.force_login(desk)
    assert client.get("/luu-tru/huy-ho-so/").status_code == 404
    assert client.get(f"/luu-tru/huy-ho-so/{reviewed.pk}/").status_code == 404
    assert client.get("/luu-tru/giu-ho-so/").status_code == 404
