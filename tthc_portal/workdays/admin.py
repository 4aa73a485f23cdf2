from django.contrib import admin

from tthc_portal.admin_readonly import ReadOnlyModelAdmin

from .models import CalendarException, OfficialCalendarRelease


@admin.register(CalendarException)
class CalendarExceptionAdmin(ReadOnlyModelAdmin):
    """Days are edited on the calendar page (/lich-lam-viec/), whose service
    writes the audit event and recomputes the deadlines the day moves."""

    list_display = ("date", "kind", "name", "source")
    list_filter = ("kind",)
    date_hierarchy = "date"
    search_fields = ("name",)


@admin.register(OfficialCalendarRelease)
class OfficialCalendarReleaseAdmin(ReadOnlyModelAdmin):
    list_display = ("installed_at", "checksum", "years")
    exclude = ("entries",)
