"""Integration clients: another government system calling the API with a token."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from oauth2_provider.settings import oauth2_settings


class ApiClient(models.Model):
    """One system of one agency.

    The OAuth2 side (client id, hashed secret, tokens) lives in
    django-oauth-toolkit's ``Application``; the rights come from the service
    account, a member of the agency through the ordinary grant service, so
    every queryset scoping of the API applies to it unchanged. Scopes narrow
    further what its tokens may call.
    """

    application = models.OneToOneField(
        oauth2_settings.APPLICATION_MODEL,
        verbose_name=_("ứng dụng OAuth2"),
        on_delete=models.PROTECT,
        related_name="api_client",
    )
    name = models.CharField(_("tên hệ thống"), max_length=255)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="api_clients",
    )
    scopes = models.JSONField(_("phạm vi được cấp"), default=list)
    service_account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản dịch vụ"),
        on_delete=models.PROTECT,
        related_name="api_client",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    secret_rotated_at = models.DateTimeField(
        _("lần đổi khóa bí mật gần nhất"), null=True, blank=True
    )
    last_used_at = models.DateTimeField(_("lần dùng gần nhất"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ngày thu hồi"), null=True, blank=True)

    class Meta:
        verbose_name = _("hệ thống kết nối")
        verbose_name_plural = _("hệ thống kết nối")
        ordering = ["agency__name", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.client_id})"

    @property
    def client_id(self) -> str:
        return self.application.client_id

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
