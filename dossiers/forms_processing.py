"""Forms of the processing pages: worklist filters, the actions on a dossier's
current step, the desk's return of the result and the citizen's withdrawal.

Forms only parse and check what was typed; every write goes through the
dossier services, which enforce the lifecycle rules themselves.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from procedures.models import ComponentRequirement, WorkflowStep
from tthc_portal.agencies.models import Agency
from tthc_portal.workdays.services import get_calendar

from .forms_desk import CompletionRequestForm
from .models import Dossier, DossierStep, SupplementRequest, SupplementState

# --- worklist filters --------------------------------------------------------------------

# "y-kien": the unit's answered consultations (the record a consulted unit keeps).
ANSWERED_SCOPE_SLUG = "y-kien"
SCOPES = {
    "cua-toi": "mine",
    "don-vi": "agency",
    "cho-phan-cong": "unassigned",
    ANSWERED_SCOPE_SLUG: "answered",
}
BUCKETS = {
    "qua-han": "overdue",
    "sap-den-han": "due_soon",
    "trong-han": "in_time",
    "tam-dung": "paused",
}
BUCKET_CHOICES = [
    ("", _("Mọi mức độ")),
    ("qua-han", _("Quá hạn")),
    ("sap-den-han", _("Sắp đến hạn")),
    ("trong-han", _("Trong hạn")),
    ("tam-dung", _("Tạm dừng (chờ bổ sung)")),
]
PAGE_SIZES = (25, 50, 100)


class WorklistFilterForm(forms.Form):
    """GET filters of the worklist; an invalid value is ignored, the rest applies."""

    pham_vi = forms.ChoiceField(choices=[(slug, slug) for slug in SCOPES], required=False)
    muc = forms.ChoiceField(label=_("Mức độ"), choices=BUCKET_CHOICES, required=False)
    co_quan = forms.ModelChoiceField(
        label=_("Đơn vị"), queryset=Agency.objects.none(), required=False,
        empty_label=_("Mọi đơn vị"),
    )  # fmt: skip
    q = forms.CharField(
        label=_("Mã hồ sơ hoặc tên thủ tục"), max_length=200, required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Ví dụ 000.00.10.H99-")}),
    )  # fmt: skip
    so_dong = forms.TypedChoiceField(
        label=_("Số dòng mỗi trang"), choices=[(n, n) for n in PAGE_SIZES], coerce=int,
        required=False, empty_value=PAGE_SIZES[0],
    )  # fmt: skip

    def __init__(self, *args, agencies: QuerySet[Agency], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["co_quan"].queryset = agencies

    def values(self) -> dict[str, Any]:
        self.is_valid()  # cleaned_data then holds the fields that were valid
        data = self.cleaned_data
        return {
            "scope": SCOPES.get(data.get("pham_vi") or "", "mine"),
            "scope_slug": data.get("pham_vi") or "cua-toi",
            "bucket": BUCKETS.get(data.get("muc") or "", ""),
            "agency": data.get("co_quan"),
            "query": (data.get("q") or "").strip(),
            "per_page": data.get("so_dong") or PAGE_SIZES[0],
        }


# --- actions on the current step -----------------------------------------------------------


def _required(message) -> dict:
    return {"required": message}


def _text(label, message, *, rows: int = 3, max_length: int = 2000, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=max_length, error_messages=_required(message),
        widget=forms.Textarea(attrs={"rows": rows}), **kwargs,
    )  # fmt: skip


def _person(user) -> str:
    return getattr(user, "display_name", "") or user.get_username()


class StepForm(forms.Form):
    """Names the step the page showed: a step handed on meanwhile is refused by
    the service ("hãy tải lại trang") instead of acting on the next one."""

    step = forms.ModelChoiceField(
        queryset=DossierStep.objects.none(), widget=forms.HiddenInput,
        error_messages={
            "required": _("Thiếu bước xử lý; hãy tải lại trang."),
            "invalid_choice": _("Bước xử lý không thuộc hồ sơ này; hãy tải lại trang."),
        },
    )  # fmt: skip

    def __init__(self, *args, dossier: Dossier, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["step"].queryset = dossier.steps.all()


class _PeopleChoice(forms.TypedChoiceField):
    def __init__(self, people: list, **kwargs) -> None:
        self.people = {person.pk: person for person in people}
        choices = [(person.pk, _person(person)) for person in people]
        super().__init__(choices=choices, coerce=int, **kwargs)


class AssignForm(StepForm):
    def __init__(self, *args, people: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"] = _PeopleChoice(
            people, label=_("Giao cho"),
            error_messages={"required": _("Vui lòng chọn người xử lý."),
                            "invalid_choice": _("Người này không xử lý được bước này.")},
        )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("assignee") is not None:
            cleaned["assignee_obj"] = self.fields["assignee"].people[cleaned["assignee"]]
        return cleaned


class CompleteForm(StepForm):
    note = forms.CharField(
        label=_("Ý kiến, kết quả xử lý"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip

    def __init__(self, *args, people: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if people:
            field = _PeopleChoice(
                people, label=_("Chuyên viên thụ lý bước sau (không bắt buộc)"), required=False,
                empty_value=None,
                error_messages={"invalid_choice": _("Người này không xử lý được bước sau.")},
            )  # fmt: skip
            field.choices = [("", _("— Để lãnh đạo đơn vị phân công —")), *field.choices]
            self.fields["assignee"] = field

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        chosen = cleaned.get("assignee")
        field = self.fields.get("assignee")
        cleaned["assignee_obj"] = field.people[chosen] if field is not None and chosen else None
        cleaned["note"] = (cleaned.get("note") or "").strip()
        return cleaned


class SendBackForm(StepForm):
    note = _text(_("Lý do trả lại"), _("Vui lòng ghi rõ lý do trả lại."))

    def __init__(self, *args, targets: list[WorkflowStep], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_order"] = forms.TypedChoiceField(
            label=_("Trả lại bước"), coerce=int,
            choices=[(s.order, f"{s.order}. {s.name}") for s in targets],
            error_messages={"required": _("Vui lòng chọn bước được trả lại."),
                            "invalid_choice": _("Chỉ trả lại được một bước trước bước hiện tại.")},
        )  # fmt: skip


class ConsultForm(StepForm):
    agency = forms.ModelChoiceField(
        label=_("Cơ quan được xin ý kiến"), queryset=Agency.objects.none(),
        error_messages={"required": _("Vui lòng chọn cơ quan được xin ý kiến."),
                        "invalid_choice": _("Cơ quan này không nhận xin ý kiến.")},
    )  # fmt: skip
    question = _text(_("Nội dung xin ý kiến"), _("Vui lòng nêu nội dung xin ý kiến."))

    def __init__(self, *args, agencies: QuerySet[Agency], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class ConsultAnswerForm(forms.Form):
    answer = _text(_("Ý kiến trả lời"), _("Vui lòng ghi nội dung ý kiến trả lời."), rows=4)

    def __init__(self, *args, consultations: list[DossierStep], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consultation"] = forms.TypedChoiceField(
            label=_("Trả lời đề nghị"), coerce=int,
            choices=[(s.pk, s.name) for s in consultations],
            widget=forms.HiddenInput if len(consultations) == 1 else forms.Select,
            initial=consultations[0].pk if len(consultations) == 1 else None,
            error_messages={"required": _("Vui lòng chọn đề nghị xin ý kiến cần trả lời."),
                            "invalid_choice": _("Đề nghị này đã được trả lời hoặc không thuộc "
                                                "đơn vị của bạn; hãy tải lại trang.")},
        )  # fmt: skip


class SupplementDraftForm(CompletionRequestForm):
    """Form 02 during processing: the specialist's draft, every item with its
    reason. A second request needs a justification (it counts as late)."""

    justification = forms.CharField(
        label=_("Lý do phải yêu cầu bổ sung thêm lần nữa"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip

    def __init__(
        self, *args, requirements: list[ComponentRequirement], warning: str = "", **kwargs
    ) -> None:
        super().__init__(*args, requirements=requirements, **kwargs)
        self.fields["note"].label = _("Hướng dẫn thêm cho công dân")
        self.warning = warning
        if warning:
            self.fields["justification"].required = True
            self.fields["justification"].error_messages["required"] = warning

    def clean_justification(self) -> str:
        value = (self.cleaned_data.get("justification") or "").strip()
        if self.warning and not value:
            raise forms.ValidationError(self.warning)
        return value


class SupplementDecisionForm(forms.Form):
    request = forms.ModelChoiceField(
        queryset=SupplementRequest.objects.none(), widget=forms.HiddenInput,
        error_messages={"required": _("Thiếu dự thảo yêu cầu bổ sung; hãy tải lại trang."),
                        "invalid_choice": _("Dự thảo này đã được xử lý; hãy tải lại trang.")},
    )  # fmt: skip
    acknowledge_late = forms.BooleanField(
        label=_("Tôi biết hồ sơ sẽ bị tính là trễ hạn vì yêu cầu bổ sung nhiều hơn một lần."),
        required=False,
    )

    def __init__(self, *args, dossier: Dossier, second: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["request"].queryset = dossier.supplement_requests.filter(
            state=SupplementState.DRAFT
        )
        self.second = second
        if not second:
            del self.fields["acknowledge_late"]


class RejectForm(forms.Form):
    reason = _text(
        _("Lý do hồ sơ không đủ điều kiện giải quyết"),
        _("Vui lòng nêu rõ lý do hồ sơ không đủ điều kiện giải quyết."),
    )


class StopForm(forms.Form):
    reason = _text(_("Lý do dừng xử lý"), _("Vui lòng ghi rõ lý do dừng xử lý hồ sơ."))


class ResultUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp kết quả (PDF)"),
        error_messages={"required": _("Vui lòng chọn tệp PDF kết quả giải quyết."),
                        "empty": _("Tệp kết quả rỗng (0 byte).")},
        widget=forms.FileInput(attrs={"accept": ".pdf,application/pdf"}),
    )  # fmt: skip


class ResultGenerateForm(forms.Form):
    content = forms.CharField(
        label=_("Nội dung kết quả giải quyết"), min_length=10, max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Nội dung được điền vào mẫu kết quả của cơ quan; lãnh đạo ký số khi phê duyệt."
        ),
        error_messages={"required": _("Vui lòng nhập nội dung kết quả giải quyết."),
                        "min_length": _("Nội dung kết quả quá ngắn (ít nhất 10 ký tự).")},
    )  # fmt: skip


class ApproveForm(forms.Form):
    note = forms.CharField(
        label=_("Ý kiến phê duyệt (không bắt buộc)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class ApologyForm(forms.Form):
    """Form 04: the reason and one new appointment (a working day, in office hours)."""

    reason = _text(_("Lý do chậm trả kết quả"), _("Vui lòng nêu lý do chậm trả kết quả."))
    new_date = forms.DateField(
        label=_("Ngày hẹn trả mới"), input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Vui lòng chọn ngày hẹn trả mới."),
                        "invalid": _("Ngày hẹn trả mới không hợp lệ.")},
    )  # fmt: skip
    new_time = forms.TimeField(
        label=_("Giờ hẹn trả"), input_formats=["%H:%M", "%H:%M:%S"], initial=time(17, 0),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("Vui lòng chọn giờ hẹn trả."),
                        "invalid": _("Giờ hẹn trả không hợp lệ.")},
    )  # fmt: skip

    def __init__(self, *args, due_at: datetime | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.due_at = due_at

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        day, at = cleaned.get("new_date"), cleaned.get("new_time")
        if day is None or at is None:
            return cleaned
        calendar = get_calendar()
        if not calendar.is_working_day(day):
            reason = calendar.non_working_reason(day) or _("ngày nghỉ")
            self.add_error(
                "new_date",
                _("Ngày %(day)s không phải ngày làm việc (%(reason)s).")
                % {"day": day.strftime("%d/%m/%Y"), "reason": reason},
            )
            return cleaned
        new_due = timezone.make_aware(datetime.combine(day, at), timezone.get_current_timezone())
        if not calendar.opening_of(day) <= new_due <= calendar.closing_of(day):
            self.add_error("new_time", _("Giờ hẹn trả phải trong giờ làm việc."))
        elif self.due_at is not None and new_due <= self.due_at:
            self.add_error(
                "new_date",
                _("Ngày hẹn trả mới phải sau ngày hẹn hiện tại (%(due)s).")
                % {"due": timezone.localtime(self.due_at).strftime("%H:%M %d/%m/%Y")},
            )
        cleaned["new_due_at"] = new_due
        return cleaned


# --- the desk: return of the result --------------------------------------------------------

RETURN_METHOD_CHOICES = [
    ("desk", _("Trực tiếp tại Bộ phận Một cửa")),
    ("postal", _("Qua dịch vụ bưu chính công ích")),
    ("online", _("Trực tuyến (kho dữ liệu cá nhân)")),
]


class ReturnForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Hình thức trả kết quả"), choices=RETURN_METHOD_CHOICES, widget=forms.RadioSelect,
        error_messages={"required": _("Vui lòng chọn hình thức trả kết quả."),
                        "invalid_choice": _("Hình thức trả kết quả không hợp lệ.")},
    )  # fmt: skip
    returned_to = forms.CharField(
        label=_("Họ tên người nhận kết quả"), max_length=255, required=False,
        help_text=_("Bắt buộc khi trả tại Bộ phận Một cửa (người nộp hoặc người được ủy quyền)."),
    )  # fmt: skip
    note = forms.CharField(
        label=_("Ghi chú (số giấy tờ người nhận, mã bưu gửi…)"), max_length=1000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        cleaned["returned_to"] = (cleaned.get("returned_to") or "").strip()
        cleaned["note"] = (cleaned.get("note") or "").strip()
        if cleaned.get("method") == "desk" and not cleaned["returned_to"]:
            self.add_error(
                "returned_to", _("Hãy ghi họ tên người nhận kết quả tại Bộ phận Một cửa.")
            )
        return cleaned


# --- the citizen: withdrawal ------------------------------------------------------------------


class WithdrawForm(forms.Form):
    reason = _text(
        _("Lý do rút hồ sơ"), _("Vui lòng ghi lý do rút hồ sơ."), max_length=1000,
        help_text=_("Cơ quan giải quyết sẽ dừng xử lý và gửi Thông báo dừng giải quyết hồ sơ."),
    )  # fmt: skip
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


__all__ = [
    "ANSWERED_SCOPE_SLUG",
    "PAGE_SIZES",
    "ApologyForm",
    "ApproveForm",
    "AssignForm",
    "CompleteForm",
    "ConsultAnswerForm",
    "ConsultForm",
    "RejectForm",
    "ResultGenerateForm",
    "ResultUploadForm",
    "ReturnForm",
    "SendBackForm",
    "StepForm",
    "StopForm",
    "SupplementDecisionForm",
    "SupplementDraftForm",
    "WithdrawForm",
    "WorklistFilterForm",
]
