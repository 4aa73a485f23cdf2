"""The pull job (LayHoSoMoi / XacNhanHoSoMoi) over real HTTP against the simulator."""

from __future__ import annotations

import pytest

from dossiers.models import Dossier
from integrations.inbound import inbound_pull
from integrations.models import InboundMessage, SyncAttempt, UnitCredential
from integrations.secrets import secret_encrypt
from integrations.simulator.process import free_port
from integrations.tasks import inbound_pull_task
from tests.dossiers.conftest import JUSTICE
from tests.dossiers.files import make_pdf
from tests.integrations.inbound_helpers import b64, hub_target, new_dossier, push

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub(national_hub, online_procedure):
    return national_hub, hub_target(national_hub.url)


def _records(control) -> dict[str, dict]:
    return {record["envelope"]["MaBanTin"]: record for record in control.inbound()}


def test_pulled_messages_are_imported_then_acknowledged(hub):
    national_hub, target = hub
    control = national_hub.control
    paper = {"TenTepDinhKem": "don.pdf", "MaThanhPhanHoSo": "1", "Base64": b64(make_pdf())}
    first = control.queue_inbound(new_dossier([paper]))
    second = control.queue_inbound(new_dossier(procedure="9.999999"))  # parked, still acked

    report = inbound_pull(target)

    assert report["received"] == 2 and report["accepted"] == 1 and report["unmapped"] == 1
    assert report["acknowledged"] == 2 and report["errors"] == []
    records = _records(control)
    assert records[first["MaBanTin"]]["acknowledged_by"] == "pull"
    assert records[second["MaBanTin"]]["acknowledged"] is True
    assert Dossier.objects.get(code=first["MaHoSo"]).components.count() == 1
    assert InboundMessage.objects.get(message_id=second["MaBanTin"]).status == "unmapped"
    assert set(SyncAttempt.objects.values_list("operation", flat=True)) >= {
        "token", "inbound_pull", "inbound_ack",
    }  # fmt: skip

    again = inbound_pull(target)
    assert again["received"] == 0 and again["calls"] == 1


def test_pushed_then_pulled_gives_one_dossier(client, hub):
    national_hub, _target = hub
    queued = national_hub.control.queue_inbound(new_dossier())
    assert push(client, queued).json() == {"error_code": 0}

    report = inbound_pull_task()  # the beat job: the active hub target

    assert report["received"] == 1 and report["duplicate"] == 1 and report["acknowledged"] == 1
    assert Dossier.objects.filter(code=queued["MaHoSo"]).count() == 1
    assert _records(national_hub.control)[queued["MaBanTin"]]["acknowledged"] is True


def test_a_message_whose_file_cannot_be_fetched_now_is_offered_again(hub):
    national_hub, target = hub
    control = national_hub.control
    unreachable = f"http://127.0.0.1:{free_port()}/tep/x"
    envelope = new_dossier([
        {"TenTepDinhKem": "don.pdf", "MaThanhPhanHoSo": "1", "DuongDanTaiTepTin": unreachable},
    ])  # fmt: skip
    control.queue_inbound(envelope)

    report = inbound_pull(target)

    assert report["deferred"] == 1 and report["acknowledged"] == 0
    assert _records(control)[envelope["MaBanTin"]]["acknowledged"] is False
    assert not Dossier.objects.exists()

    # The hub serves the file again (same message, now with a reachable link).
    paper = control.add_file("don.pdf", make_pdf(), "application/pdf")
    envelope["DuLieu"]["TaiLieuNop"][0]["DuongDanTaiTepTin"] = paper["url"]
    control.queue_inbound(envelope)
    report = inbound_pull(target)
    assert report["accepted"] == 1 and report["acknowledged"] == 1
    assert Dossier.objects.get(code=envelope["MaHoSo"]).components.count() == 1


def test_one_call_per_unit_credential(hub, province):
    national_hub, target = hub
    control = national_hub.control
    units = {
        "tinh-demo": {"client_id": "tinh-demo", "client_secret": "x"},
        JUSTICE: {"client_id": "stp", "client_secret": "mat-khau"},
    }
    control.configure(units=units)
    UnitCredential.objects.filter(target=target).update(unit_code="tinh-demo")
    UnitCredential.objects.create(
        target=target, agency=province[JUSTICE], unit_code=JUSTICE, username="stp",
        secret_encrypted=secret_encrypt("mat-khau"),
    )  # fmt: skip
    justice = control.queue_inbound(new_dossier())
    elsewhere = control.queue_inbound(new_dossier(unit="000.00.11.H99"))

    report = inbound_pull(target)

    # The unit's own credential takes its messages; the default one, asked last, the rest.
    assert report["calls"] == 4 and report["errors"] == []
    assert report["received"] == 2 and report["accepted"] == 2 and report["acknowledged"] == 2
    tokens = SyncAttempt.objects.filter(operation="token").values_list("request_body", flat=True)
    assert sorted('"client_id": "stp"' in body for body in tokens) == [False, True]
    assert Dossier.objects.filter(code__in=[justice["MaHoSo"], elsewhere["MaHoSo"]]).count() == 2
