"""Signing and verifying work from a thread that already runs an asyncio loop
(an async view, or a browser test driving Playwright)."""

from __future__ import annotations

import asyncio

import pytest

from tthc_portal.signing.services import pdf_sign, pdf_verify

# The coroutine gets its own connection (asgiref context): nothing may hold a
# write lock in an outer test transaction.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_sign_and_verify_inside_a_running_loop(agency, result_pdf, monkeypatch):
    # As in the browser tests: the ORM is used from the loop's thread on purpose.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    async def inside():
        signed = pdf_sign(result_pdf, agency=agency, signer_name="Lãnh đạo", reason="Ký thử",
                          location="Tỉnh Demo")  # fmt: skip
        return pdf_verify(signed)

    report = asyncio.run(inside())
    assert report.valid and agency.name in report.signer
