"""PayGov for one payment: INIT, confirmations received, QUERY, applying a
confirmed transaction through the shared payment rules.

Every message in or out is kept raw in PaymentMessage; an incoming one is kept
with ``verified`` (its MaXacThuc checked in constant time) before anything
else happens. A dossier is paid only on a verified confirmation with MaLoi
"00", TrangThaiGD "1" and the amount owed (``payment_confirm``)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.models import Dossier, GatewayFlag, Payment, PaymentStatus
from dossiers.services import DossierError
from dossiers.services.payments import Confirmation, payment_confirm
from tthc_portal.audit.services import audit_record

from ..config import code_maps
from ..hub.messages import wire_time
from ..models import MapKind, PaymentMessage, ReplyClass
from .client import paygov_post
from .messages import (
    CONFIRM_FIELDS,
    FAILED,
    INIT_FIELDS,
    OK,
    PAID,
    QUERY_FIELDS,
    Partner,
    PayGovNotConfigured,
    confirmation_fields,
    paygov_mac_valid,
    paygov_partner,
    paygov_signed,
)

GATEWAY_CODE = "paygov"
IN, OUT = "in", "out"


@dataclass
class Outcome:
    """What became of one confirmation (or QUERY answer)."""

    verified: bool
    payment: Payment | None = None
    applied: bool = False  # the payment changed state because of this message
    error: str = ""
    # Money taken that the portal could not apply (amount differs, payment closed):
    # {"reference", "field", "local", "paygov"}.
    mismatch: dict | None = None


def _message(payment: Payment | None, reference: str, direction: str, kind: str, body: Any,
             verified: bool | None = None) -> PaymentMessage:  # fmt: skip
    if not isinstance(body, dict):
        body = {"_raw": None if body is None else str(body)[:2000]}
    return PaymentMessage.objects.create(
        payment=payment, reference=reference[:100], direction=direction, kind=kind,
        body=body, verified=verified,
    )  # fmt: skip


def _absolute(name: str, partner: Partner) -> str:
    """PayGov reaches the portal at its public address, not the request's host."""
    base = str(partner.options.get("portal_url") or settings.TTHC["SITE_URL"]).rstrip("/")
    return base + reverse(name)


def _fee_rows(partner: Partner, payment: Payment) -> list[dict]:
    rows = []
    for item in payment.fee_items or []:
        amount = int(item.get("amount_vnd") or 0)
        if amount <= 0:
            continue
        local = str(item.get("fee") or item.get("name", ""))
        rows.append({
            "LoaiPhiLePhi": "2" if item.get("kind") == "charge" else "1",
            "MaPhiLePhi": code_maps(partner.target).get((MapKind.FEE, local), local),
            "TenPhiLePhi": str(item.get("name", "")),
            "SoTien": str(amount),
        })  # fmt: skip
    return rows


def _init_body(partner: Partner, payment: Payment, reference: str, client_ip: str) -> dict:
    dossier: Dossier = payment.dossier
    procedure = dossier.procedure_version.procedure
    local_code = procedure.code or f"local:{procedure.pk}"
    options = partner.options
    body = {
        "LoaiBanTin": "INIT",
        "PhienBan": partner.version,
        "MaDoiTac": partner.code,
        "MaThamChieu": reference,
        "SoTien": str(payment.amount_vnd),
        "LoaiHinhThanhToan": "PAY",
        "MaKenhThanhToan": str(options.get("channel", "1")),
        "MaThietBi": str(options.get("device", "1")),
        "NgonNgu": "vi-VN",
        "MaTienTe": "VND",
        "MaNganHang": str(options.get("bank", "")),
        "ThongTinGiaoDich": f"Nộp phí, lệ phí hồ sơ {dossier.code or dossier.pk}"[:255],
        "ThoiGianGD": wire_time(timezone.now()),
        "Ip": client_ip,
    }
    body = paygov_signed(body, INIT_FIELDS, partner.secret)
    body["UrlTraVe"] = _absolute("integrations:paygov_return", partner)
    body["UrlThongBao"] = _absolute("integrations:paygov_notify", partner)
    body["ThongTinBienLai"] = {
        "MaDVC": str(options.get("service_code", "")),
        "MaTTHC": code_maps(partner.target).get((MapKind.PROCEDURE, local_code))
        or procedure.localised_code,
        "MaDonVi": code_maps(partner.target).get(
            (MapKind.UNIT, dossier.receiving_agency.code), dossier.receiving_agency.code
        ),
        "MaHoSo": dossier.code or "",
        "HoTenNguoiNop": dossier.applicant_name,
        "SoGiayToNguoiNop": dossier.applicant_id_number,
        "DiaChiNguoiNop": dossier.applicant_address,
        "PhiLePhi": _fee_rows(partner, payment),
    }
    return body


def paygov_reference(payment: Payment) -> str:
    """MaThamChieu, unique per attempt: the dossier code and the time (plus a
    few random characters, so two clicks in one second still differ)."""
    base = payment.dossier.code or f"HS{payment.dossier_id}"
    return f"{base}-{timezone.localtime():%Y%m%d%H%M%S}{secrets.token_hex(2).upper()}"


def paygov_init(payment: Payment, *, client_ip: str = "") -> str:
    """Open the transaction at PayGov; the URL of its payment page."""
    try:
        partner = paygov_partner(payment.dossier.receiving_agency_id)
    except PayGovNotConfigured:
        raise DossierError(_("Chưa cấu hình kết nối nền tảng thanh toán PayGov.")) from None
    reference = paygov_reference(payment)
    body = _init_body(partner, payment, reference, client_ip[:45])
    _message(payment, reference, OUT, "INIT", body)
    reply = paygov_post(partner.target, "paygov_init", body, dossier_id=payment.dossier_id)
    _message(payment, reference, IN, "INIT_REPLY", reply.body)
    url = reply.body.get("UrlThanhToan") if isinstance(reply.body, dict) else None
    if reply.reply_class != ReplyClass.OK or not isinstance(url, str) or not url:
        raise DossierError(
            _("Nền tảng thanh toán PayGov chưa mở được giao dịch, xin thử lại sau ít phút.")
        )
    return url


def _payment_of(reference: str) -> Payment | None:
    row = (
        PaymentMessage.objects.filter(
            reference=reference, direction=OUT, kind="INIT", payment__isnull=False
        )
        .select_related("payment__dossier")
        .first()
    )
    return row.payment if row is not None else None


def _references(payment: Payment) -> list[str]:
    """The payment's INIT references, newest first."""
    return list(
        PaymentMessage.objects.filter(payment=payment, direction=OUT, kind="INIT")
        .order_by("-at", "-pk")
        .values_list("reference", flat=True)
    )


def _partner_for(payment: Payment | None) -> Partner:
    return paygov_partner(payment.dossier.receiving_agency_id if payment is not None else None)


def paygov_confirmation_receive(raw: Any, *, via: str) -> Outcome:
    """A confirmation POSTed by PayGov (``via`` "IPN") or carried by the browser's
    return (``via`` "RETURN"): recorded, verified, and — server-to-server only —
    applied. The browser's copy never marks a payment paid by itself."""
    reference = str(raw.get("MaThamChieu") or "") if hasattr(raw, "get") else ""
    payment = _payment_of(reference) if reference else None
    fields = confirmation_fields(raw)
    body = dict(raw.items()) if hasattr(raw, "items") else raw
    try:
        partner = _partner_for(payment)
    except PayGovNotConfigured:
        _message(payment, reference, IN, via, body, verified=False)
        return Outcome(False, payment, error=_("Chưa cấu hình kết nối PayGov."))
    verified = bool(
        fields is not None
        and fields["MaDoiTac"] == partner.code
        and paygov_mac_valid(fields, CONFIRM_FIELDS, partner.secret)
    )
    row = _message(payment, reference, IN, via, body, verified=verified)
    if not verified:
        audit_record(actor=None, action="payment.paygov_refused", target=row,
                     after={"reference": reference, "via": via})  # fmt: skip
        return Outcome(False, payment, error=_("Mã xác thực (MaXacThuc) không hợp lệ."))
    if payment is None:
        return Outcome(True, None, error=_("Không tìm thấy giao dịch thanh toán."))
    if via == "RETURN":
        return Outcome(True, payment)
    return paygov_apply(payment, reference, fields)


def paygov_apply(payment: Payment, reference: str, fields: dict[str, str]) -> Outcome:
    """Apply a verified confirmation (shared rules: once, amount, audit, receipt)."""
    before = payment.status
    if fields["MaLoi"] != OK or fields["TrangThaiGD"] not in (PAID, FAILED):
        return Outcome(True, payment)  # not a final answer: nothing to apply
    paid = fields["TrangThaiGD"] == PAID
    if not paid and reference != next(iter(_references(payment)), reference):
        # An older attempt was cancelled; the citizen went on with a newer one.
        return Outcome(True, payment)
    try:
        amount = int(fields["SoTien"])
    except ValueError:
        amount = -1
    try:
        payment = payment_confirm(
            payment_id=payment.pk,
            confirmation=Confirmation(
                amount_vnd=amount, paid=paid, transaction_ref=fields["MaGiaoDich"],
                gateway=GATEWAY_CODE, flag=GatewayFlag.NATIONAL,
            ),
        )  # fmt: skip
    except DossierError as error:
        mismatch = paygov_mismatch_record(
            payment, reference, "SoTien", str(payment.amount_vnd), fields["SoTien"]
        )
        return Outcome(True, payment, error=str(error.message), mismatch=mismatch)
    applied = payment.status != before
    if (
        paid
        and not applied
        and not (payment.status == PaymentStatus.PAID
                 and payment.transaction_ref == fields["MaGiaoDich"][:64])
    ):  # fmt: skip
        # PayGov took money the portal holds no open payment for (paid twice, or
        # after the attempt was recorded failed): the office must settle it.
        mismatch = paygov_mismatch_record(payment, reference, "TrangThaiGD", payment.status, PAID)
        return Outcome(True, payment, mismatch=mismatch)
    return Outcome(True, payment, applied=applied)


def paygov_mismatch_record(
    payment: Payment, reference: str, field: str, local: str, remote: str
) -> dict:
    """Audit a difference between the portal and PayGov (the office settles it)."""
    mismatch = {"reference": reference, "field": field, "local": local, "paygov": remote}
    audit_record(actor=None, action="payment.paygov_mismatch", target=payment.dossier,
                 after={"payment": str(payment.reference), **mismatch})  # fmt: skip
    return mismatch


def paygov_query(payment: Payment, reference: str) -> dict[str, str] | None:
    """QUERY one reference; the verified confirmation fields, or None (PayGov
    unreachable, unknown reference, or an answer whose MaXacThuc is wrong)."""
    try:
        partner = _partner_for(payment)
    except PayGovNotConfigured:
        return None
    body = paygov_signed(
        {"LoaiBanTin": "QUERY", "PhienBan": partner.version, "MaDoiTac": partner.code,
         "MaThamChieu": reference, "ThoiGianGD": wire_time(timezone.now())},
        QUERY_FIELDS, partner.secret,
    )  # fmt: skip
    _message(payment, reference, OUT, "QUERY", body)
    reply = paygov_post(partner.target, "paygov_query", body, dossier_id=payment.dossier_id)
    fields = confirmation_fields(reply.body) if reply.reply_class == ReplyClass.OK else None
    verified = bool(
        fields is not None
        and fields["MaThamChieu"] == reference
        and fields["MaDoiTac"] == partner.code
        and paygov_mac_valid(fields, CONFIRM_FIELDS, partner.secret)
    )
    _message(payment, reference, IN, "QUERY_REPLY", reply.body,
             verified=verified if fields is not None else None)  # fmt: skip
    return fields if verified else None


def paygov_answers(payment: Payment) -> list[tuple[str, dict[str, str] | None]]:
    """(reference, verified answer or None) of each of the payment's attempts, newest first."""
    return [(reference, paygov_query(payment, reference)) for reference in _references(payment)]


def paygov_settle(payment: Payment, answers: list | None = None) -> Outcome:
    """Apply what PayGov says of the payment's attempts: the browser came back
    before PayGov's own message, or that message was lost. A paid attempt wins
    over a cancelled newer one (two tabs); a second paid one is a mismatch."""
    answers = paygov_answers(payment) if answers is None else answers
    known = [(reference, fields) for reference, fields in answers if fields is not None]
    if not known:
        return Outcome(False, payment, error=_("Chưa truy vấn được PayGov."))
    paid = [(ref, fields) for ref, fields in known
            if fields["MaLoi"] == OK and fields["TrangThaiGD"] == PAID]  # fmt: skip
    outcome = None
    for reference, fields in paid or known[:1]:
        result = paygov_apply(payment, reference, fields)
        payment = result.payment or payment
        outcome = outcome or result
        if result.mismatch and outcome.mismatch is None:
            outcome.mismatch = result.mismatch
    return outcome
