"""Slots for the appointment tests."""

from __future__ import annotations

from datetime import date, time

from queueing.models import AppointmentSlot


def make_slots(group, day: date, count: int = 3, capacity: int = 4, counter=None):
    return [
        AppointmentSlot.objects.create(
            service_group=group,
            counter=counter,
            day=day,
            start=time(8 + i),
            end=time(9 + i),
            capacity=capacity,
        )
        for i in range(count)
    ]
