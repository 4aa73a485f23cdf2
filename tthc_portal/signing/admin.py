"""Read-only views of certificates; re-issue and revoke go through services.
Private keys are never shown."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tthc_portal.admin_readonly import ReadOnlyModelAdmin

from .errors import SigningError
from .models import AgencyCertificate, CertificateAuthority, PersonCertificate
from .services import agency_certificate_issue, agency_certificate_revoke

_CERT_FIELDS = ("serial", "fingerprint_sha256", "not_before", "not_after", "certificate_pem")


@admin.register(CertificateAuthority)
class CertificateAuthorityAdmin(ReadOnlyModelAdmin):
    list_display = ("name", "serial", "not_before", "not_after", "is_active")
    fields = ("name", "is_active", *_CERT_FIELDS, "created_at")
    readonly_fields = fields


@admin.register(AgencyCertificate)
class AgencyCertificateAdmin(ReadOnlyModelAdmin):
    list_display = ("agency", "serial", "not_after", "is_active", "revoked_at")
    list_filter = ("is_active", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("agency__name", "agency__code", "serial")
    list_select_related = ("agency",)
    fields = (
        "agency",
        "authority",
        "subject",
        "is_active",
        "revoked_at",
        "revocation_reason",
        *_CERT_FIELDS,
        "created_at",
    )
    readonly_fields = fields
    actions = ("reissue", "revoke")

    def get_actions(self, request):
        # Actions change certificates: only for those allowed to change them.
        if not request.user.has_perm("signing.change_agencycertificate"):
            return {}
        return super().get_actions(request)

    @admin.action(description=_("Cấp lại chứng thư cho cơ quan"))
    def reissue(self, request, queryset):
        done = 0
        for certificate in queryset.select_related("agency"):
            try:
                agency_certificate_issue(certificate.agency, force=True, actor=request.user)
                done += 1
            except SigningError as exc:
                self.message_user(request, str(exc), messages.ERROR)
        self.message_user(
            request,
            ngettext("Đã cấp lại %(count)d chứng thư.", "Đã cấp lại %(count)d chứng thư.", done)
            % {"count": done},
        )

    @admin.action(description=_("Thu hồi chứng thư"))
    def revoke(self, request, queryset):
        done = 0
        for certificate in queryset.filter(revoked_at__isnull=True):
            agency_certificate_revoke(
                certificate, reason=str(_("Thu hồi từ trang quản trị")), actor=request.user
            )
            done += 1
        self.message_user(
            request,
            ngettext("Đã thu hồi %(count)d chứng thư.", "Đã thu hồi %(count)d chứng thư.", done)
            % {"count": done},
        )


@admin.register(PersonCertificate)
class PersonCertificateAdmin(ReadOnlyModelAdmin):
    """Officials' own certificates: issued on first signature, never edited here."""

    admin_write_paths = {"read_only": {"signing.PersonCertificate"}}
    list_display = ("user", "subject", "not_after", "is_active")
    list_filter = ("is_active",)
    search_fields = ("user__username", "subject", "serial")
    fields = ("user", "subject", "is_active", *_CERT_FIELDS, "created_at")
    readonly_fields = fields
