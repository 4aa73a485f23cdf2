"""Citizens are told what happens (issue #15 item 12): a confirmation with the
tracking link at submission, at payment and at each status; every message names
the dossier and links to it; a supplement message lists what is missing; the
withdrawal message is complete; SMS are consistently accented, or consistently
not when TTHC["SMS_ACCENTS"] is off."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings

from dossiers.defaults import TEMPLATES
from dossiers.services.apology import apology_issue
from dossiers.services.closing import dossier_return, dossier_stop, dossier_withdraw
from dossiers.services.decisions import (
    dossier_approve,
    dossier_reject,
    supplement_draft,
    supplement_issue,
)
from dossiers.services.payments import Confirmation, payment_confirm
from dossiers.services.processing import step_complete
from dossiers.services.reception import dossier_refuse, dossier_request_completion
from dossiers.services.results import result_draft_upload
from dossiers.services.submission import dossier_supplement
from tests.dossiers.files import make_pdf, upload
from tests.dossiers.processing import at, in_processing
from tests.dossiers.test_reception import submitted
from tthc_portal.notifications.gateways import SMSGateway, strip_diacritics
from tthc_portal.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _messages(dossier, key_part: str) -> list[OutboxMessage]:
    """The outbox rows of one notice (both channels), by its dedupe key."""
    return list(
        OutboxMessage.objects.filter(
            topic=f"dossiers.dossier:{dossier.pk}", dedupe_key__contains=f":{key_part}:"
        ).order_by("channel")
    )


def _link(dossier) -> str:
    return f"{django_settings.TTHC['SITE_URL'].rstrip('/')}/ho-so/{dossier.pk}/"


def _assert_names_and_links(dossier, action: str) -> list[OutboxMessage]:
    rows = _messages(dossier, action)
    assert {row.channel for row in rows} == {"email", "sms"}, (action, rows)
    procedure = dossier.procedure_version.name
    for row in rows:
        text = f"{row.subject}\n{row.body}"
        assert _link(dossier) in row.body, (action, row.channel, row.body)
        if dossier.code:
            assert dossier.code in text, (action, row.channel, text)
        assert procedure[:30] in text, (action, row.channel, text)
    return rows


def test_submission_is_confirmed_at_once_with_the_tracking_link(users, online_procedure):
    dossier = submitted(users, online_procedure)
    rows = _assert_names_and_links(dossier, "submit")
    email = next(row for row in rows if row.channel == "email")
    assert "Mã hồ sơ được cấp khi Bộ phận Một cửa tiếp nhận" in email.body
    # Queued in the submission's own transaction, not later by a sweep.
    assert all(row.status == "pending" and row.created_at for row in rows)


def test_a_counter_applicant_gets_the_token_lookup_link(users, online_procedure):
    from dossiers.services.lifecycle import notify_applicant

    dossier = submitted(users, online_procedure)
    type(dossier).objects.filter(pk=dossier.pk).update(applicant=None)
    dossier.refresh_from_db()
    notify_applicant(dossier, "receive", event="counter")
    site = django_settings.TTHC["SITE_URL"].rstrip("/")
    rows = _messages(dossier, "receive")
    assert rows and all(f"{site}/tra-cuu/{dossier.lookup_token}/" in row.body for row in rows)


def test_every_status_message_names_the_dossier_and_links_to_it(users, workflow_procedure, clock):
    dossier = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    _assert_names_and_links(dossier, "receive")
    step = step_complete(actor=users["lanhdao.tuphap"], step=dossier.current_step,
                         assignee=users["chuyenvien.tuphap"])  # fmt: skip
    request = supplement_draft(actor=users["chuyenvien.tuphap"], dossier=dossier,
                               items=[{"name": "Bản sao sổ hộ khẩu", "reason": "Bản chụp mờ"},
                                      {"name": "Giấy ủy quyền", "reason": "Chưa nộp"}])  # fmt: skip
    supplement_issue(actor=users["lanhdao.tuphap"], request=request)
    rows = _assert_names_and_links(dossier, "request_supplement")
    email = next(row for row in rows if row.channel == "email")
    assert "1. Bản sao sổ hộ khẩu: Bản chụp mờ" in email.body
    assert "2. Giấy ủy quyền: Chưa nộp" in email.body
    sms = next(row for row in rows if row.channel == "sms")
    assert "Bản sao sổ hộ khẩu" in sms.body

    clock.set(2025, 3, 4, 9, 0)
    dossier_supplement(actor=users["001085012345"], dossier=dossier)
    apology_issue(actor=users["lanhdao.tuphap"], dossier=dossier, reason="Chờ xác minh",
                  new_due_at=at(2025, 3, 14, 17, 0))  # fmt: skip
    rows = _assert_names_and_links(dossier, "issue_apology")
    email = next(row for row in rows if row.channel == "email")
    assert "Chờ xác minh" in email.body and "17:00 14/03/2025" in email.body
    result_draft_upload(actor=users["chuyenvien.tuphap"], dossier=dossier,
                        upload=upload("kq.pdf", make_pdf()))  # fmt: skip
    step_complete(actor=users["chuyenvien.tuphap"], step=step)
    dossier_approve(actor=users["lanhdao.tuphap"], dossier=dossier)
    _assert_names_and_links(dossier, "approve")
    dossier_return(actor=users["motcua.tuphap"], dossier=dossier, method="desk",
                   returned_to="Nguyễn Văn An")  # fmt: skip
    _assert_names_and_links(dossier, "return_result")


def test_completion_request_before_receipt_lists_the_missing_items(users, online_procedure):
    dossier = submitted(users, online_procedure)
    dossier_request_completion(
        actor=users["motcua.tuphap"], dossier=dossier,
        items=[{"name": "Tờ khai có chữ ký", "reason": "Thiếu chữ ký"}],
        note="Mang bản gốc để đối chiếu.",
    )  # fmt: skip
    rows = _assert_names_and_links(dossier, "request_completion")
    email = next(row for row in rows if row.channel == "email")
    assert "1. Tờ khai có chữ ký: Thiếu chữ ký" in email.body
    assert "Mang bản gốc để đối chiếu." in email.body


def test_refusal_names_the_reason(users, online_procedure):
    dossier = submitted(users, online_procedure)
    dossier_refuse(actor=users["motcua.tuphap"], dossier=dossier, reason="Không thuộc thẩm quyền")
    rows = _assert_names_and_links(dossier, "refuse")
    assert "Không thuộc thẩm quyền" in next(r for r in rows if r.channel == "email").body


def test_withdrawal_message_is_complete(users, workflow_procedure, clock):
    dossier = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    clock.set(2025, 3, 4, 10, 0)
    dossier = dossier_withdraw(actor=users["001085012345"], dossier=dossier,
                               reason="Đã chuyển nơi cư trú")  # fmt: skip
    rows = _assert_names_and_links(dossier, "withdraw")
    email = next(row for row in rows if row.channel == "email")
    for part in (
        "10:00 04/03/2025",  # when
        "Đã chuyển nơi cư trú",  # why
        "dừng giải quyết",  # what it means
        "yêu cầu thanh toán chưa thực hiện đã được hủy",  # fees
        "Giấy tờ bản gốc",  # papers
    ):
        assert part in email.body, part


def test_stop_and_reject_messages_name_and_link(users, workflow_procedure, clock):
    stopped = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    dossier_stop(actor=users["lanhdao.tuphap"], dossier=stopped, reason="Quá hạn bổ sung")
    rows = _assert_names_and_links(stopped, "stop")
    assert "Quá hạn bổ sung" in next(r for r in rows if r.channel == "email").body
    rejected = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 10, 0)
    dossier_reject(actor=users["lanhdao.tuphap"], dossier=rejected, reason="Chưa đủ điều kiện")
    _assert_names_and_links(rejected, "reject")


def test_payment_request_and_confirmation(users, online_procedure):
    dossier = submitted(users, online_procedure)
    rows = _assert_names_and_links(dossier, "payment_requested")
    assert "50.000 đồng" in next(r for r in rows if r.channel == "email").body
    payment = dossier.payments.get()
    payment_confirm(
        payment_id=payment.pk,
        confirmation=Confirmation(amount_vnd=50000, paid=True, transaction_ref="T-1"),
    )
    rows = _assert_names_and_links(dossier, "payment_paid")
    payment.refresh_from_db()
    email = next(r for r in rows if r.channel == "email")
    assert "50.000 đồng" in email.body and payment.receipt_no in email.body
    # A replayed confirmation is not a second payment, nor a second message.
    payment_confirm(
        payment_id=payment.pk,
        confirmation=Confirmation(amount_vnd=50000, paid=True, transaction_ref="T-1"),
    )
    assert len(_messages(dossier, "payment_paid")) == 2


@pytest.mark.parametrize("key", [row[0] for row in TEMPLATES if row[0].startswith("dossier.")])
def test_every_shipped_applicant_template_has_the_link(key):
    _key, _description, _subject, email_body, sms_body = next(r for r in TEMPLATES if r[0] == key)
    assert "{{ link }}" in email_body and "{{ link }}" in sms_body
    # Written with accents: the gateway decides, not the template.
    assert sms_body != strip_diacritics(sms_body)


class _Recorder(SMSGateway):
    sent: list[str] = []

    def send(self, phone: str, text: str, *, idempotency_key: str) -> str:
        self.sent.append(text)
        return idempotency_key


@pytest.mark.parametrize(
    ("accents", "expected"),
    [
        (True, "Hồ sơ đã được tiếp nhận… “Đắk Lắk”"),
        (False, 'Ho so da duoc tiep nhan... "Dak Lak"'),
    ],
)
def test_sms_accent_setting_applies_at_the_gateway(settings, accents, expected):
    settings.TTHC = {**settings.TTHC, "SMS_ACCENTS": accents}
    _Recorder.sent = []
    _Recorder().send("0912345678", "Hồ sơ đã được tiếp nhận… “Đắk Lắk”", idempotency_key="k")
    assert _Recorder.sent == [expected]
    if not accents:
        assert expected.isascii()


def test_sms_accent_setting_covers_an_outbox_delivery(settings, users, online_procedure):
    from tthc_portal.notifications.gateways import get_sms_gateway
    from tthc_portal.notifications.services import outbox_deliver

    settings.SMS_GATEWAY = f"{__name__}._Recorder"
    settings.SMS_GATEWAY_OPTIONS = {}
    settings.TTHC = {**settings.TTHC, "SMS_ACCENTS": False}
    get_sms_gateway.cache_clear()
    _Recorder.sent = []
    try:
        dossier = submitted(users, online_procedure)
        sms = next(row for row in _messages(dossier, "submit") if row.channel == "sms")
        assert "Đã nhận hồ sơ" in sms.body  # stored as written
        assert outbox_deliver(sms.pk) == "sent"
        assert _Recorder.sent and _Recorder.sent[0].startswith("Da nhan ho so")
        assert _Recorder.sent[0].isascii()
    finally:
        get_sms_gateway.cache_clear()
