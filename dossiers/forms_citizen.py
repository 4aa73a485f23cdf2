"""Forms of the citizen's online submission pages (input parsing only: the
services decide what is allowed)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from procedures.models import FeeItem, Level, ProcedureVersion
from procedures.templatetags.catalogue import vnd
from tthc_portal.accounts.models import phone_validator
from tthc_portal.agencies.models import Agency, AgencyKind

from .models import Dossier, PersonalDocument

ACCEPTED_EXTENSIONS = ".pdf,.jpg,.jpeg,.png"

id_number_validator = RegexValidator(
    r"^[0-9A-Za-z]{6,20}$",
    _("Số giấy tờ chỉ gồm chữ cái và chữ số (từ 6 đến 20 ký tự)."),
)


def active_communes() -> QuerySet[Agency]:
    return Agency.objects.filter(kind=AgencyKind.COMMUNE, is_active=True).order_by("name")


def needs_commune(version: ProcedureVersion) -> bool:
    """Province-level procedures go to their implementing unit automatically."""
    return not (version.level == Level.PROVINCE and version.implementing_agency_id)


def commune_required(version: ProcedureVersion) -> bool:
    return version.level == Level.COMMUNE or not version.implementing_agency_id


class StartForm(forms.Form):
    commune = forms.ModelChoiceField(
        label=_("UBND cấp xã nơi nộp hồ sơ"),
        queryset=Agency.objects.none(),
        empty_label=_("— Chọn xã, phường —"),
        error_messages={
            "required": _("Vui lòng chọn UBND cấp xã nơi nộp hồ sơ."),
            "invalid_choice": _("UBND cấp xã đã chọn không hợp lệ hoặc đã ngừng hoạt động."),
        },
    )

    def __init__(self, *args: Any, version: ProcedureVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not needs_commune(version):
            del self.fields["commune"]
            return
        field = self.fields["commune"]
        field.queryset = active_communes()
        field.required = commune_required(version)
        if not field.required:
            field.empty_label = _("— Nộp tại cơ quan cấp tỉnh —")
            field.help_text = _("Có thể chọn UBND cấp xã gần nơi bạn ở để nộp hồ sơ.")


def fee_amount(fee: FeeItem) -> int | None:
    """The amount an online dossier pays for this item."""
    return fee.online_amount_vnd if fee.online_amount_vnd is not None else fee.amount_vnd


class DraftForm(forms.Form):
    """The e-form (tờ khai) of the applicant.

    ``strict`` is for "Nộp hồ sơ": every required field must be filled. "Lưu
    nháp" only checks formats, so a half-filled draft can be kept.
    """

    applicant_name = forms.CharField(
        label=_("Họ và tên / tên tổ chức"),
        max_length=255,
        error_messages={"required": _("Vui lòng nhập họ và tên hoặc tên tổ chức.")},
    )
    applicant_id_number = forms.CharField(
        label=_("Số định danh cá nhân / mã số thuế"),
        disabled=True,
        required=False,
        help_text=_("Lấy từ tài khoản đăng nhập, không sửa được."),
    )
    applicant_phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        error_messages={"required": _("Vui lòng nhập số điện thoại liên hệ.")},
    )
    applicant_email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")},
    )
    applicant_address = forms.CharField(
        label=_("Địa chỉ"),
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
        error_messages={"required": _("Vui lòng nhập địa chỉ liên hệ.")},
    )
    representative_name = forms.CharField(
        label=_("Họ tên người được ủy quyền"), max_length=255, required=False
    )
    representative_id_number = forms.CharField(
        label=_("Số định danh người được ủy quyền"),
        max_length=20,
        required=False,
        validators=[id_number_validator],
    )
    representative_phone = forms.CharField(
        label=_("Điện thoại người được ủy quyền"),
        max_length=20,
        required=False,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    representative_authorisation = forms.CharField(
        label=_("Giấy ủy quyền (số, ngày)"), max_length=255, required=False
    )
    request_content = forms.CharField(
        label=_("Nội dung yêu cầu giải quyết"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Vui lòng ghi nội dung yêu cầu giải quyết.")},
    )
    result_delivery = forms.ChoiceField(
        label=_("Hình thức nhận kết quả"),
        choices=Dossier._meta.get_field("result_delivery").choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Vui lòng chọn hình thức nhận kết quả.")},
    )
    fee_choice = forms.TypedChoiceField(
        label=_("Mức phí, lệ phí áp dụng cho trường hợp của bạn"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Vui lòng chọn mức phí, lệ phí phù hợp với trường hợp của bạn."),
            "invalid_choice": _("Mức phí, lệ phí đã chọn không thuộc thủ tục này."),
        },
    )

    REPRESENTATIVE_FIELDS = (
        "representative_name",
        "representative_id_number",
        "representative_phone",
        "representative_authorisation",
    )

    def __init__(
        self, *args: Any, fees: list[FeeItem], strict: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        tiers = [fee for fee in fees if fee.is_alternative]
        if tiers:
            self.fields["fee_choice"].choices = [
                (fee.pk, f"{fee.name} – {vnd(fee_amount(fee)) or _('không thu')}") for fee in tiers
            ]
        else:
            del self.fields["fee_choice"]
        if not strict:
            for field in self.fields.values():
                field.required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if any(data.get(name) for name in self.REPRESENTATIVE_FIELDS):
            if not data.get("representative_name"):
                self.add_error(
                    "representative_name", _("Vui lòng nhập họ tên người được ủy quyền.")
                )
            if not data.get("representative_id_number") and not self.has_error(
                "representative_id_number"
            ):
                self.add_error(
                    "representative_id_number",
                    _("Vui lòng nhập số định danh của người được ủy quyền."),
                )
        return data

    def service_data(self) -> dict[str, Any]:
        """What ``dossier_update_draft`` receives (never the read-only ID number)."""
        data = {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("applicant_id_number", "fee_choice")
        }
        if not data.get("result_delivery"):
            data.pop("result_delivery", None)
        if self.cleaned_data.get("fee_choice") not in (None, ""):
            data["form_data"] = {"fee_choice": self.cleaned_data["fee_choice"]}
        return data


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Chọn tệp"),
        # Empty files reach the upload check, which names the file in its message.
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_EXTENSIONS}),
        error_messages={
            "required": _("Vui lòng chọn tệp cần tải lên."),
            "invalid": _("Không đọc được tệp gửi lên. Vui lòng chọn lại tệp."),
            "missing": _("Không nhận được tệp. Vui lòng chọn lại tệp."),
        },
    )


class ReuseForm(forms.Form):
    personal_document = forms.ModelChoiceField(
        label=_("Giấy tờ trong kho dữ liệu cá nhân"),
        queryset=PersonalDocument.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Vui lòng chọn một giấy tờ trong kho dữ liệu cá nhân."),
            "invalid_choice": _("Giấy tờ đã chọn không có trong kho dữ liệu của bạn."),
        },
    )

    def __init__(self, *args: Any, documents: QuerySet[PersonalDocument], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["personal_document"].queryset = documents
