"""The pages end to end: the officer takes one dossier off with a reason and submits
the list, the head approves it, and the destruction file's PDFs download."""

from __future__ import annotations

import pytest

from records.models import DisposedDossier, ListStatus, PaperKind
from records.services import disposal_lists_propose
from tests.records.conftest import LATER, returned

pytestmark = pytest.mark.django_db


def test_review_approve_and_download(
    build, officer, head, client, django_capture_on_commit_callbacks
):
    kept, destroyed = returned(build), returned(build)
    [disposal_list] = disposal_lists_propose(LATER)
    base = f"/luu-tru/huy-ho-so/{disposal_list.pk}/"
    client.force_login(officer)
    page = client.get("/luu-tru/huy-ho-so/")
    assert page.status_code == 200 and "Chờ rà soát" in page.content.decode()
    item = disposal_list.items.get(dossier=kept)
    assert client.post(f"{base}loai/{item.pk}/", {"reason": ""}).status_code == 302
    item.refresh_from_db()
    assert not item.removed  # no reason, no removal
    client.post(f"{base}loai/{item.pk}/", {"reason": "Đang có yêu cầu trích lục"})
    item.refresh_from_db()
    assert item.removed and item.removed_by == officer
    assert client.post(base, {"council_minutes": ""}).status_code == 400
    assert client.post(base, {"council_minutes": "Hội đồng thống nhất hủy"}).status_code == 302
    # The officer's approval page offers nothing, and a forged POST changes nothing.
    assert 'data-testid="approval-form"' not in client.get(f"{base}phe-duyet/").content.decode()
    response = client.post(f"{base}phe-duyet/", {"action": "approve", "decision_number": "3/QĐ"})
    assert response.status_code == 400
    client.force_login(head)
    assert 'data-testid="approval-form"' in client.get(f"{base}phe-duyet/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{base}phe-duyet/", {"action": "approve", "decision_number": "3/QĐ-VP"}
        )
    assert response.status_code == 302
    disposal_list.refresh_from_db()
    assert disposal_list.status == ListStatus.DESTROYED
    assert set(DisposedDossier.objects.values_list("dossier_id", flat=True)) == {destroyed.pk}
    for kind in PaperKind.values:
        response = client.get(f"{base}tai-lieu/{kind}/")
        assert response.status_code == 200
        assert b"".join(response.streaming_content)[:4] == b"%PDF"
    assert client.get(f"{base}tai-lieu/khac/").status_code == 404


def test_holds_page_places_and_lifts(build, officer, client):
    dossier = returned(build)
    client.force_login(officer)
    assert (
        client.post("/luu-tru/giu-ho-so/", {"code": "KHONG-CO", "reason": "x"}).status_code == 400
    )
    assert (
        client.post(
            "/luu-tru/giu-ho-so/", {"code": dossier.code, "reason": "Thanh tra"}
        ).status_code
        == 302
    )
    hold = dossier.legal_holds.get()
    assert disposal_lists_propose(LATER) == []
    client.post(f"/luu-tru/giu-ho-so/{hold.pk}/go/", {"reason": "Kết thúc thanh tra"})
    hold.refresh_from_db()
    assert hold.lifted_at and hold.lifted_by == officer
    assert len(disposal_lists_propose(LATER)) == 1
