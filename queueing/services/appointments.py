"""Appointments: book a slot (daily limit per person, slot capacity), cancel,
check in at the kiosk with the booking code, queue the reminders."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tthc_portal.audit.services import audit_record
from tthc_portal.notifications.services import notify_from_template

from ..models import (
    Appointment,
    AppointmentSlot,
    AppointmentStatus,
    Ticket,
    TicketSource,
)
from . import QueueError
from .tickets import ticket_issue

# No 0/O, 1/I/L: the code is read from a phone screen and typed at a kiosk.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
REMINDER_TEMPLATE = "queueing.appointment_reminder"


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def booking_code_normalise(text: str) -> str:
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def _slot_start(slot: AppointmentSlot) -> datetime:
    return timezone.make_aware(datetime.combine(slot.day, slot.start))


def slot_remaining(slot: AppointmentSlot) -> int:
    taken = slot.appointments.exclude(status=AppointmentStatus.CANCELLED).count()
    return max(slot.capacity - taken, 0)


def appointment_book(
    *,
    person,
    slot: AppointmentSlot,
    procedure=None,
    phone: str = "",
    at: datetime | None = None,
) -> Appointment:
    """Book one place. The person's row is locked first (then the slot's, always
    in that order): two bookings by one person are serialised, so the daily
    limit holds under concurrency; the slot lock does the same for capacity."""
    now = at or timezone.now()
    if _slot_start(slot) <= now:
        raise QueueError(_("Khung giờ này đã qua; vui lòng chọn khung giờ khác."))
    with transaction.atomic():
        get_user_model().objects.select_for_update().only("pk").get(pk=person.pk)
        slot = (
            AppointmentSlot.objects.select_for_update(of=("self",))
            .select_related("service_group")
            .get(pk=slot.pk)
        )
        group = slot.service_group
        if not group.is_active:
            raise QueueError(_("Nhóm dịch vụ này hiện không nhận đặt lịch."))
        held = (
            Appointment.objects.filter(person=person, day=slot.day)
            .exclude(status=AppointmentStatus.CANCELLED)
            .count()
        )
        if held >= group.daily_booking_limit:
            raise QueueError(
                _("Mỗi người được đặt tối đa %(n)s lịch hẹn trong một ngày.")
                % {"n": group.daily_booking_limit}
            )
        if slot_remaining(slot) <= 0:
            raise QueueError(_("Khung giờ này đã hết chỗ; vui lòng chọn khung giờ hoặc ngày khác."))
        appointment = Appointment.objects.create(
            slot=slot,
            person=person,
            day=slot.day,
            procedure=procedure,
            code=_new_code(),
            phone=phone or getattr(person, "phone", "") or "",
        )
        audit_record(
            actor=person, action="queueing.appointment_booked", target=appointment,
            after={"slot": str(slot), "group": group.letter},
        )  # fmt: skip
    return appointment


def appointment_cancel(*, person, appointment: Appointment, at: datetime | None = None) -> None:
    """The citizen cancels their own booking, only before the slot starts."""
    now = at or timezone.now()
    with transaction.atomic():
        locked = (
            Appointment.objects.select_for_update(of=("self",))
            .select_related("slot")
            .get(pk=appointment.pk, person=person)
        )
        if locked.status != AppointmentStatus.BOOKED:
            raise QueueError(_("Lịch hẹn này không còn hủy được."))
        if _slot_start(locked.slot) <= now:
            raise QueueError(_("Đã đến giờ hẹn; không thể hủy lịch nữa."))
        locked.status, locked.cancelled_at = AppointmentStatus.CANCELLED, now
        locked.save(update_fields=["status", "cancelled_at"])
        audit_record(
            actor=person, action="queueing.appointment_cancelled", target=locked,
            before={"status": AppointmentStatus.BOOKED}, after={"status": locked.status},
        )  # fmt: skip


def appointment_check_in(
    *, code: str, centre_id: int, at: datetime | None = None
) -> tuple[Appointment, Ticket]:
    """At the kiosk, on the booked day: issue the booking's ticket (reserved for
    the slot's counter when it has one). A second check-in shows the same ticket."""
    now = at or timezone.now()
    code = booking_code_normalise(code)
    with transaction.atomic():
        appointment = (
            Appointment.objects.select_for_update(of=("self",))
            .select_related("slot__service_group", "slot__counter", "ticket")
            .filter(code=code, slot__service_group__centre_id=centre_id)
            .first()
        )
        if appointment is None or appointment.status == AppointmentStatus.CANCELLED:
            raise QueueError(_("Không tìm thấy lịch hẹn với mã đã nhập."))
        if appointment.day != timezone.localdate(now):
            raise QueueError(
                _("Lịch hẹn này vào ngày %(day)s; vui lòng đến đúng ngày hẹn.")
                % {"day": f"{appointment.day:%d/%m/%Y}"}
            )
        if appointment.status == AppointmentStatus.CHECKED_IN and appointment.ticket:
            return appointment, appointment.ticket
        ticket = ticket_issue(
            service_group=appointment.slot.service_group,
            source=TicketSource.BOOKING,
            counter=appointment.slot.counter,
            at=now,
        )
        appointment.status, appointment.ticket = AppointmentStatus.CHECKED_IN, ticket
        appointment.save(update_fields=["status", "ticket"])
        audit_record(
            actor=None, action="queueing.appointment_checked_in", target=appointment,
            after={"ticket": ticket.label},
        )  # fmt: skip
    return appointment, ticket


def appointment_reminders_queue(*, day: date | None = None) -> int:
    """SMS (and e-mail) the day before, once per booking: claimed by
    compare-and-set, deduplicated in the outbox by the booking's key."""
    day = day or timezone.localdate() + timedelta(days=1)
    sent = 0
    pending = (
        Appointment.objects.filter(
            day=day, status=AppointmentStatus.BOOKED, reminder_queued_at__isnull=True
        )
        .select_related("slot__service_group__centre", "person", "procedure__current_version")
        .order_by("pk")
    )
    for appointment in pending.iterator(chunk_size=500):
        with transaction.atomic():
            claimed = Appointment.objects.filter(
                pk=appointment.pk, reminder_queued_at__isnull=True
            ).update(reminder_queued_at=timezone.now())
            if not claimed:
                continue
            slot = appointment.slot
            context = {
                "code": appointment.code,
                "day": f"{slot.day:%d/%m/%Y}",
                "start": f"{slot.start:%H:%M}",
                "end": f"{slot.end:%H:%M}",
                "group": slot.service_group.name,
                "centre": slot.service_group.centre.name,
                "address": slot.service_group.centre.address,
                "procedure": str(appointment.procedure) if appointment.procedure else "",
                "person": getattr(appointment.person, "full_name", ""),
            }
            notify_from_template(
                REMINDER_TEMPLATE,
                context,
                email=appointment.person.email or "",
                phone=appointment.phone,
                dedupe_key=f"queueing:reminder:{appointment.pk}",
                topic="queueing",
            )
            sent += 1
    return sent
