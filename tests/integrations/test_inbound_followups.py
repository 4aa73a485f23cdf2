"""Messages about a national dossier already here: withdrawal, supplement, payment, rating."""

from __future__ import annotations

import pytest

from dossiers.models import Dossier, GatewayFlag, PaymentStatus, Status
from dossiers.services.decisions import supplement_draft, supplement_issue
from dossiers.services.processing import dossier_transfer, step_complete
from dossiers.services.reception import dossier_receive, dossier_refuse, dossier_request_completion
from integrations.inbound import inbound_receive
from integrations.models import InboundMessage, PaymentMessage
from tests.dossiers.files import EXE, make_pdf
from tests.integrations.inbound_helpers import b64, follow_up, hub_target, new_dossier

pytestmark = pytest.mark.django_db
DESK, SPECIALIST, HEAD = "motcua.tuphap", "chuyenvien.tuphap", "lanhdao.tuphap"


@pytest.fixture
def hub(national_hub, online_procedure):
    hub_target(national_hub.url)
    return national_hub


def _paper(order: int, name: str = "") -> dict:
    return {"TenTepDinhKem": name or f"tp{order}.pdf", "MaThanhPhanHoSo": str(order),
            "Base64": b64(make_pdf())}  # fmt: skip


@pytest.fixture
def national(hub) -> Dossier:
    """A national dossier waiting at the desk, without its second required component."""
    envelope = new_dossier([_paper(1)])
    assert inbound_receive(envelope, "push").status == "accepted"
    return Dossier.objects.get(code=envelope["MaHoSo"])


def _kept(envelope) -> InboundMessage:
    return InboundMessage.objects.get(message_id=envelope["MaBanTin"])


def test_a_withdrawal_request_withdraws_the_dossier(national):
    envelope = follow_up("RutHoSo", national.code, LyDo="Không còn nhu cầu",
                         ThoiGianYeuCau="20260106100000")  # fmt: skip
    outcome = inbound_receive(envelope, "push")

    assert outcome.error_code == 0
    national.refresh_from_db()
    assert national.status == Status.WITHDRAWN
    assert national.stop_reason == "Không còn nhu cầu"
    assert national.stop_request_channel == "Cổng DVCQG"
    assert national.history.last().action == "withdraw" and national.history.last().actor is None
    assert _kept(envelope).dossier == national
    # Asked again (another message): the hub is told it was done already.
    assert inbound_receive(follow_up("RutHoSo", national.code), "push").error_code == 1


def test_a_withdrawal_the_state_does_not_allow_is_refused_and_kept(national, users):
    dossier_refuse(actor=users[DESK], dossier=national, reason="Sai thẩm quyền")
    envelope = follow_up("RutHoSo", national.code, LyDo="Rút")

    outcome = inbound_receive(envelope, "push")

    assert outcome.error_code == -1 and "Từ chối tiếp nhận" in outcome.message
    assert _kept(envelope).status == "refused" and _kept(envelope).error == outcome.message
    national.refresh_from_db()
    assert national.status == Status.REFUSED
    # The same message again gets the same answer.
    assert inbound_receive(envelope, "pull").reply() == outcome.reply()


def test_a_follow_up_for_an_unknown_dossier_is_refused(hub):
    for kind, data in (("RutHoSo", {"LyDo": "x"}), ("BoSung", {}), ("DanhGia", {"MucDo": "1"}),
                       ("ThanhToan", {"MaGiaoDich": "GD1", "SoTien": "1000"})):  # fmt: skip
        envelope = follow_up(kind, "G22.99-000000-9999", **data)
        outcome = inbound_receive(envelope, "pull")
        assert (outcome.error_code, outcome.message) == (-1, "Không tìm thấy hồ sơ"), kind
        assert _kept(envelope).status == "refused"


def test_a_supplement_completes_the_dossier_and_sends_it_back_to_the_desk(national, users):
    items = [{"name": "Sơ yếu lý lịch", "reason": "Chưa nộp"}]
    dossier_request_completion(actor=users[DESK], dossier=national, items=items)
    papers = [_paper(2, "ly-lich.pdf"), {"TenTepDinhKem": "virus.pdf", "Base64": b64(EXE)}]
    envelope = follow_up("BoSung", national.code, GhiChu="Bổ sung lý lịch", TaiLieuNop=papers)

    outcome = inbound_receive(envelope, "push")

    assert outcome.error_code == 0
    national.refresh_from_db()
    assert national.status == Status.SUBMITTED
    assert national.history.last().action == "resubmit"
    assert sorted(c.requirement.order for c in national.components.all()) == [1, 2]
    problems = _kept(envelope).problems
    assert [p["file"] for p in problems] == ["virus.pdf"]
    assert national.form_data["inbound_problems"] == problems


def test_a_supplement_the_dossier_does_not_wait_for_is_refused(national):
    envelope = follow_up("BoSung", national.code, TaiLieuNop=[_paper(2)])
    outcome = inbound_receive(envelope, "push")
    assert outcome.error_code == -1 and "không chờ bổ sung" in outcome.message
    assert national.components.count() == 1


def test_a_supplement_still_incomplete_changes_nothing_and_says_why(national, users):
    items = [{"name": "Sơ yếu lý lịch", "reason": "Chưa nộp"}]
    dossier_request_completion(actor=users[DESK], dossier=national, items=items)
    envelope = follow_up("BoSung", national.code, TaiLieuNop=[_paper(3)])  # not the missing one

    outcome = inbound_receive(envelope, "push")

    assert outcome.error_code == -1 and "Sơ yếu lý lịch" in outcome.message
    national.refresh_from_db()
    assert national.status == Status.AWAITING_COMPLETION and national.components.count() == 1
    assert "stored" in _kept(envelope).payload["DuLieu"]["TaiLieuNop"][0]  # kept aside


def test_a_payment_on_the_national_platform_pays_the_open_request(national):
    payment = national.payments.get(status=PaymentStatus.REQUESTED)
    assert payment.amount_vnd == 50000  # the online amount of the fixture's fee
    envelope = follow_up("ThanhToan", national.code, MaThamChieu="TC-1", MaGiaoDich="GD-0001",
                         SoTien="50000", ThoiGianGD="20260106101500",
                         PhiLePhi=[{"MaPhiLePhi": "LP1", "SoTien": "50000"}])  # fmt: skip

    assert inbound_receive(envelope, "push").error_code == 0

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.gateway_flag == GatewayFlag.NATIONAL
    assert payment.transaction_ref == "GD-0001" and payment.receipt_no
    assert PaymentMessage.objects.get(payment=payment).body["MaThamChieu"] == "TC-1"
    # A replay of the same transaction is a duplicate; nothing is paid twice.
    replay = follow_up("ThanhToan", national.code, MaGiaoDich="GD-0001", SoTien="50000")
    assert inbound_receive(replay, "push").error_code == 1
    assert national.payments.filter(status=PaymentStatus.PAID).count() == 1


def test_a_payment_of_another_amount_is_refused(national):
    envelope = follow_up("ThanhToan", national.code, MaGiaoDich="GD-0002", SoTien="100000")
    outcome = inbound_receive(envelope, "push")
    assert outcome.error_code == -1 and "không khớp" in outcome.message
    assert national.payments.get().status == PaymentStatus.REQUESTED
    assert _kept(envelope).status == "refused"


def test_a_rating_is_kept_with_its_dossier(national):
    envelope = follow_up("DanhGia", national.code, MucDo="2", NoiDung="Chờ lâu")
    assert inbound_receive(envelope, "push").error_code == 0
    assert _kept(envelope).dossier == national
    assert _kept(envelope).payload["DuLieu"]["NoiDung"] == "Chờ lâu"
    wrong = follow_up("DanhGia", national.code, MucDo="5")
    assert inbound_receive(wrong, "push").error_code == -1


def test_a_supplement_during_processing_resumes_it(hub, workflow_procedure, users):
    envelope = new_dossier([_paper(1), _paper(2)])
    assert inbound_receive(envelope, "push").status == "accepted"
    dossier = Dossier.objects.get(code=envelope["MaHoSo"])
    dossier = dossier_transfer(
        actor=users[DESK], dossier=dossier_receive(actor=users[DESK], dossier=dossier)
    )
    step_complete(actor=users[HEAD], step=dossier.current_step, assignee=users[SPECIALIST])
    items = [{"name": "Bản sao quyết định", "reason": "Không rõ nét"}]
    request = supplement_draft(actor=users[SPECIALIST], dossier=dossier, items=items)
    supplement_issue(actor=users[HEAD], request=request)
    dossier.refresh_from_db()
    assert dossier.status == Status.AWAITING_SUPPLEMENT
    # The dossier's code as it is now (reception gives it the local one for the time being).
    supplement = follow_up("BoSung", dossier.code, TaiLieuNop=[_paper(3, "quyet-dinh.pdf")])

    assert inbound_receive(supplement, "push").error_code == 0

    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROCESSING
    assert dossier.history.last().action == "supplement" and dossier.history.last().actor is None
    assert not dossier.pauses.filter(ended_at__isnull=True).exists()
    assert dossier.components.filter(original_filename="quyet-dinh.pdf").exists()
