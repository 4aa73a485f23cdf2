"""Bulk actions at the desk (issue #19 item 3): one action on many dossiers,
each through its own service (history, audit, notification, sync row), a
partial failure reported with its reason while the rest stay done; only the
actions the lifecycle table allows for every selected dossier are offered."""

from __future__ import annotations

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from dossiers.models import DocumentKind, Dossier, Status, StatusHistory
from dossiers.services.bulk import (
    BULK_ACTIONS,
    PRINT_RECEIPTS,
    bulk_action_valid,
    bulk_actions_offered,
    dossiers_bulk_apply,
)
from dossiers.services.decisions import dossier_approve
from dossiers.services.pdf import document_render
from dossiers.workflow import actions_from
from integrations.models import SyncEvent
from tests.dossiers.casework import (
    DESK,
    HEAD,
    at_approval,
    received,
    workflow_procedure_fixture,  # noqa: F401 (the workflow_procedure fixture)
)
from tests.dossiers.conftest import HEALTH
from tests.dossiers.test_desk_queue import submit_online
from tests.integrations.sync_helpers import hub_target
from tthc_portal.agencies.models import Agency
from tthc_portal.audit.models import AuditEvent
from tthc_portal.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db
OTHER_DESK = "motcua.yte"


def _elsewhere(dossier: Dossier) -> Dossier:
    """Move a dossier to another agency's desk (outside the officer's scope)."""
    health = Agency.objects.get(code=HEALTH)
    Dossier.objects.filter(pk=dossier.pk).update(receiving_agency=health, processing_agency=health)
    return dossier


def _traces(dossier: Dossier, action: str) -> dict[str, int]:
    return {
        "history": StatusHistory.objects.filter(dossier=dossier, action=action).count(),
        "audit": AuditEvent.objects.filter(
            action=f"dossier.{action}", target_id=str(dossier.pk)
        ).count(),
        "sync": SyncEvent.objects.filter(dossier=dossier).count(),
        "notification": OutboxMessage.objects.filter(
            topic=f"dossiers.dossier:{dossier.pk}", dedupe_key__contains=f":{action}:"
        ).count(),
    }


def test_one_invalid_dossier_is_reported_and_the_rest_are_received(users, online_procedure):
    hub_target("http://127.0.0.1:9/")  # national sync on: each transition writes its row
    first, broken, last = (submit_online(users, online_procedure) for _ in range(3))
    # The check fails for this one: the applicant's identity number is missing.
    Dossier.objects.filter(pk=broken.pk).update(applicant_id_number="")
    # The submission already queued its own national event ("received online").
    synced_before = {d.pk: _traces(d, "receive")["sync"] for d in (first, broken, last)}

    result = dossiers_bulk_apply(users[DESK], [first.pk, broken.pk, last.pk], "receive")

    assert [item.pk for item in result.done] == [first.pk, last.pk]
    assert [(item.pk, item.label) for item in result.failed] == [(broken.pk, f"HS{broken.pk}")]
    assert "Chưa có họ tên và số định danh" in result.failed[0].message
    for dossier in (first, last):
        dossier.refresh_from_db()
        assert dossier.status == Status.RECEIVED and dossier.code
        # Its own history row, audit event, national sync row and notification.
        traces = _traces(dossier, "receive")
        assert traces["history"] == 1 and traces["audit"] == 1
        assert traces["sync"] > synced_before[dossier.pk] and traces["notification"] >= 1
        assert dossier.documents.filter(kind=DocumentKind.RECEIPT).count() == 1
    assert [item.label for item in result.done] == [first.code, last.code]
    broken.refresh_from_db()
    assert broken.status == Status.SUBMITTED and not broken.code
    assert _traces(broken, "receive") == {
        "history": 0,
        "audit": 0,
        "sync": synced_before[broken.pk],
        "notification": 0,
    }


def test_a_dossier_outside_the_officers_desks_is_not_acted_on(users, workflow_procedure):
    mine = received(users, workflow_procedure)
    theirs = _elsewhere(received(users, workflow_procedure))
    other_agency_officer = users[OTHER_DESK]

    result = dossiers_bulk_apply(other_agency_officer, [mine.pk], "transfer")
    assert result.done == []
    assert result.failed[0].message == "Không tìm thấy hồ sơ tại Bộ phận Một cửa của bạn."
    # The failure names the id that was sent, never the code of a dossier it may not see.
    assert result.failed[0].label == f"#{mine.pk}"

    result = dossiers_bulk_apply(users[DESK], [theirs.pk, mine.pk, 999_999], "transfer")
    assert [item.pk for item in result.done] == [mine.pk]
    assert [(item.label, item.message) for item in result.failed] == [
        (f"#{theirs.pk}", "Không tìm thấy hồ sơ tại Bộ phận Một cửa của bạn."),
        ("#999999", "Không tìm thấy hồ sơ tại Bộ phận Một cửa của bạn."),
    ]
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.status == Status.RECEIVED and mine.status == Status.IN_PROCESSING
    assert not StatusHistory.objects.filter(dossier=theirs, action="transfer").exists()


def test_offered_actions_are_those_of_the_lifecycle_table_for_every_dossier(
    client, users, workflow_procedure
):
    waiting = submit_online(users, workflow_procedure)
    done = received(users, workflow_procedure)
    # Every offered action is one the table allows from the dossier's status.
    for dossier in (waiting, done):
        for action in BULK_ACTIONS.values():
            if action.transition and bulk_action_valid(action, dossier):
                assert action.transition in actions_from(dossier.status)
    names = lambda dossiers: [a.name for a in bulk_actions_offered(dossiers)]  # noqa: E731
    assert names([waiting]) == ["receive"]
    assert names([done]) == ["transfer", PRINT_RECEIPTS]
    assert names([waiting, done]) == []

    client.force_login(users[DESK])
    page = client.get(reverse("dossiers:desk_bulk"), {"ho_so": [waiting.pk, done.pk]})
    assert page.status_code == 200
    assert 'data-testid="bulk-no-action"' in page.content.decode()
    page = client.get(reverse("dossiers:desk_bulk"), {"ho_so": [done.pk]}).content.decode()
    assert re.findall(r'data-action="(\w+)"', page) == ["transfer", PRINT_RECEIPTS]
    assert "<legend>Thao tác áp dụng cho tất cả hồ sơ đã chọn</legend>" in page


def test_the_queries_per_dossier_are_bounded(users, online_procedure):
    hub_target("http://127.0.0.1:9/")
    small = [submit_online(users, online_procedure).pk for _ in range(2)]
    large = [submit_online(users, online_procedure).pk for _ in range(6)]
    with CaptureQueriesContext(connection) as two:
        assert len(dossiers_bulk_apply(users[DESK], small, "receive").done) == 2
    with CaptureQueriesContext(connection) as six:
        assert len(dossiers_bulk_apply(users[DESK], large, "receive").done) == 6
    per_dossier = (len(six) - len(two)) / 4
    # A reception is one locked transition with its code, step, paper, history,
    # audit, notification and sync rows: 25 queries measured; the batch adds
    # one selection query, nothing per dossier.
    assert per_dossier <= 30, per_dossier
    assert len(six) - 6 * per_dossier <= 5, len(six)


def _approved(users, procedure) -> Dossier:
    dossier = at_approval(users, procedure)
    Dossier.objects.filter(pk=dossier.pk).update(result_delivery="desk")
    return dossier_approve(actor=users[HEAD], dossier=dossier)


def test_returns_page_selects_and_returns_a_batch(client, users, workflow_procedure):
    ready = [_approved(users, workflow_procedure) for _ in range(2)]
    client.force_login(users[DESK])
    page = client.get(reverse("dossiers:desk_returns")).content.decode()
    for dossier in ready:
        assert (
            f'<label for="chon-{dossier.pk}" class="visually-hidden">Chọn hồ sơ {dossier.code}'
            in page
        )

    selection = client.get(
        reverse("dossiers:desk_bulk"), {"ho_so": [d.pk for d in ready], "tu": "returns"}
    )
    assert re.findall(r'data-action="(\w+)"', selection.content.decode()) == [
        "return_result",
        PRINT_RECEIPTS,
    ]
    # One of them was returned meanwhile at its own page: it is reported, not returned twice.
    from dossiers.services.closing import dossier_return

    dossier_return(actor=users[DESK], dossier=ready[0], method="desk", returned_to="Người nhận")
    response = client.post(
        reverse("dossiers:desk_bulk_apply"),
        {"ho_so": [d.pk for d in ready], "thao_tac": "return_result", "hinh_thuc": "registered",
         "tu": "returns"},
    )  # fmt: skip
    assert response.status_code == 302
    result = client.get(response["Location"]).content.decode()
    assert "1 hồ sơ thực hiện xong" in result and "1 hồ sơ không thực hiện được." in result
    assert (
        f"<strong>{ready[0].code}</strong>: Không thể “Trả kết quả”: hồ sơ đang ở trạng thái "
        "“Đã trả kết quả”." in result
    )
    second = Dossier.objects.get(pk=ready[1].pk)
    assert second.status == Status.RETURNED and second.return_method == "desk"
    assert second.returned_to == second.applicant_name
    assert StatusHistory.objects.filter(dossier=second, action="return_result").count() == 1


def test_queue_to_receipts_printed_in_one_pdf(client, users, online_procedure):
    waiting = [submit_online(users, online_procedure) for _ in range(3)]
    foreign = _elsewhere(submit_online(users, online_procedure))
    client.force_login(users[DESK])
    queue = client.get(reverse("dossiers:desk_queue")).content.decode()
    assert 'data-testid="bulk-select"' in queue
    assert (
        f'<label for="chon-{waiting[0].pk}" class="visually-hidden">Chọn hồ sơ HS{waiting[0].pk}'
        in queue
    )

    ids = [d.pk for d in waiting] + [foreign.pk]
    selection = client.get(reverse("dossiers:desk_bulk"), {"ho_so": ids}).content.decode()
    assert 'data-testid="bulk-missing"' in selection
    response = client.post(
        reverse("dossiers:desk_bulk_apply"), {"ho_so": ids, "thao_tac": "receive"}
    )
    result = client.get(response["Location"]).content.decode()
    assert "3 hồ sơ thực hiện xong" in result
    assert f"<strong>#{foreign.pk}</strong>: Không tìm thấy hồ sơ" in result

    # Receipts render after commit (a worker); render two of the three now.
    receipts = [
        Dossier.objects.get(pk=d.pk).documents.get(kind=DocumentKind.RECEIPT) for d in waiting
    ]
    for document in receipts[:2]:
        document_render(document.pk)
    response = client.post(
        reverse("dossiers:desk_bulk_apply"),
        {"ho_so": [d.pk for d in waiting], "thao_tac": PRINT_RECEIPTS},
    )
    result = client.get(response["Location"]).content.decode()
    assert "2 hồ sơ thực hiện xong" in result and "Phiếu tiếp nhận đang được tạo" in result
    link = (
        re.search(r'data-testid="bulk-print" href="([^"]+)"', result).group(1).replace("&amp;", "&")
    )
    pdf = client.get(link)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    merged = PdfReader(io.BytesIO(pdf.content))
    single_pages = sum(
        len(PdfReader(r.file.path).pages)
        for r in (
            Dossier.objects.get(pk=d.pk).documents.get(kind=DocumentKind.RECEIPT)
            for d in waiting[:2]
        )
    )
    assert len(merged.pages) == single_pages

    # Another agency's officer gets nothing out of the same link.
    client.force_login(users[OTHER_DESK])
    assert client.get(link).status_code == 404
