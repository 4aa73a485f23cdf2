"""Housekeeping of the sync: the office's alert and the attempt log's retention.

The alert goes through the notification outbox with a key per hour and
recipient, so a check every 15 minutes e-mails at most once an hour while the
threshold stays passed (online-services.md §7.4).
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.selectors import province_root, staff_with_role
from tthc_portal.notifications.models import Channel
from tthc_portal.notifications.services import notification_enqueue

from ..models import SyncAttempt, Target
from ..selectors import backlog_totals

TOPIC = "integrations.sync_alert"


@dataclass
class AlertReport:
    backlog: int
    oldest_minutes: float | None
    exceeded: bool
    sent: int = 0


def alert_recipients() -> list[str]:
    """``TTHC["SYNC_ALERT_EMAILS"]``, else the provincial office staff with an e-mail."""
    configured = [e.strip() for e in settings.TTHC.get("SYNC_ALERT_EMAILS") or [] if e.strip()]
    if configured:
        return configured
    province = province_root()
    if province is None:
        return []
    emails = staff_with_role(province, Role.PROVINCIAL_STAFF).exclude(email="")
    return sorted(set(emails.values_list("email", flat=True)))


def sync_alert_check(now: datetime.datetime | None = None) -> AlertReport:
    """E-mail the office when the unsent backlog or the age of its oldest row
    passes ``TTHC["SYNC_ALERT_BACKLOG"]`` (1000) / ``["SYNC_ALERT_OLDEST_MINUTES"]`` (60)."""
    now = now or timezone.now()
    limit = int(settings.TTHC.get("SYNC_ALERT_BACKLOG", 1000))
    minutes = float(settings.TTHC.get("SYNC_ALERT_OLDEST_MINUTES", 60))
    backlog, oldest = backlog_totals()
    age = (now - oldest).total_seconds() / 60 if oldest else None
    report = AlertReport(backlog, age, backlog > limit or (age is not None and age > minutes))
    if not report.exceeded:
        return report
    subject = _("Cảnh báo đồng bộ Cổng DVCQG: %(n)s sự kiện chưa gửi") % {"n": backlog}
    body = _(
        "Hệ thống đồng bộ với Cổng Dịch vụ công quốc gia đang tồn %(n)s sự kiện chưa gửi "
        "(ngưỡng %(limit)s); sự kiện cũ nhất đã chờ %(age)s phút (ngưỡng %(minutes)s phút).\n"
        "Xem chi tiết tại trang Đồng bộ liên thông: %(page)s"
    ) % {
        "n": backlog,
        "limit": limit,
        "age": f"{age:.0f}" if age is not None else "—",
        "minutes": f"{minutes:g}",
        "page": reverse("integrations:sync_dashboard"),
    }
    hour = timezone.localtime(now).strftime("%Y%m%d%H")
    with transaction.atomic():
        for email in alert_recipients():
            digest = hashlib.sha256(email.lower().encode()).hexdigest()[:16]
            message = notification_enqueue(
                channel=Channel.EMAIL, recipient=email, subject=subject, body=body,
                dedupe_key=f"sync-alert:{hour}:{digest}", topic=TOPIC,
            )  # fmt: skip
            report.sent += message is not None
    return report


def sync_log_purge(now: datetime.datetime | None = None) -> int:
    """Delete attempt-log rows older than each target's ``log_retention_days``."""
    now = now or timezone.now()
    deleted = 0
    for target in Target.objects.all():
        cutoff = now - datetime.timedelta(days=target.log_retention_days)
        count, _by_model = SyncAttempt.objects.filter(target=target, at__lt=cutoff).delete()
        deleted += count
    return deleted
