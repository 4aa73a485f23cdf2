"""People who use the portal: citizens, organisations and staff."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

personal_id_validator = RegexValidator(r"^\d{12}$", _("Số định danh cá nhân gồm đúng 12 chữ số."))
# Enterprise tax codes are 10 digits; branches add "-NNN" (13 digits in all).
tax_code_validator = RegexValidator(
    r"^\d{10}(-\d{3})?$", _("Mã số thuế gồm 10 chữ số, chi nhánh thêm '-' và 3 chữ số.")
)
phone_validator = RegexValidator(
    r"^(\+84|0)\d{9,10}$", _("Số điện thoại không hợp lệ (ví dụ 0912345678).")
)


class UserKind(models.TextChoices):
    CITIZEN = "citizen", _("Công dân")
    ORGANISATION = "organisation", _("Tổ chức, doanh nghiệp")
    STAFF = "staff", _("Cán bộ, công chức")


class User(AbstractUser):
    """One account per person or organisation.

    Citizens sign in with their 12-digit personal identification number and
    organisations with their tax code; for both the identifier is also the
    username so that one unique index covers every way to sign in.
    """

    kind = models.CharField(
        _("loại tài khoản"), max_length=16, choices=UserKind.choices, default=UserKind.CITIZEN
    )
    full_name = models.CharField(_("họ và tên / tên tổ chức"), max_length=255, blank=True)
    personal_id_number = models.CharField(
        _("số định danh cá nhân"),
        max_length=12,
        blank=True,
        null=True,
        unique=True,
        validators=[personal_id_validator],
    )
    tax_code = models.CharField(
        _("mã số thuế"),
        max_length=14,
        blank=True,
        null=True,
        unique=True,
        validators=[tax_code_validator],
    )
    phone = models.CharField(
        _("số điện thoại"), max_length=16, blank=True, validators=[phone_validator]
    )
    # The interface language is the person's choice, kept with the account:
    # never guessed from the browser (a shared PC at the centre may say "en").
    language = models.CharField(
        _("ngôn ngữ giao diện"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    # From the national single sign-on: the national account id (TechID, sent
    # as MaDoiTuong) and the level of assurance of the last sign-in.
    national_account_id = models.CharField(_("mã tài khoản Cổng DVCQG"), max_length=64, blank=True)
    assurance_level = models.CharField(_("mức độ bảo đảm xác thực"), max_length=16, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            # A citizen has exactly a personal ID; an organisation a tax code.
            models.CheckConstraint(
                condition=~Q(kind="citizen") | Q(personal_id_number__isnull=False),
                name="citizen_has_personal_id",
            ),
            models.CheckConstraint(
                condition=~Q(kind="organisation") | Q(tax_code__isnull=False),
                name="organisation_has_tax_code",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    @property
    def identifier(self) -> str:
        """The identification number printed on forms (personal ID or tax code)."""
        return self.personal_id_number or self.tax_code or ""

    @property
    def is_applicant(self) -> bool:
        return self.kind in (UserKind.CITIZEN, UserKind.ORGANISATION)


class SignInMethod(models.TextChoices):
    PASSWORD = "password", _("Mật khẩu")
    NATIONAL_SSO = "national_sso", _("VNeID / Cổng DVCQG")


class SessionEndReason(models.TextChoices):
    LOGOUT = "logout", _("Đăng xuất")
    IDLE = "idle", _("Hết thời gian không thao tác")
    REVOKED = "revoked", _("Đăng xuất khỏi mọi thiết bị")


class SignInSession(models.Model):
    """One signed-in browser session, so a person can see and end them all.

    Works with any session engine: the row names the session key, and ending
    it deletes that session from the store.
    """

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="sign_in_sessions",
        verbose_name=_("người dùng"),
    )
    session_key = models.CharField(max_length=64, unique=True)
    method = models.CharField(
        _("cách đăng nhập"), max_length=16, choices=SignInMethod.choices, default="password"
    )
    ip_address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    user_agent = models.CharField(_("trình duyệt"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("đăng nhập lúc"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("hoạt động gần nhất"), auto_now_add=True)
    ended_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    end_reason = models.CharField(
        _("lý do kết thúc"), max_length=16, choices=SessionEndReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("phiên đăng nhập")
        verbose_name_plural = _("phiên đăng nhập")
        indexes = [models.Index(fields=["user", "ended_at"], name="signin_user_open_idx")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.created_at:%Y-%m-%d %H:%M}"
