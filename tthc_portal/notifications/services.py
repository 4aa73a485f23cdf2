"""Queue and deliver notifications through the outbox."""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .gateways import get_sms_gateway
from .models import Channel, OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

# A row stuck in "sending" longer than this is assumed lost with its worker.
STALE_CLAIM = timedelta(minutes=10)


def _outbox_row(
    *,
    channel: str,
    recipient: str,
    body: str,
    subject: str = "",
    dedupe_key: str | None = None,
    topic: str = "",
) -> OutboxMessage:
    return OutboxMessage(
        channel=channel, recipient=recipient, subject=subject[:255], body=body,
        dedupe_key=dedupe_key, topic=topic, next_attempt_at=timezone.now(),
    )  # fmt: skip


def notification_enqueue(
    *,
    channel: str,
    recipient: str,
    body: str,
    subject: str = "",
    dedupe_key: str | None = None,
    topic: str = "",
) -> OutboxMessage | None:
    """Write an outbox row in the caller's transaction; send after commit.

    Returns None when there is no recipient (e.g. no phone on file) or when a
    row with the same ``dedupe_key`` already exists.
    """
    if not recipient:
        return None
    row = _outbox_row(
        channel=channel, recipient=recipient, body=body, subject=subject,
        dedupe_key=dedupe_key, topic=topic,
    )  # fmt: skip
    if not _outbox_insert([row]):
        return None
    from .tasks import outbox_send

    # robust: if the broker is down the row stays pending and the flush job sends it.
    transaction.on_commit(lambda: outbox_send.delay(row.pk), robust=True)
    return row


def _outbox_insert(rows: list[OutboxMessage]) -> list[OutboxMessage]:
    """Insert ``rows`` in one statement, skipping any whose ``dedupe_key`` is
    already queued (``INSERT … ON CONFLICT DO NOTHING RETURNING``), and return
    the inserted ones with their ids. A savepoint around a plain INSERT did
    the same in three round trips, and a conflict in a batch fell back to one
    insert per row. ``_insert`` is the manager method ``bulk_create`` itself
    calls; ``bulk_create(ignore_conflicts=True)`` returns no ids."""
    from django.db import router
    from django.db.models.constants import OnConflict

    meta = OutboxMessage._meta
    # The write alias, as bulk_create takes it: a manager's own alias is the
    # read one, the replica inside ``reporting_reads``.
    alias = router.db_for_write(OutboxMessage)
    returned = OutboxMessage.objects._insert(
        rows,
        fields=[field for field in meta.concrete_fields if not field.primary_key],
        returning_fields=[meta.pk, meta.get_field("dedupe_key")],
        using=alias,
        on_conflict=OnConflict.IGNORE,
    )
    # The database returns the inserted rows in the order given (bulk_create
    # relies on it too): a row was inserted iff the next one returned carries
    # its key (a key repeated in the batch is inserted once, for its first
    # row). A single skipped row comes back as None. A row without a key can
    # only have been skipped by another violation, which SQLite's INSERT OR
    # IGNORE swallows too (a missing body): refused here as it was before.
    returned = [values for values in returned if values is not None]
    inserted, position = [], 0
    for row in rows:
        if position < len(returned) and returned[position][1] == row.dedupe_key:
            row.pk = returned[position][0]
            row._state.adding, row._state.db = False, alias
            inserted.append(row)
            position += 1
        elif row.dedupe_key is None:
            raise IntegrityError(f"an outbox {row.channel} row was not inserted")
    return inserted


def _claim(message_id: int) -> bool:
    """Compare-and-set pending/failed → sending. Only one caller wins."""
    now = timezone.now()
    claimable = Q(status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED]) | Q(
        status=OutboxStatus.SENDING, claimed_at__lt=now - STALE_CLAIM
    )
    return bool(
        OutboxMessage.objects.filter(claimable, pk=message_id).update(
            status=OutboxStatus.SENDING, claimed_at=now
        )
    )


def _deliver(message: OutboxMessage) -> str:
    key = message.dedupe_key or f"outbox-{message.pk}"
    if message.channel == Channel.EMAIL:
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
            headers={"Message-ID": f"<{key}@tthc-portal>"},
        )
        email.send(fail_silently=False)
        return key
    return get_sms_gateway().send(message.recipient, message.body, idempotency_key=key)


def outbox_deliver(message_id: int) -> str:
    """Deliver one message if this caller wins the claim.

    Returns the resulting status ("sent", "failed", "dead") or "skipped"
    when another worker owns it or it was already delivered.
    """
    if not _claim(message_id):
        return "skipped"
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        provider_id = _deliver(message)
    except Exception as exc:  # gateways raise many kinds; all mean "retry later"
        attempts = message.attempts + 1
        dead = attempts >= settings.NOTIFICATION_MAX_ATTEMPTS
        OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.SENDING).update(
            status=OutboxStatus.DEAD if dead else OutboxStatus.FAILED,
            attempts=attempts,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            next_attempt_at=timezone.now() + timedelta(minutes=2**attempts),
        )
        logger.warning("Outbox message %s failed (attempt %s): %s", message_id, attempts, exc)
        return OutboxStatus.DEAD if dead else OutboxStatus.FAILED
    OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.SENDING).update(
        status=OutboxStatus.SENT,
        attempts=message.attempts + 1,
        sent_at=timezone.now(),
        provider_message_id=provider_id[:255],
        last_error="",
    )
    return OutboxStatus.SENT


def outbox_due_ids(limit: int = 500) -> list[int]:
    now = timezone.now()
    return list(
        OutboxMessage.objects.filter(
            Q(status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED], next_attempt_at__lte=now)
            | Q(status=OutboxStatus.SENDING, claimed_at__lt=now - STALE_CLAIM)
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


@lru_cache(maxsize=512)
def _compiled(text: str):
    """Templates compiled once per text: an edited template is a new text, so
    an edit takes effect at once and nothing goes stale."""
    from django.template import Template

    return Template(text)


def active_template(key: str):
    from .models import MessageTemplate

    template = MessageTemplate.objects.filter(key=key, is_active=True).first()
    if template is None:
        logger.warning("No active message template %r; nothing sent", key)
    return template


def template_messages(
    template,
    context: dict,
    *,
    email: str = "",
    phone: str = "",
    dedupe_key: str | None = None,
    topic: str = "",
) -> list[dict]:
    """The email and SMS of ``template`` for one recipient, rendered, for
    ``notifications_enqueue``."""
    from django.template import Context

    def render(text: str) -> str:
        return _compiled(text).render(Context(context, autoescape=False)).strip()

    messages = []
    if email:
        messages.append({
            "channel": Channel.EMAIL, "recipient": email, "subject": render(template.subject),
            "body": render(template.email_body),
            "dedupe_key": f"{dedupe_key}:email" if dedupe_key else None, "topic": topic,
        })  # fmt: skip
    if phone and template.sms_body:
        messages.append({
            "channel": Channel.SMS, "recipient": phone, "body": render(template.sms_body),
            "dedupe_key": f"{dedupe_key}:sms" if dedupe_key else None, "topic": topic,
        })  # fmt: skip
    return messages


def notify_from_template(
    key: str,
    context: dict,
    *,
    email: str = "",
    phone: str = "",
    dedupe_key: str | None = None,
    topic: str = "",
) -> list[OutboxMessage]:
    """Queue the email and SMS of template ``key`` (skipped when inactive/absent)."""
    template = active_template(key)
    if template is None:
        return []
    return notifications_enqueue(
        template_messages(
            template, context, email=email, phone=phone, dedupe_key=dedupe_key, topic=topic
        )
    )


def notifications_enqueue(messages: list[dict]) -> list[OutboxMessage]:
    """Several outbox rows in one INSERT (an email and its SMS), skipping any
    already queued under the same ``dedupe_key``."""
    rows = [_outbox_row(**message) for message in messages if message["recipient"]]
    created = _outbox_insert(rows) if rows else []
    if not created:
        return []
    from .tasks import outbox_send_batch

    # One job for the lot (a sweep's reminders to every head: one broker
    # round trip, not hundreds); the flush job retries whatever fails.
    ids = [message.pk for message in created]
    transaction.on_commit(lambda: outbox_send_batch.delay(ids), robust=True)
    return created


def _staff_notice_body(user, title: str, url: str, detail: str, due_at) -> str:
    from django.utils.translation import gettext as _

    lines = [_("Kính gửi %(name)s,") % {"name": user.display_name}, "", title]
    if detail:
        lines.append(detail)
    if due_at is not None:
        lines.append(
            _("Hạn xử lý: %(due)s") % {"due": f"{timezone.localtime(due_at):%H:%M %d/%m/%Y}"}
        )
    if url:
        site = settings.TTHC.get("SITE_URL", "").rstrip("/")
        lines.append(_("Xem và xử lý tại: %(link)s") % {"link": f"{site}{url}"})
    return "\n".join(lines)


def staff_notice_send(
    user,
    kind: str,
    title: str,
    url: str,
    dedupe_key: str,
    email: bool = True,
    *,
    dossier_code: str = "",
    due_at=None,
    detail: str = "",
    topic: str = "",
):
    """Put one item in ``user``'s inbox and, when asked, queue the e-mail.

    Runs in the caller's transaction (a handover's): the notice and its
    e-mail roll back with the handover. A second call with the same
    ``dedupe_key`` writes nothing and returns None.
    """
    from .models import StaffNotice

    try:
        with transaction.atomic():
            notice = StaffNotice.objects.create(
                user=user, kind=kind, title=title[:255], url=url[:500],
                dossier_code=dossier_code[:64], dedupe_key=dedupe_key[:200],
            )  # fmt: skip
    except IntegrityError:
        if StaffNotice.objects.filter(dedupe_key=dedupe_key[:200]).exists():
            return None
        raise
    if email and user.email:
        notification_enqueue(
            channel=Channel.EMAIL, recipient=user.email, subject=title,
            body=_staff_notice_body(user, title, url, detail, due_at),
            dedupe_key=f"staff-notice:{dedupe_key}"[:200], topic=topic,
        )  # fmt: skip
    return notice


def staff_notices_mark_read(user, notice_ids: list[int] | None = None) -> int:
    """Mark ``user``'s unread notices read (all of them when no ids are given).
    Another user's ids match nothing. Returns how many changed."""
    from .models import StaffNotice

    unread = StaffNotice.objects.filter(user=user, read_at__isnull=True)
    if notice_ids is not None:
        unread = unread.filter(pk__in=notice_ids)
    return unread.update(read_at=timezone.now())


def notifications_purge(*, now=None, batch: int = 10_000) -> dict[str, int]:
    """Delete delivered (or given-up) outbox messages and read staff notices
    past their retention, in batches so no one transaction holds many locks.

    The outbox and the notices are work tables, not records: each keeps a
    unique dedupe key, so they are not partitioned by month like the history
    tables (a unique index on a partitioned table must include the month, which
    would let the same event through twice); old rows are removed instead.
    The dossier's status history and the audit log keep what happened."""
    from .models import StaffNotice

    now = now or timezone.now()
    days = settings.TTHC["NOTIFICATION_RETENTION_DAYS"]
    cutoff = now - timedelta(days=days)
    outbox = OutboxMessage.objects.filter(
        status__in=[OutboxStatus.SENT, OutboxStatus.DEAD], created_at__lt=cutoff
    )
    notices = StaffNotice.objects.filter(read_at__isnull=False, created_at__lt=cutoff)
    removed = {"outbox": 0, "staff_notices": 0}
    for key, rows in (("outbox", outbox), ("staff_notices", notices)):
        while ids := list(rows.values_list("pk", flat=True)[:batch]):
            removed[key] += rows.model.objects.filter(pk__in=ids).delete()[0]
    return removed
