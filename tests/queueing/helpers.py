"""A small centre for the queueing tests: one agency, two service groups,
three counters, desk officers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from queueing.defaults import ensure_all
from queueing.models import Counter, PriorityClass, PriorityStrategy, ServiceGroup
from tests.factories import AgencyFactory, make_staff
from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.models import OneStopDesk

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def at(hour: int, minute: int = 0, second: int = 0, day: int = 7) -> datetime:
    return datetime(2026, 12, day, hour, minute, second, tzinfo=TZ)


@dataclass
class Centre:
    desk: OneStopDesk
    agency: object
    group_a: ServiceGroup
    group_b: ServiceGroup
    counters: list[Counter]
    officers: list = field(default_factory=list)
    elderly: PriorityClass | None = None
    disabled: PriorityClass | None = None


def make_centre(
    *, strategy: str = PriorityStrategy.STRICT, interleave: int = 5, counters: int = 3,
    officers: int = 2,
) -> Centre:  # fmt: skip
    ensure_all()  # a live-server or transactional test may have flushed the defaults
    desk = OneStopDesk.objects.create(name="Trung tâm Phục vụ hành chính công thử")
    agency = AgencyFactory(one_stop_desk=desk)
    group_a = ServiceGroup.objects.create(
        centre=desk, letter="A", name="Tư pháp – hộ tịch", agency=agency,
        priority_strategy=strategy, interleave_normal=interleave,
    )  # fmt: skip
    group_b = ServiceGroup.objects.create(centre=desk, letter="B", name="Đất đai", agency=agency)
    made = []
    for number in range(1, counters + 1):
        counter = Counter.objects.create(centre=desk, number=number, agency=agency)
        counter.service_groups.set([group_a, group_b] if number == 1 else [group_a])
        made.append(counter)
    people = [make_staff(Role.DESK_OFFICER, agency) for _ in range(officers)]
    return Centre(
        desk=desk, agency=agency, group_a=group_a, group_b=group_b, counters=made,
        officers=people,
        elderly=PriorityClass.objects.get(code="nguoi-cao-tuoi"),
        disabled=PriorityClass.objects.get(code="nguoi-khuyet-tat"),
    )  # fmt: skip
