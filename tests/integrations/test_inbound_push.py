"""The push endpoint: authentication, idempotence on the national code, the unmapped
queue, and a real push from the simulator process to a live portal."""

from __future__ import annotations

import threading

import pytest
from django.core.files.storage import default_storage
from django.db import connection

from dossiers.models import Channel, Dossier, Status
from integrations.inbound import inbound_receive, inbound_retry_unmapped
from integrations.models import (
    CodeMap,
    InboundMessage,
    MapKind,
    SyncEvent,
    UnmappedItem,
)
from tests.dossiers.files import make_pdf
from tests.integrations.inbound_helpers import (
    PUSH_TOKEN,
    PUSH_URL,
    b64,
    hub_target,
    new_dossier,
    push,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub(national_hub, online_procedure):
    hub_target(national_hub.url)
    return national_hub


def _papers(hub) -> list[dict]:
    first = hub.control.add_file("don-de-nghi.pdf", make_pdf(), "application/pdf")
    return [
        {"TenTepDinhKem": "don-de-nghi.pdf", "MaThanhPhanHoSo": "1",
         "DuongDanTaiTepTin": first["url"]},
        {"TenTepDinhKem": "so-yeu-ly-lich.pdf", "MaThanhPhanHoSo": "2", "Base64": b64(make_pdf(2))},
    ]  # fmt: skip


def test_the_same_national_dossier_pushed_twice_gives_one_dossier(client, hub):
    envelope = new_dossier(_papers(hub))

    first = push(client, envelope)
    assert first.status_code == 200
    assert first.json() == {"error_code": 0}
    dossier = Dossier.objects.get(code=envelope["MaHoSo"])
    assert dossier.status == Status.SUBMITTED and dossier.channel == Channel.ONLINE
    assert dossier.applicant is None and dossier.applicant_name == "Nguyễn Văn Quốc Gia"
    assert dossier.form_data["national_origin"] is True
    assert dossier.form_data["national_account_id"] == "TK0123456789"
    assert dossier.vneid_verified is True
    assert sorted(c.requirement.order for c in dossier.components.all()) == [1, 2]
    assert dossier.components.get(requirement__order=2).page_count == 2
    # In the desk queue like any online dossier, and national status 1 is queued for the hub.
    assert dossier.history.get().action == "submit"
    assert SyncEvent.objects.filter(dossier=dossier, kind="progress", seq=1,
                                    national_status=1).exists()  # fmt: skip

    again = push(client, envelope)
    assert again.status_code == 200 and again.json()["error_code"] == 1
    other_message = {**envelope, "MaBanTin": envelope["MaBanTin"] + "-lai"}
    third = push(client, other_message)
    assert third.json()["error_code"] == 1
    assert Dossier.objects.filter(code=envelope["MaHoSo"]).count() == 1
    assert Dossier.objects.filter(form_data__national_origin=True).count() == 1
    statuses = dict(InboundMessage.objects.values_list("message_id", "status"))
    assert statuses == {envelope["MaBanTin"]: "accepted", other_message["MaBanTin"]: "duplicate"}
    # Base64 contents are not kept in the message, only their size and hash.
    kept = InboundMessage.objects.get(message_id=envelope["MaBanTin"]).payload
    assert "Base64" not in kept["DuLieu"]["TaiLieuNop"][1]
    assert len(kept["DuLieu"]["TaiLieuNop"][1]["sha256"]) == 64


def test_a_push_without_the_right_token_is_refused_with_401(client, hub):
    envelope = new_dossier()
    for token in (None, "sai-ma", ""):
        response = push(client, envelope, token=token)
        assert response.status_code == 401
        assert response.json()["error_code"] == -1
    response = client.post(PUSH_URL, data="{}", content_type="application/json",
                           HTTP_AUTHORIZATION=f"Basic {PUSH_TOKEN}")  # fmt: skip
    assert response.status_code == 401
    assert not Dossier.objects.exists() and not InboundMessage.objects.exists()


def test_bad_input_is_answered_with_error_code_never_a_500(client, hub):
    for body, status in (("không phải JSON", 400), ("[1, 2]", 400), ('{"MaBanTin": "x"}', 400),
                         (b"\xff\xfe", 400)):  # fmt: skip
        response = push(client, body)
        assert response.status_code == status, body
        assert response.json()["error_code"] == -1
    assert client.get(PUSH_URL).status_code == 405
    # A well-formed envelope missing the applicant is refused, and kept as refused.
    envelope = new_dossier(ChuHoSo="")
    response = push(client, envelope)
    assert response.status_code == 200 and response.json()["error_code"] == -1
    assert InboundMessage.objects.get(message_id=envelope["MaBanTin"]).status == "refused"


def test_an_unknown_procedure_waits_in_the_unmapped_queue_then_is_imported(client, hub):
    papers = [{"TenTepDinhKem": "don.pdf", "MaThanhPhanHoSo": "1", "Base64": b64(make_pdf())}]
    envelope = new_dossier(papers, procedure="2.000999.000.00.00.H99")

    response = push(client, envelope)
    assert response.json()["error_code"] == 0  # the hub must not resend it
    message = InboundMessage.objects.get(message_id=envelope["MaBanTin"])
    assert message.status == "unmapped" and message.dossier is None
    item = UnmappedItem.objects.get(kind=MapKind.PROCEDURE, direction="in")
    assert item.value == "2.000999.000.00.00.H99"
    assert item.context["MaHoSo"] == envelope["MaHoSo"]
    stored = message.payload["DuLieu"]["TaiLieuNop"][0]["stored"]
    assert stored.startswith("inbound/") and default_storage.exists(stored)
    assert not Dossier.objects.exists()
    # A repeat while it waits is a duplicate, not a second parked copy.
    assert push(client, {**envelope, "MaBanTin": "BT-khac"}).json()["error_code"] == 1

    assert inbound_retry_unmapped(item)["unmapped"] == 1  # still no mapping: nothing changes
    CodeMap.objects.create(target=item.target, kind=MapKind.PROCEDURE, local="1.001122",
                           remote="2.000999.000.00.00.H99")  # fmt: skip
    report = inbound_retry_unmapped(item)

    assert report["accepted"] == 1
    message.refresh_from_db()
    dossier = Dossier.objects.get(code=envelope["MaHoSo"])
    assert message.status == "accepted" and message.dossier == dossier
    assert dossier.status == Status.SUBMITTED
    assert dossier.components.get().sha256 == message.payload["DuLieu"]["TaiLieuNop"][0]["sha256"]
    assert not default_storage.exists(stored)  # now the component's copy
    item.refresh_from_db()
    assert item.resolved_at is not None


def test_an_unknown_unit_is_parked_too(hub):
    envelope = new_dossier(unit="000.99.99.H99")
    outcome = inbound_receive(envelope, "push")
    assert outcome.error_code == 0 and outcome.status == "unmapped"
    assert UnmappedItem.objects.get(kind=MapKind.UNIT).value == "000.99.99.H99"
    CodeMap.objects.create(target=UnmappedItem.objects.get().target, kind=MapKind.UNIT,
                           local="000.00.10.H99", remote="000.99.99.H99")  # fmt: skip
    message = InboundMessage.objects.get(message_id=envelope["MaBanTin"])
    assert inbound_retry_unmapped(message)["accepted"] == 1
    assert Dossier.objects.get(code=envelope["MaHoSo"]).receiving_agency.code == "000.00.10.H99"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_simulator_pushes_a_dossier_to_the_live_portal(
    live_server,
    national_hub,
    online_procedure,
):
    hub_target(national_hub.url)
    control = national_hub.control
    control.configure(province_push_url=live_server.url + PUSH_URL,
                      province_push_token=PUSH_TOKEN)  # fmt: skip
    paper = control.add_file("don.pdf", make_pdf(), "application/pdf")
    envelope = new_dossier([{"TenTepDinhKem": "don.pdf", "MaThanhPhanHoSo": "1",
                             "DuongDanTaiTepTin": paper["url"]}])  # fmt: skip
    envelope.pop("MaBanTin")  # the hub numbers its messages

    queued = control.queue_inbound(envelope)

    def delivered():
        records = [r for r in control.inbound() if r["envelope"]["MaBanTin"] == queued["MaBanTin"]]
        return records[0] if records and records[0]["acknowledged"] else None

    record = control.wait_until(delivered, timeout=15)
    assert record["acknowledged_by"] == "push"
    assert record["push"][-1]["error_code"] == 0
    dossier = Dossier.objects.get(code=envelope["MaHoSo"])
    assert dossier.status == Status.SUBMITTED and dossier.components.count() == 1
    # After commit the outbox sent the header and status 1 to the hub.
    hub_record = control.wait_until(lambda: control.dossier(dossier.code), timeout=10)
    assert [int(e["TrangThai"]) for e in hub_record["TienDo"]] == [1]
    assert hub_record["header"]["NoiNopHoSo"] == "1"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_messages_for_one_national_dossier_at_once_make_one_dossier(
    national_hub,
    online_procedure,
):
    hub_target(national_hub.url)
    envelope = new_dossier()
    twins = [envelope, {**envelope, "MaBanTin": envelope["MaBanTin"] + "-b"}]
    barrier = threading.Barrier(len(twins))
    outcomes = []

    def receive(item):
        try:
            barrier.wait(timeout=10)
            outcomes.append(inbound_receive(item, "push"))
        finally:
            connection.close()

    threads = [threading.Thread(target=receive, args=(item,)) for item in twins]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcome.error_code for outcome in outcomes) == [0, 1]
    assert Dossier.objects.filter(code=envelope["MaHoSo"]).count() == 1
    assert InboundMessage.objects.filter(status="accepted").count() == 1
