from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SubmittedForm(models.Model):
    """One state-changing form submission, remembered so that a repeat of it
    (double click, a retried request) gets the first outcome instead of acting
    twice (tthc_portal/web/idempotency.py).

    In the database, not the cache: the claim must be atomic across processes
    (a unique row) and must survive a Redis outage and the file cache of
    ``make run``, which has no atomic "add".
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("người gửi"),
    )
    # sha256 of the form's key, the path and what was sent (never the key alone:
    # the same form sent again with other content is a new request).
    fingerprint = models.CharField(_("dấu vân tay"), max_length=64)
    created_at = models.DateTimeField(_("nhận lúc"), default=timezone.now, db_index=True)
    completed_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    status_code = models.PositiveSmallIntegerField(_("mã trả lời"), null=True, blank=True)
    location = models.TextField(_("chuyển tới"), blank=True)
    # [[level, text, extra_tags], …]: the flash messages of the first answer,
    # shown again with the replayed redirect.
    messages = models.JSONField(_("thông báo"), default=list, blank=True)

    class Meta:
        verbose_name = _("lượt gửi biểu mẫu")
        verbose_name_plural = _("lượt gửi biểu mẫu")
        constraints = [
            models.UniqueConstraint(fields=["user", "fingerprint"], name="web_submitted_form_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.fingerprint[:12]}"
