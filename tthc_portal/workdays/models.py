"""Calendar exceptions: the data that makes a day working or not."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExceptionKind(models.TextChoices):
    HOLIDAY = "holiday", _("Ngày lễ, tết")
    DAY_OFF = "day_off", _("Ngày nghỉ bù, hoán đổi")
    MAKEUP_WORKDAY = "makeup_workday", _("Ngày làm bù")


class CalendarException(models.Model):
    """A day that departs from the Monday–Friday week.

    Holidays and days off remove a weekday; a make-up working day adds a
    Saturday. Weekends need no rows. New holidays created by law are just
    new rows: no code changes.
    """

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=16, choices=ExceptionKind.choices)
    name = models.CharField(_("tên"), max_length=255)
    source = models.CharField(_("căn cứ"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("ngày nghỉ, ngày làm bù")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} – {self.name}"


class OfficialCalendarRelease(models.Model):
    """One installed version of the official holiday file shipped with the portal.

    ``migrate`` installs the file (see ``official.py``); the entries are kept so
    that the next release can tell a row staff changed from one it may update.
    """

    checksum = models.CharField(_("mã kiểm tra"), max_length=64, unique=True)
    installed_at = models.DateTimeField(_("cài đặt lúc"), auto_now_add=True)
    years = models.JSONField(_("các năm"), default=list)
    entries = models.JSONField(_("các ngày"), default=list)
    kept = models.JSONField(_("các ngày giữ theo chỉnh sửa của cán bộ"), default=list)

    class Meta:
        verbose_name = _("phiên bản lịch nghỉ lễ chính thức")
        verbose_name_plural = _("phiên bản lịch nghỉ lễ chính thức")
        ordering = ["-installed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.installed_at:%d/%m/%Y} ({self.checksum[:12]})"
