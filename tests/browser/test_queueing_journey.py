"""Queue tickets in Chromium: a citizen takes a number at the kiosk on a
phone-sized screen, the public display shows it being called without reloading
the page, and a recall is announced again in the live region.

The floor's whole day (issue 19): a priority ticket at the kiosk, called at
counter 2 on the display; the officer enters the dossier at the counter, links
it to the ticket, collects the fee in cash and hands over the e-receipt issued
by the receipt provider (the simulator, a separate process); another citizen
books a slot online and checks in at the kiosk with the booking code. Every
page passes axe-core (WCAG 2 A/AA rules)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import time, timedelta
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page, expect

from dossiers.demo import DEMO_CODE
from dossiers.models import Dossier, Status
from queueing.models import (
    Appointment,
    AppointmentSlot,
    Counter,
    PriorityClass,
    PriorityStrategy,
    ServiceGroup,
    Ticket,
)
from queueing.services.tickets import ticket_call_next, ticket_transition
from receipts.demo import DEMO_PASSWORD, DEMO_USERNAME, demo_receipts_setup
from receipts.models import Receipt, ReceiptStatus
from receipts.simulator import ReceiptProviderProcess
from tests.browser.test_dossier_journey import switch_user
from tests.browser.test_smoke_roles import assert_no_console_errors, sign_in
from tests.dossiers.files import make_pdf
from tests.queueing.helpers import make_centre

Shoot = Callable[[Page, str], Path]
OFFICER = "motcua.tuphap"
BOOKING_CITIZEN = "036190004567"
AXE_RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}}

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


def assert_accessible(page: Page, name: str) -> None:
    """axe-core on the page as it is now: no WCAG 2 A/AA violation."""
    results = Axe().run(page, options=AXE_RULES)
    violations = results.response["violations"]
    assert not violations, f"{name}: " + "; ".join(
        f"{v['id']} ({len(v['nodes'])}): {v['help']}" for v in violations
    )


@pytest.fixture
def receipt_provider(tmp_path: Path, demo_site: str) -> Iterator[ReceiptProviderProcess]:
    """The receipt provider simulator (its own process), wired to the demo province."""
    process = ReceiptProviderProcess(tmp_path / "receipt-provider.json")
    process.start()
    try:
        process.control.configure(accounts={DEMO_USERNAME: DEMO_PASSWORD})
        demo_receipts_setup(process.url)
        yield process
    finally:
        process.stop()


def test_priority_ticket_dossier_fee_receipt_and_booking_check_in(
    page: Page, phone_page: Page, demo_site: str, receipt_provider: ReceiptProviderProcess,
    console_errors: list[str], shoot: Shoot, tmp_path: Path,
) -> None:  # fmt: skip
    base = demo_site
    # The demo's sample tickets of today go; the day's numbering goes on after them.
    Ticket.objects.all().delete()
    group = ServiceGroup.objects.get(letter="A", agency__code="000.00.10.H99")
    # This centre serves priority tickets first (the demo's group A interleaves).
    ServiceGroup.objects.filter(pk=group.pk).update(priority_strategy=PriorityStrategy.STRICT)
    centre_id = group.centre_id
    counter_2 = Counter.objects.get(centre_id=centre_id, number=2)

    # 1. A citizen aged over 60 takes a priority number at the kiosk.
    kiosk = phone_page
    kiosk.goto(f"{base}/xep-hang/{centre_id}/ki-ot/")
    assert_accessible(kiosk, "kiosk")
    kiosk.get_by_label(re.compile("Tư pháp – hộ tịch")).check()
    elderly = PriorityClass.objects.get(code="nguoi-cao-tuoi")
    kiosk.get_by_label("Đối tượng ưu tiên (nếu có)").select_option(label=elderly.label)
    kiosk.get_by_role("button", name="Lấy số").click()
    expect(kiosk.get_by_test_id("queue-ticket")).to_contain_text("Người cao tuổi")
    priority = Ticket.objects.get(priority_class=elderly)
    expect(kiosk.get_by_test_id("queue-ticket")).to_contain_text(priority.label)
    shoot(kiosk, "floor-1-priority-ticket")
    # A normal number after it: the priority one is still called first.
    kiosk.goto(f"{base}/xep-hang/{centre_id}/ki-ot/")
    kiosk.get_by_label(re.compile("Tư pháp – hộ tịch")).check()
    kiosk.get_by_role("button", name="Lấy số").click()
    expect(kiosk).to_have_url(re.compile(r"/ki-ot/ve/$"))
    expect(kiosk.get_by_test_id("queue-ticket")).not_to_contain_text("Người cao tuổi")
    assert Ticket.objects.count() == 2

    # 2. The officer at counter 2 calls the next number: the display shows A001 there.
    sign_in(page, base, OFFICER)
    page.goto(f"{base}/xep-hang/quay/{counter_2.pk}/")
    page.get_by_role("button", name="Gọi số tiếp theo").click()
    expect(page.get_by_test_id("queue-current")).to_have_text(priority.label)
    assert_accessible(page, "counter")
    kiosk.goto(f"{base}/xep-hang/{centre_id}/man-hinh/")
    expect(kiosk.locator("[data-recent]")).to_contain_text(f"Mời số {priority.label} đến quầy 2")
    assert_accessible(kiosk, "display")
    shoot(kiosk, "floor-2-display")

    # 3. The officer enters the dossier at the counter (procedure, applicant, scans).
    page.goto(f"{base}/mot-cua/tiep-nhan-truc-tiep/?q={DEMO_CODE}")
    card = page.get_by_test_id("procedures").locator("li").first
    card.get_by_label("Trực tiếp").check()
    card.get_by_role("button", name="Bắt đầu nhập hồ sơ").click()
    page.locator("input[name=applicant_name]").fill("Trần Văn Cao")
    page.locator("input[name=applicant_id_number]").fill("001060000123")
    page.locator("input[name=applicant_phone]").fill("0987000111")
    page.locator("[name=applicant_address]").fill("Số 12 đường Lê Lợi, phường Phố Hiến")
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    expect(page.get_by_test_id("components")).to_be_visible()
    scan = tmp_path / "ban-quet.pdf"
    scan.write_bytes(make_pdf())
    while page.locator("[data-flag=missing]").count():
        row = page.locator("tr:has([data-flag=missing])").first
        row.locator("input[type=file]").set_input_files(str(scan))
        row.get_by_role("button", name="Số hóa").click()
        page.wait_for_load_state()
    page.get_by_test_id("receive-form").get_by_role("button", name="Tiếp nhận hồ sơ").click()
    expect(page.get_by_test_id("dossier-code")).to_be_visible()
    dossier = Dossier.objects.get(applicant_name="Trần Văn Cao")
    assert dossier.status == Status.RECEIVED
    expect(page.get_by_test_id("dossier-code")).to_have_text(dossier.code)

    # …and links it to the ticket being served.
    page.goto(f"{base}/xep-hang/quay/{counter_2.pk}/")
    page.get_by_label("Mã hồ sơ").fill(dossier.code)
    page.get_by_role("button", name="Gắn hồ sơ đã tiếp nhận").click()
    expect(page.get_by_text(f"Hồ sơ đã gắn: {dossier.code}")).to_be_visible()
    assert list(Ticket.objects.get(pk=priority.pk).dossiers.all()) == [dossier]

    # 4. The fee in cash; the e-receipt is issued by the provider and handed over.
    page.goto(f"{base}/mot-cua/{dossier.pk}/kiem-tra/")
    page.get_by_test_id("collect-link").click()
    assert_accessible(page, "collect")
    form = page.get_by_test_id("collect-form")
    form.get_by_label("Hình thức thu").select_option("TM")
    form.get_by_role("button", name=re.compile("phát hành biên lai")).click()
    expect(page.get_by_test_id("already-paid")).to_be_visible()
    receipt = Receipt.objects.get(dossier=dossier)
    assert receipt.status == ReceiptStatus.ISSUED and receipt.method == "TM"
    assert [r["transactionUuid"] for r in receipt_provider.control.receipts()] == [receipt.key]
    page.get_by_test_id("receipt-row").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"số {receipt.number_text}")
    assert_accessible(page, "receipt")
    shoot(page, "floor-3-receipt")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải biên lai (PDF có chữ ký số)").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and b"/ByteRange" in pdf  # signed

    # 5. Another citizen books a slot of today online and checks in with the code.
    now = timezone.localtime()
    start = (now + timedelta(minutes=2)).time().replace(second=0, microsecond=0)
    AppointmentSlot.objects.create(
        service_group=group, day=now.date(), start=start, end=time(23, 59), capacity=2
    )
    switch_user(page, base, BOOKING_CITIZEN)
    page.goto(f"{base}/xep-hang/dat-lich/?service_group={group.pk}&day={now.date():%Y-%m-%d}")
    assert_accessible(page, "booking")
    slot = page.locator("li.card", has_text=start.strftime("%H:%M"))
    slot.get_by_role("button", name="Đặt lịch").click()
    booking = Appointment.objects.get(person__username=BOOKING_CITIZEN)
    page.goto(f"{base}/xep-hang/dat-lich/cua-toi/")
    expect(page.get_by_text(booking.code)).to_be_visible()
    kiosk.goto(f"{base}/xep-hang/{centre_id}/ki-ot/")
    kiosk.get_by_label("Mã đặt lịch").fill(booking.code.lower())
    kiosk.get_by_role("button", name="Nhận số theo lịch hẹn").click()
    expect(kiosk).to_have_url(re.compile(r"/ki-ot/ve/$"))
    booking.refresh_from_db()
    assert booking.status == "checked_in" and booking.ticket is not None
    expect(kiosk.get_by_test_id("queue-ticket")).to_contain_text(booking.ticket.label)
    shoot(kiosk, "floor-4-check-in")
    assert_no_console_errors(console_errors)
