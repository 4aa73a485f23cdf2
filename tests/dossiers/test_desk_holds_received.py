"""A received but not yet transferred dossier stays on the desk's pages (issue 15, item 5).

Before: the queue listed only dossiers waiting for reception or completion, so a
dossier the desk had received disappeared until someone transferred it."""

from __future__ import annotations

import pytest

from dossiers.models import Status
from dossiers.services.processing import dossier_transfer
from dossiers.services.reception import dossier_receive
from tests.dossiers.test_desk_queue import QUEUE, listed, submit_online

pytestmark = pytest.mark.django_db
DESK = "motcua.tuphap"


def test_received_dossiers_are_listed_counted_and_filterable(client, users, online_procedure):
    waiting = submit_online(users, online_procedure, name="Lê Thị Chờ")
    received = dossier_receive(
        actor=users[DESK], dossier=submit_online(users, online_procedure, name="Trần Văn Nhận")
    )
    assert received.status == Status.RECEIVED
    client.force_login(users[DESK])
    response = client.get(QUEUE)
    assert set(listed(response)) == {waiting.pk, received.pk}
    summary = response.context["summary"]
    assert (summary.waiting, summary.awaiting_transfer) == (1, 1)
    only = client.get(QUEUE, {"trang_thai": "received"})
    assert listed(only) == [received.pk]
    assert "Chuyển xử lý" in only.content.decode()


def test_transferred_dossiers_leave_the_desk(client, users, online_procedure):
    received = dossier_receive(actor=users[DESK], dossier=submit_online(users, online_procedure))
    dossier_transfer(actor=users[DESK], dossier=received)
    client.force_login(users[DESK])
    assert listed(client.get(QUEUE)) == []
