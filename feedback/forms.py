"""Forms of the public PAKN page, the staff workspace, the kiosk and the rating sheet.

Validation rules live in the services (one place); the forms add the
services' messages to the field they concern so the page keeps the input.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from procedures.models import Field
from tthc_portal.agencies.models import Agency

from .models import Category, Channel, Kind, Like, RatingCriterion, Subject, SubmitterKind
from .services import FeedbackError
from .services.pakn import submission_errors

# --- files ---------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the upload service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


def add_service_errors(form: forms.Form, error: FeedbackError) -> None:
    """Show a refused operation beside the fields it names, the rest on top."""
    placed = False
    for name, messages in error.fields.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)
            placed = True
    if not placed:
        form.add_error(None, error.message)
        for detail in error.errors:
            form.add_error(None, detail)


# --- PAKN: public form and staff entry ---------------------------------------------------


def _agency_choices():
    return Agency.objects.filter(is_active=True).order_by("path")


class PaknForm(forms.Form):
    submitter_kind = forms.ChoiceField(
        label=_("Người gửi là"),
        choices=SubmitterKind.choices,
        initial=SubmitterKind.INDIVIDUAL,
        required=False,
        widget=forms.RadioSelect,
    )
    submitter_name = forms.CharField(
        label=_("Họ và tên / tên tổ chức"), max_length=255, required=False
    )
    submitter_address = forms.CharField(
        label=_("Địa chỉ"),
        max_length=500,
        required=False,
        help_text=_("Nơi cư trú hoặc trụ sở của tổ chức."),
    )
    submitter_phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    submitter_email = forms.CharField(
        label=_("Thư điện tử"),
        max_length=254,
        required=False,
        help_text=_("Nhập thư điện tử hoặc địa chỉ nhận thư qua bưu chính (ít nhất một)."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    submitter_postal_address = forms.CharField(
        label=_("Địa chỉ nhận thư qua bưu chính"),
        max_length=500,
        required=False,
        help_text=_("Nếu không có thư điện tử; có thể trùng địa chỉ ở trên."),
    )
    kind = forms.ChoiceField(
        label=_("Loại"),
        choices=Kind.choices,
        initial=Kind.FEEDBACK,
        required=False,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=_("Tiêu đề"), max_length=255, required=False)
    content = forms.CharField(
        label=_("Nội dung phản ánh, kiến nghị"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_("Nêu rõ quy định, thủ tục hoặc việc thực hiện mà ông/bà phản ánh, kiến nghị."),
    )
    dossier_code = forms.CharField(
        label=_("Mã hồ sơ liên quan (nếu có)"),
        max_length=64,
        required=False,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    procedure_code = forms.CharField(
        label=_("Mã thủ tục hành chính liên quan (nếu có)"),
        max_length=40,
        required=False,
        help_text=_("Ví dụ 1.001122."),
    )
    about_agency = forms.ModelChoiceField(
        label=_("Cơ quan liên quan (nếu có)"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("— Không chọn —"),
    )
    attachments = MultipleFileField(
        label=_("Tệp đính kèm (PDF, JPG, PNG)"),
        help_text=_("Không bắt buộc. Tối đa 5 tệp, mỗi tệp không quá 10 MB."),
    )
    consent_publish_identity = forms.BooleanField(
        label=_("Tôi đồng ý công khai họ tên khi công khai kết quả xử lý"),
        required=False,
        help_text=_(
            "Mặc định không công khai. Địa chỉ, số điện thoại, thư điện tử không bao giờ "
            "được công khai."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["about_agency"].queryset = _agency_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name, messages in submission_errors(data).items():
            for message in messages:
                if name in self.fields and name not in self.errors:
                    self.add_error(name, message)
        return data


class StaffEntryForm(PaknForm):
    """A letter, a call, an email, a fax or a transfer, entered by an officer."""

    channel = forms.ChoiceField(
        label=_("Kênh tiếp nhận"),
        choices=[(c.value, c.label) for c in Channel if c != Channel.PORTAL],
    )
    received_at = forms.DateTimeField(
        label=_("Thời điểm nhận"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        help_text=_("Ngày giờ nhận thư, cuộc gọi hoặc văn bản chuyển đến."),
    )
    transferred_from = forms.CharField(
        label=_("Cơ quan chuyển đến"),
        max_length=255,
        required=False,
        help_text=_("Chỉ khi Văn phòng Chính phủ, Bộ hoặc tỉnh khác chuyển đến."),
    )
    receiving_agency = forms.ModelChoiceField(
        label=_("Cơ quan tiếp nhận"), queryset=Agency.objects.none(), empty_label=None
    )

    field_order = ["channel", "received_at", "transferred_from", "receiving_agency"]

    def __init__(self, *args: Any, agencies=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["receiving_agency"].queryset = agencies
        if not self.is_bound:
            self.initial.setdefault(
                "received_at", timezone.localtime().replace(second=0, microsecond=0)
            )
        self.fields["consent_publish_identity"].label = _(
            "Người gửi đồng ý công khai họ tên khi công khai kết quả"
        )


# --- PAKN: staff actions ---------------------------------------------------------------


class ClassifyForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Phân loại"), choices=Category.choices, widget=forms.RadioSelect
    )
    subject = forms.ChoiceField(
        label=_("Nội dung liên quan (tiêu chí 5.1)"),
        choices=[("", _("— Theo phân loại —")), *Subject.choices],
        required=False,
    )
    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        queryset=Field.objects.order_by("name"),
        required=False,
        empty_label=_("— Giữ nguyên —"),
    )
    reason = forms.CharField(
        label=_("Lý do không tiếp nhận"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Bắt buộc khi phân loại “Không đủ điều kiện tiếp nhận”; được gửi cho người gửi."
        ),
    )


class ForwardForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Đơn vị xử lý"),
        queryset=Agency.objects.none(),
        empty_label=_("— Chọn đơn vị —"),
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=500)

    def __init__(self, *args: Any, province: Agency | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = _agency_choices()
        if province is not None:
            agencies = agencies.filter(path__startswith=province.path)
        self.fields["agency"].queryset = agencies


class ForwardOutForm(forms.Form):
    recipient = forms.CharField(
        label=_("Cơ quan có thẩm quyền nhận"),
        max_length=255,
        help_text=_("Ví dụ: Bộ Tư pháp; UBND tỉnh khác; Văn phòng Chính phủ."),
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=500)


class RequestInfoForm(forms.Form):
    request = forms.CharField(
        label=_("Thông tin cần người gửi bổ sung"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Chỉ được đề nghị bổ sung một lần: liệt kê đủ các nội dung."),
    )


class SupplementForm(forms.Form):
    response = forms.CharField(
        label=_("Thông tin bổ sung"), widget=forms.Textarea(attrs={"rows": 5})
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Nội dung trả lời, kết quả xử lý"),
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_("Nội dung này được công khai sau khi Văn phòng UBND tỉnh duyệt."),
    )


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 3}))


class TransferForm(forms.Form):
    from_body = forms.CharField(label=_("Cơ quan chuyển đến"), max_length=255)


class ConfirmForm(forms.Form):
    """Approve / publish: nothing to type."""


# --- public list, report -----------------------------------------------------------------


class PublishedSearchForm(forms.Form):
    q = forms.CharField(label=_("Từ khóa"), required=False, max_length=200)
    co_quan = forms.IntegerField(label=_("Cơ quan trả lời"), required=False, min_value=1)
    linh_vuc = forms.IntegerField(label=_("Lĩnh vực"), required=False, min_value=1)


def half_year(today: date) -> tuple[date, date]:
    if today.month <= 6:
        return date(today.year, 1, 1), date(today.year, 6, 30)
    return date(today.year, 7, 1), date(today.year, 12, 31)


class ReportForm(forms.Form):
    tu_ngay = forms.DateField(label=_("Từ ngày"), widget=forms.DateInput(attrs={"type": "date"}))
    den_ngay = forms.DateField(label=_("Đến ngày"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("tu_ngay"), data.get("den_ngay")
        if start and end and end < start:
            self.add_error("den_ngay", _("Ngày kết thúc phải sau ngày bắt đầu."))
        if start and end and (end - start).days > 3 * 366:
            self.add_error("den_ngay", _("Kỳ báo cáo không quá 3 năm."))
        return data


# --- ratings ---------------------------------------------------------------------------------


class KioskLookupForm(forms.Form):
    code = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=64,
        help_text=_("Gõ mã in trên giấy hẹn, hoặc quét mã QR trên giấy hẹn bằng máy đọc."),
        error_messages={"required": _("Vui lòng nhập mã hồ sơ.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "autofocus": True,
                "class": "kiosk-input",
            }
        ),
    )
    last4 = forms.CharField(
        label=_("4 số cuối điện thoại hoặc số định danh"),
        min_length=4,
        max_length=4,
        help_text=_("Của người nộp hồ sơ, như khi tra cứu hồ sơ."),
        validators=[RegexValidator(r"^\d{4}$", _("Vui lòng nhập đúng 4 chữ số."))],
        error_messages={
            "required": _("Vui lòng nhập 4 chữ số cuối."),
            "min_length": _("Vui lòng nhập đúng 4 chữ số."),
            "max_length": _("Vui lòng nhập đúng 4 chữ số."),
        },
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "pattern": "[0-9]{4}",
                "autocomplete": "off",
                "maxlength": "4",
                "class": "kiosk-input",
            }
        ),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        # A scanned QR code carries the lookup link …/tra-cuu/<token>/: keep the token.
        if "/" in code:
            self.cleaned_data["token"] = [part for part in code.split("/") if part][-1]
            return ""
        return "".join(code.split()).upper()


class RatingForm(forms.Form):
    """The evaluation sheet of a rule set: one radio group per criterion."""

    like = forms.ChoiceField(
        label=_("Nhìn chung, ông/bà có hài lòng không?"),
        choices=Like.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Vui lòng chọn hài lòng hoặc không hài lòng.")},
    )
    comment = forms.CharField(
        label=_("Ý kiến khác (không bắt buộc)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        criteria: list[RatingCriterion],
        prefill: dict[str, int | None],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.prefill = prefill
        fields = {}
        for criterion in criteria:
            name = f"c_{criterion.code}"
            suggested = prefill.get(criterion.code)
            fields[name] = forms.TypedChoiceField(
                label=criterion.label,
                choices=[(str(v), label) for v, label in criterion.choices()],
                coerce=int,
                empty_value=None,
                # Left empty, a pre-filled criterion keeps the system's value.
                required=suggested is None,
                widget=forms.RadioSelect,
                help_text=_("Hệ thống điền sẵn theo hồ sơ: %(n)s điểm; ông/bà có thể sửa.")
                % {"n": suggested}
                if suggested is not None
                else "",
                error_messages={"required": _("Vui lòng chọn mức điểm cho tiêu chí này.")},
            )
            if suggested is not None and not self.is_bound:
                self.initial.setdefault(name, str(suggested))
        self.fields = {**fields, **self.fields}

    def criterion_fields(self):
        return [self[f"c_{c.code}"] for c in self.criteria]

    def scores(self) -> dict[str, int | None]:
        return {c.code: self.cleaned_data.get(f"c_{c.code}") for c in self.criteria}

    def add_service_errors(self, error: FeedbackError) -> None:
        remapped = FeedbackError(
            error.message,
            error.errors,
            {(f"c_{k}" if f"c_{k}" in self.fields else k): v for k, v in error.fields.items()},
        )
        add_service_errors(self, remapped)


class AppraiseForm(forms.Form):
    def __init__(self, *args: Any, scores=(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = list(scores)
        for score in self.rows:
            criterion = score.criterion
            self.fields[f"a_{criterion.code}"] = forms.TypedChoiceField(
                label=criterion.label,
                choices=[
                    ("", "—"),
                    *[
                        (str(v), str(v))
                        for v in range(criterion.min_score, criterion.max_score + 1)
                    ],
                ],
                coerce=int,
                empty_value=None,
                required=False,
                initial="" if score.appraised_score is None else str(score.appraised_score),
            )

    def appraised(self) -> dict[str, int | None]:
        return {s.criterion.code: self.cleaned_data.get(f"a_{s.criterion.code}") for s in self.rows}
