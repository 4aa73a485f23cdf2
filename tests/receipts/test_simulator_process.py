"""The receipt provider simulator is a real HTTP server in its own process: started by
the tests, fault rules through its admin API, state kept across a restart."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request

import pytest

from receipts.simulator import ReceiptProviderProcess


def post(url: str, body, headers=None):
    request = urllib.request.Request(  # noqa: S310 - the simulator's loopback URL
        url, data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json", **(headers or {})},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=5) as reply:  # noqa: S310
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


ISSUE = "/services/einvoiceapplication/api/InvoiceAPI/InvoiceWS/createInvoice/0100109106"


def invoice(key: str, number: int) -> dict:
    return {
        "generalInvoiceInfo": {"templateCode": "EBL01", "invoiceSeries": "26TTP",
                               "invoiceNumber": number, "transactionUuid": key},
        "itemInfo": [{"itemName": "Lệ phí", "itemTotalAmountWithoutTax": 50000}],
        "summarizeInfo": {"totalAmountWithTax": 50000},
    }  # fmt: skip


def test_separate_process_with_faults_and_persistent_state(tmp_path):
    process = ReceiptProviderProcess(tmp_path / "provider.json").start()
    try:
        assert process.process.pid != os.getpid()
        control = process.control
        control.configure(accounts={"u": "p"})
        assert post(process.url + ISSUE, invoice("k1", 1))[0] == 401  # no token
        status, token = post(process.url + "/auth/login", {"username": "u", "password": "p"})
        auth = {"Authorization": f"Bearer {token['access_token']}"}
        assert status == 200

        control.faults(control.rule("createInvoice", "http", 503, count=1))
        assert post(process.url + ISSUE, invoice("k1", 1), auth)[0] == 503
        assert control.receipts() == []  # a 5xx fault processes nothing
        assert post(process.url + ISSUE, invoice("k1", 1), auth)[0] == 200
        status, body = post(process.url + ISSUE, invoice("k1", 2), auth)
        assert (status, body["errorCode"]) == (400, "DUPLICATE_TRANSACTION_UUID")

        control.faults(control.rule("createInvoice", "duplicate", count=1))
        status, body = post(process.url + ISSUE, invoice("k2", 2), auth)
        assert body["errorCode"] == "DUPLICATE_TRANSACTION_UUID"
        assert [r["transactionUuid"] for r in control.receipts()] == ["k1", "k2"]

        with pytest.raises(urllib.error.HTTPError):
            control.faults({"match": "x", "kind": "nonsense"})

        process.stop()  # SIGTERM: the state is written
        process.start()
        assert len(process.control.receipts()) == 2
    finally:
        process.stop()
