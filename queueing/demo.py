"""Demo queue for the provincial centre: two service groups (Justice, Health),
four counters, slots for the next working days, a few tickets today.
Idempotent; the integrator calls ``seed_queueing()`` from ``seed_demo``."""

from __future__ import annotations

from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone

from tthc_portal.agencies.models import Agency

from .defaults import ensure_all
from .models import (
    AppointmentSlot,
    Counter,
    KioskDevice,
    KioskRole,
    PriorityStrategy,
    ServiceGroup,
    Ticket,
)
from .services.tickets import ticket_issue

JUSTICE, HEALTH = "000.00.10.H99", "000.00.11.H99"
SLOT_HOURS = [(time(8), time(9)), (time(9), time(10)), (time(10), time(11)), (time(14), time(15)),
              (time(15), time(16))]  # fmt: skip


@transaction.atomic
def seed_queueing() -> dict[str, int]:
    ensure_all()
    agencies = Agency.objects.in_bulk([JUSTICE, HEALTH], field_name="code")
    if len(agencies) < 2 or agencies[JUSTICE].one_stop_desk_id is None:
        return {"groups": 0, "counters": 0, "slots": 0, "tickets": 0}
    centre = agencies[JUSTICE].one_stop_desk
    groups = {}
    for letter, name, code, strategy in (
        ("A", "Tư pháp – hộ tịch, chứng thực", JUSTICE, PriorityStrategy.INTERLEAVED),
        ("B", "Y tế", HEALTH, PriorityStrategy.STRICT),
    ):
        groups[letter], _ = ServiceGroup.objects.update_or_create(
            centre=centre, letter=letter,
            defaults={"name": name, "agency": agencies[code], "priority_strategy": strategy},
        )  # fmt: skip
    counters = 0
    for number, letter, code in ((1, "A", JUSTICE), (2, "A", JUSTICE), (3, "B", HEALTH),
                                 (4, "B", HEALTH)):  # fmt: skip
        counter, created = Counter.objects.get_or_create(
            centre=centre, number=number,
            defaults={"agency": agencies[code], "name": groups[letter].name},
        )  # fmt: skip
        counter.service_groups.add(groups[letter])
        counters += created
    # One device of each role: /xep-hang/<centre>/thiet-bi/may-lay-so/ and …/ki-ot-1/.
    for code, name, role in (
        ("may-lay-so", "Máy lấy số cửa chính", KioskRole.TICKET_PRINTER),
        ("ki-ot-1", "Ki-ốt thông minh sảnh A", KioskRole.SMART_KIOSK),
    ):
        KioskDevice.objects.get_or_create(
            centre=centre, code=code, defaults={"name": name, "role": role}
        )
    today = timezone.localdate()
    slots = 0
    for offset in range(1, 8):
        day = today + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for group in groups.values():
            for start, end in SLOT_HOURS:
                _, created = AppointmentSlot.objects.get_or_create(
                    service_group=group, day=day, start=start, defaults={"end": end, "capacity": 4}
                )
                slots += created
    tickets = 0
    if not Ticket.objects.filter(centre=centre, day=today).exists():
        for group in groups.values():
            for _ in range(3):
                ticket_issue(service_group=group)
                tickets += 1
    return {"groups": len(groups), "counters": counters, "slots": slots, "tickets": tickets}
