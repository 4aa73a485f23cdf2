"""Viettel's S-Invoice REST/JSON API, as public integration clients use it
(desk-operations.md §2 [code]): a token, ``createInvoice/{taxCode}`` with
``generalInvoiceInfo``, ``buyerInfo``, ``payments``, ``itemInfo``, ``summarizeInfo`` and a
``transactionUuid`` (searchable, our idempotency key), ``cancelTransactionInvoice``.

Calls go through ``integrations.transport.TargetClient.post``: the target's timeouts,
every attempt logged with secrets redacted. Success is decided from the HTTP status
and ``errorCode`` only, never from the words of ``description``."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.utils import timezone

from integrations.models import ReplyClass
from integrations.transport import TargetClient, credential_for

from ..models import Receipt
from . import Outcome, ProviderResult, ReceiptProvider

PREFIX = "/services/einvoiceapplication/api"
PATHS = {
    "token": "/auth/login",
    "issue": PREFIX + "/InvoiceAPI/InvoiceWS/createInvoice/{tax_code}",
    "view": PREFIX + "/InvoiceAPI/InvoiceUtilsWS/searchInvoiceByTransactionUuid",
    "void": PREFIX + "/InvoiceAPI/InvoiceWS/cancelTransactionInvoice",
}
# errorCode values that mean "this transactionUuid was used already".
DUPLICATE_CODES = {"DUPLICATE_TRANSACTION_UUID", "TRANSACTION_UUID_EXISTED"}
PAYMENT_NAMES = {"TM": "TM", "CK": "CK", "THE": "THE", "TTO": "TTO"}
_TRANSIENT = {ReplyClass.TIMEOUT, ReplyClass.SERVER, ReplyClass.DOWN}


def classify(status: int, body: Any) -> str:
    if status in (401, 403):
        return ReplyClass.AUTH
    if status in (502, 503, 504):
        return ReplyClass.DOWN
    if status >= 500 or status in (404, 405):
        return ReplyClass.SERVER
    if not isinstance(body, dict):
        return ReplyClass.SERVER
    code = body.get("errorCode")
    if status == 200 and code in (None, "", 0, "0"):
        return ReplyClass.OK
    if code in DUPLICATE_CODES:
        return ReplyClass.EXISTS
    return ReplyClass.VALIDATION


def _date_ms(value) -> int:
    return int((value or timezone.now()).timestamp() * 1000)


class ViettelProvider(ReceiptProvider):
    def __init__(self, target) -> None:
        super().__init__(target)
        self.credential = credential_for(target, None, "")
        self.client = TargetClient(target, self.credential)

    # -- plumbing ---------------------------------------------------------------------
    def _url(self, operation: str, **kwargs: str) -> str:
        path = (self.target.paths or {}).get(operation, PATHS[operation])
        return self.target.base_url.rstrip("/") + path.format(**kwargs)

    def _token(self, *, fresh: bool = False) -> str | None:
        """The cached token; None when the login itself failed for a transport reason."""
        if self.credential is None:
            return ""
        key = self.credential.cache_key
        if not fresh and (token := cache.get(key)):
            return token
        reply = self.client.post(
            self._url("token"), operation="receipt.token", dossier_id=None,
            log_body={"username": self.credential.username, "password": "***"},
            json={"username": self.credential.username, "password": self.credential.secret},
            classify_reply=classify,
        )  # fmt: skip
        token = reply.body.get("access_token", "") if isinstance(reply.body, dict) else ""
        if not token:
            return None
        cache.set(key, token, max(int(reply.body.get("expires_in") or 3600) - 60, 30))
        return token

    def _call(self, operation: str, url: str, body: dict, receipt: Receipt) -> tuple[str, Any]:
        """(reply class, body); renews the token once on 401."""
        for fresh in (False, True):
            token = self._token(fresh=fresh)
            if token is None:
                last = self.client.attempts[-1] if self.client.attempts else None
                return (last.reply_class if last else ReplyClass.DOWN), None
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            reply = self.client.post(
                url, operation=f"receipt.{operation}", dossier_id=receipt.dossier_id,
                log_body=body, json=body, headers=headers, classify_reply=classify,
            )  # fmt: skip
            if reply.reply_class != ReplyClass.AUTH or self.credential is None:
                return reply.reply_class, reply.body
            cache.delete(self.credential.cache_key)
        return reply.reply_class, reply.body

    @staticmethod
    def _result(reply_class: str, body: Any) -> ProviderResult:
        message = ""
        if isinstance(body, dict):
            message = str(body.get("description") or body.get("errorCode") or "")[:500]
        if reply_class in _TRANSIENT or reply_class == ReplyClass.AUTH:
            return ProviderResult(Outcome.TRANSIENT, message=message or reply_class)
        if reply_class == ReplyClass.EXISTS:
            return ProviderResult(Outcome.EXISTS, message=message)
        if reply_class != ReplyClass.OK:
            return ProviderResult(Outcome.REFUSED, message=message)
        result = body.get("result") or {}
        return ProviderResult(
            Outcome.OK,
            provider_ref=str(result.get("invoiceNo") or ""),
            number=result.get("invoiceNumber"),
        )

    # -- payload ----------------------------------------------------------------------
    def _invoice(self, receipt: Receipt, *, original: Receipt | None = None) -> dict:
        general = {
            "invoiceType": "02_BLDT",  # electronic fee receipt
            "templateCode": receipt.template_symbol,
            "invoiceSeries": receipt.receipt_symbol,
            "invoiceNumber": receipt.number,
            "invoiceIssuedDate": _date_ms(receipt.created_at),
            "currencyCode": "VND",
            "adjustmentType": "1",
            "paymentStatus": True,
            "transactionUuid": receipt.key,
            "collectionPoint": receipt.series.point_code,
        }
        if original is not None:
            general.update(
                adjustmentType="3",
                originalInvoiceId=original.provider_ref,
                originalInvoiceIssueDate=_date_ms(original.issued_at),
                additionalReferenceDesc=receipt.reason[:255],
            )
        return {
            "generalInvoiceInfo": general,
            "sellerInfo": {"sellerLegalName": receipt.series.organisation_name,
                           "sellerTaxCode": receipt.tax_code},
            "buyerInfo": {"buyerName": receipt.payer_name, "buyerIdNo": receipt.payer_id_masked},
            "payments": [{"paymentMethodName": PAYMENT_NAMES.get(receipt.method, "TM")}],
            "itemInfo": [
                {"lineNumber": index, "itemName": item["name"], "itemTotalAmountWithoutTax":
                 item["amount_vnd"], "itemNote": item.get("amount_words", "")}
                for index, item in enumerate(receipt.fee_items, start=1)
            ],
            "summarizeInfo": {"totalAmountWithoutTax": receipt.amount_vnd,
                              "totalAmountWithTax": receipt.amount_vnd,
                              "totalAmountInWords": receipt.amount_words},
        }  # fmt: skip

    # -- operations -------------------------------------------------------------------
    def issue(self, receipt: Receipt) -> ProviderResult:
        url = self._url("issue", tax_code=receipt.tax_code)
        return self._result(*self._call("issue", url, self._invoice(receipt), receipt))

    def replace(self, receipt: Receipt, original: Receipt) -> ProviderResult:
        url = self._url("issue", tax_code=receipt.tax_code)
        body = self._invoice(receipt, original=original)
        return self._result(*self._call("replace", url, body, receipt))

    def view(self, receipt: Receipt) -> ProviderResult:
        body = {"supplierTaxCode": receipt.tax_code, "transactionUuid": receipt.key}
        reply_class, reply = self._call("view", self._url("view"), body, receipt)
        if reply_class != ReplyClass.OK:
            return self._result(reply_class, reply)
        found = [row for row in (reply.get("result") or []) if isinstance(row, dict)]
        if not found:
            return ProviderResult(Outcome.NOT_FOUND)
        row = found[0]
        return ProviderResult(
            Outcome.OK, provider_ref=str(row.get("invoiceNo") or ""),
            number=row.get("invoiceNumber"), message=str(row.get("status") or ""),
        )  # fmt: skip

    def void(self, receipt: Receipt, reason: str) -> ProviderResult:
        body = {
            "supplierTaxCode": receipt.tax_code,
            "invoiceNo": receipt.provider_ref,
            "strIssueDate": _date_ms(receipt.issued_at),
            "additionalReferenceDesc": reason[:255],
        }
        return self._result(*self._call("void", self._url("void"), body, receipt))

    def save_log(self) -> None:
        self.client.attempts_save()
