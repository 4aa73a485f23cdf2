"""Tickets and bookings are records kept by the services (history, audit): read
only here. The centre's configuration (priority classes, service groups,
counters, appointment slots) is edited here by the administrator."""

from __future__ import annotations

from django.contrib import admin

from tthc_portal.admin_readonly import ReadOnlyAdminMixin, ReadOnlyModelAdmin

from .models import (
    Appointment,
    AppointmentSlot,
    Counter,
    KioskDevice,
    PriorityClass,
    ServiceGroup,
    Ticket,
    TicketEvent,
)


class TicketEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = TicketEvent
    extra = 0
    can_delete = False
    fields = ("at", "action", "from_status", "to_status", "counter", "actor")


@admin.register(PriorityClass)
class PriorityClassAdmin(admin.ModelAdmin):
    list_display = ("code", "label", "weight", "legal_basis", "is_active")


@admin.register(ServiceGroup)
class ServiceGroupAdmin(admin.ModelAdmin):
    list_display = ("letter", "name", "centre", "priority_strategy", "interleave_normal",
                    "daily_booking_limit", "is_active")  # fmt: skip
    list_filter = ("centre",)


@admin.register(Counter)
class CounterAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "centre", "agency", "is_active")
    list_filter = ("centre",)


@admin.register(AppointmentSlot)
class AppointmentSlotAdmin(admin.ModelAdmin):
    list_display = ("day", "start", "end", "service_group", "counter", "capacity")
    list_filter = ("service_group__centre", "day")


@admin.register(Ticket)
class TicketAdmin(ReadOnlyModelAdmin):
    list_display = ("label", "day", "service_group", "priority_class", "status", "counter",
                    "wait_seconds", "service_seconds")  # fmt: skip
    list_filter = ("status", "day", "service_group__centre")
    inlines = [TicketEventInline]


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyModelAdmin):
    list_display = ("code", "day", "slot", "status", "ticket")
    list_filter = ("status", "day")
    # The person is shown by id only: the admin list is not a directory of citizens.
    raw_id_fields = ("person",)


@admin.register(KioskDevice)
class KioskDeviceAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "centre", "role", "is_active")
    list_filter = ("centre", "role")
