"""Queue tickets in Chromium: a citizen takes a number at the kiosk on a
phone-sized screen, the public display shows it being called without reloading
the page, and a recall is announced again in the live region."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from queueing.models import Ticket
from queueing.services.tickets import ticket_call_next, ticket_transition
from tests.browser.test_smoke_roles import assert_no_console_errors
from tests.queueing.helpers import make_centre

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_kiosk_ticket_and_live_display(
    page: Page, phone_page: Page, live_server, console_errors: list[str]
) -> None:
    centre = make_centre()
    base = live_server.url

    # The display is open on the centre's screen before anyone takes a number.
    page.goto(f"{base}/xep-hang/{centre.desk.pk}/man-hinh/")
    expect(page.get_by_role("heading", level=1)).to_have_text(centre.desk.name)
    page.evaluate("window.__notReloaded = true")

    # A citizen takes a number on the kiosk (phone-sized screen).
    kiosk = phone_page
    kiosk.goto(f"{base}/xep-hang/{centre.desk.pk}/ki-ot/")
    kiosk.get_by_label(re.compile("Tư pháp – hộ tịch")).check()
    kiosk.get_by_label("Đối tượng ưu tiên (nếu có)").select_option(label=centre.elderly.label)
    kiosk.get_by_role("button", name="Lấy số").click()
    expect(kiosk.get_by_test_id("queue-ticket")).to_contain_text("A001")
    expect(kiosk.get_by_test_id("queue-ticket")).to_contain_text("Thời gian chờ ước tính")
    expect(kiosk.get_by_role("button", name="In số")).to_be_visible()

    # The officer calls it: the display updates itself.
    ticket = ticket_call_next(actor=centre.officers[0], counter=centre.counters[1])
    board = page.locator("[data-board]")
    expect(board).to_contain_text("A001", timeout=15_000)
    live = page.locator("[data-recent]")
    expect(live).to_have_attribute("aria-live", "polite")
    expect(live).to_contain_text("Mời số A001 đến quầy 2", timeout=15_000)
    expect(page.locator("[data-waiting]")).to_contain_text("0")

    # A recall replaces the live region's text (announced again).
    live.evaluate("node => node.replaceChildren()")
    ticket_transition(actor=centre.officers[0], ticket=ticket, action="recall",
                      counter=centre.counters[1])  # fmt: skip
    expect(live).to_contain_text("Mời số A001 đến quầy 2", timeout=15_000)
    assert page.evaluate("window.__notReloaded") is True
    assert Ticket.objects.count() == 1
    assert_no_console_errors(console_errors)
