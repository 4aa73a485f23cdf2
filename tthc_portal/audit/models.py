"""Append-only audit events written by services inside their transaction."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    pass


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):  # type: ignore[override]
        raise AppendOnlyError("Audit events cannot be changed")

    def delete(self):  # type: ignore[override]
        raise AppendOnlyError("Audit events cannot be deleted")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        # Accounts with history are deactivated, never deleted.
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_repr = models.CharField(_("người thực hiện (lưu vết)"), max_length=255, blank=True)
    action = models.CharField(_("hành động"), max_length=100)
    target_type = models.ForeignKey(
        ContentType, verbose_name=_("loại đối tượng"), on_delete=models.PROTECT, related_name="+"
    )
    target_id = models.CharField(_("mã đối tượng"), max_length=64)
    target_repr = models.CharField(_("đối tượng"), max_length=255, blank=True)
    before = models.JSONField(_("trước"), null=True, blank=True)
    after = models.JSONField(_("sau"), null=True, blank=True)
    request_id = models.CharField(_("mã yêu cầu"), max_length=64, blank=True)
    # The OAuth2 client id when the request carried an integration token: the
    # actor is then that client's service account.
    via_client = models.CharField(_("hệ thống kết nối"), max_length=100, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("sự kiện kiểm toán")
        verbose_name_plural = _("nhật ký kiểm toán")
        ordering = ["-at", "-id"]
        # Related-object and internal queries go through the guarded queryset too.
        base_manager_name = "objects"
        indexes = [
            models.Index(fields=["target_type", "target_id", "at"], name="audit_target_at"),
            models.Index(fields=["at"], name="audit_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_repr} {self.action} {self.target_repr}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted")
