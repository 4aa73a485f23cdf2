"""Double-clicking a form's button in a real browser (issue #15 item 8): one
request with a random key goes out, the form shows it is working, and coming
back to the page gives the button back (static/js/submit-once.js)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from tests.browser.test_smoke_roles import assert_no_console_errors
from tests.factories import UserFactory
from tests.web import idempotency_support as support

pytestmark = pytest.mark.urls("tests.web.idempotency_support")

WATCH = """() => {
  const form = document.querySelector("[data-testid=slow-form]");
  const note = () => {
    const seen = JSON.parse(sessionStorage.getItem("seen") || "[]");
    const status = form.querySelector("[role=status]");
    seen.push({
      busy: form.getAttribute("aria-busy"),
      disabled: form.querySelector("button").disabled,
      status: status ? status.textContent : null,
    });
    sessionStorage.setItem("seen", JSON.stringify(seen));
  };
  new MutationObserver(note).observe(form, {attributes: true, subtree: true, childList: true,
                                             characterData: true});
}"""


def test_double_click_sends_once_and_shows_progress(
    live_server, django_db_serialized_rollback: None, page: Page, console_errors: list[str]
) -> None:
    support.RUNS.clear()
    base = live_server.url
    client = Client()
    client.force_login(UserFactory())
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}]
    )

    page.goto(f"{base}/bieu-mau/")
    # What the form looks like while the server works (a second) is noted as
    # it changes: Playwright's own checks wait for the navigation to finish.
    page.evaluate(WATCH)
    form = page.get_by_test_id("slow-form")
    form.get_by_role("button", name="Lưu").dblclick()

    expect(page.locator(".messages")).to_contain_text("Đã lưu lần 1.")
    seen = page.evaluate("JSON.parse(sessionStorage.getItem('seen') || '[]')")
    assert {"busy": "true", "disabled": True, "status": "Đang xử lý…"} in seen, seen
    assert len(support.RUNS) == 1 and re.fullmatch(r"[0-9a-f]{32}", support.RUNS[0])

    page.go_back()
    expect(page.get_by_test_id("slow-form").get_by_role("button", name="Lưu")).to_be_enabled()
    expect(page.get_by_test_id("slow-form")).not_to_have_attribute("aria-busy", "true")
    assert_no_console_errors(console_errors)
    support.RUNS.clear()
