"""Forms of the one-stop desk's reception workspace.

Forms only parse and check what the officer typed; every write goes through
the dossier services, which enforce the lifecycle rules themselves.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from procedures.models import ComponentRequirement, ProcedureVersion
from tthc_portal.agencies.models import Agency

from .models import Channel, Dossier, Status

ID_NUMBER_RE = re.compile(r"^\d{12}$")
TAX_CODE_RE = re.compile(r"^\d{10}(-\d{3})?$")
PHONE_RE = re.compile(r"^(\+84|0)\d{9,10}$")
FREE_ITEMS = 3
SCAN_ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"

QUEUE_STATUS_CHOICES = [
    ("", _("Tất cả")),
    (Status.SUBMITTED, _("Chờ tiếp nhận")),
    (Status.AWAITING_COMPLETION, _("Chờ bổ sung trước khi tiếp nhận")),
    (Status.RECEIVED, _("Đã tiếp nhận, chờ chuyển xử lý")),
]
CHANNEL_FILTER_CHOICES = [("", _("Mọi kênh")), *Channel.choices]
COUNTER_CHANNEL_CHOICES = [
    (Channel.IN_PERSON, _("Trực tiếp tại quầy")),
    (Channel.POSTAL, _("Qua bưu chính công ích")),
    (Channel.ONLINE, _("Trực tuyến (cán bộ nộp thay công dân)")),
]


def _compact(value: str) -> str:
    return re.sub(r"[\s.]", "", value or "")


# --- queue -----------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    """GET filters of the queue; an invalid value is simply ignored."""

    trang_thai = forms.ChoiceField(
        label=_("Trạng thái"), choices=QUEUE_STATUS_CHOICES, required=False
    )
    kenh = forms.TypedChoiceField(
        label=_("Kênh nộp"), choices=CHANNEL_FILTER_CHOICES, coerce=int, empty_value=None,
        required=False,
    )  # fmt: skip
    q = forms.CharField(
        label=_("Thủ tục (mã hoặc tên)"), max_length=200, required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Ví dụ 1.001122")}),
    )  # fmt: skip
    qua_han = forms.BooleanField(label=_("Chỉ hồ sơ chờ quá 8 giờ làm việc"), required=False)

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "status": data.get("trang_thai") or None,
            "channel": data.get("kenh") or None,
            "query": (data.get("q") or "").strip(),
            "overdue_only": bool(data.get("qua_han")),
        }


# --- counter entry ---------------------------------------------------------------------


class CounterSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm thủ tục (mã hoặc tên)"), max_length=200, required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Ví dụ 1.001122")}),
    )  # fmt: skip
    co_quan = forms.ModelChoiceField(
        label=_("Tiếp nhận cho cơ quan"), queryset=None, required=False, empty_label=None
    )

    def __init__(self, *args, agencies, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["co_quan"].queryset = agencies

    def agency(self):
        if self.is_valid() and self.cleaned_data.get("co_quan"):
            return self.cleaned_data["co_quan"]
        return self.fields["co_quan"].queryset.first()


def counter_channels(version: ProcedureVersion) -> list[tuple[int, str]]:
    """The counter channels the published procedure offers."""
    offered = {
        Channel.IN_PERSON: version.channel_in_person,
        Channel.POSTAL: version.channel_postal,
        Channel.ONLINE: version.channel_online,
    }
    return [(value, label) for value, label in COUNTER_CHANNEL_CHOICES if offered[value]]


class CounterStartForm(forms.Form):
    """Which procedure, for which desk, through which channel."""

    procedure = forms.IntegerField(widget=forms.HiddenInput)
    agency = forms.IntegerField(widget=forms.HiddenInput)
    channel = forms.TypedChoiceField(
        label=_("Kênh tiếp nhận"), choices=COUNTER_CHANNEL_CHOICES, coerce=int,
        initial=Channel.IN_PERSON, widget=forms.RadioSelect,
        error_messages={"required": _("Vui lòng chọn kênh tiếp nhận hồ sơ."),
                        "invalid_choice": _("Kênh tiếp nhận không hợp lệ.")},
    )  # fmt: skip

    def __init__(
        self, *args, versions_for: Callable[[Agency], QuerySet[ProcedureVersion]],
        agencies: QuerySet[Agency], **kwargs,
    ) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.versions_for = versions_for  # the procedures an agency's desk receives
        self.agencies = agencies

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        agency = self.agencies.filter(pk=cleaned.get("agency") or 0).first()
        if agency is None:
            raise forms.ValidationError(_("Bạn không tiếp nhận hồ sơ cho cơ quan này."))
        version = (
            self.versions_for(agency).select_related("procedure")
            .filter(procedure_id=cleaned.get("procedure") or 0).first()
        )  # fmt: skip
        if version is None:
            raise forms.ValidationError(
                _("Thủ tục này không thuộc danh mục tiếp nhận của %(agency)s.")
                % {"agency": agency.name}
            )
        channel = cleaned.get("channel")
        if channel is not None and channel not in dict(counter_channels(version)):
            self.add_error(
                "channel",
                _("Thủ tục này không nhận hồ sơ qua kênh “%(channel)s”.")
                % {"channel": Channel(channel).label},
            )
        cleaned["agency_obj"] = agency
        cleaned["procedure_obj"] = version.procedure
        return cleaned


def validate_identifier(value: str) -> str:
    value = _compact(value)
    if not (ID_NUMBER_RE.match(value) or TAX_CODE_RE.match(value)):
        raise forms.ValidationError(
            _(
                "Số định danh cá nhân phải gồm đúng 12 chữ số; mã số thuế gồm 10 chữ số "
                "(chi nhánh thêm dấu “-” và 3 chữ số)."
            )
        )
    return value


class ApplicantForm(forms.Form):
    """The applicant's data as the officer takes it at the counter."""

    applicant_name = forms.CharField(
        label=_("Họ và tên / tên tổ chức"), max_length=255,
        error_messages={"required": _("Vui lòng nhập họ và tên hoặc tên tổ chức.")},
    )  # fmt: skip
    applicant_id_number = forms.CharField(
        label=_("Số định danh cá nhân / mã số thuế"), max_length=20,
        help_text=_("12 chữ số trên thẻ căn cước; tổ chức ghi mã số thuế."),
        error_messages={"required": _("Vui lòng nhập số định danh cá nhân hoặc mã số thuế.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )  # fmt: skip
    applicant_phone = forms.CharField(
        label=_("Điện thoại"), max_length=20, required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )  # fmt: skip
    applicant_email = forms.EmailField(
        label=_("Thư điện tử"), required=False,
        error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")},
    )  # fmt: skip
    applicant_address = forms.CharField(
        label=_("Địa chỉ"),
        max_length=500,
        error_messages={"required": _("Vui lòng nhập địa chỉ.")},
    )
    representative_name = forms.CharField(
        label=_("Người được ủy quyền (nếu có)"), max_length=255, required=False
    )
    representative_id_number = forms.CharField(
        label=_("Số định danh người được ủy quyền"), max_length=20, required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )  # fmt: skip
    representative_phone = forms.CharField(
        label=_("Điện thoại người được ủy quyền"), max_length=20, required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )  # fmt: skip
    representative_authorisation = forms.CharField(
        label=_("Giấy ủy quyền (số, ngày)"), max_length=255, required=False
    )
    result_delivery = forms.ChoiceField(
        label=_("Nhận kết quả"), choices=Dossier._meta.get_field("result_delivery").choices
    )

    @classmethod
    def for_dossier(cls, dossier: Dossier, data=None) -> ApplicantForm:
        initial = {name: getattr(dossier, name) for name in cls.base_fields}
        return cls(data, initial=initial)

    def clean_applicant_id_number(self) -> str:
        return validate_identifier(self.cleaned_data["applicant_id_number"])

    def _phone(self, name: str) -> str:
        value = _compact(self.cleaned_data.get(name, "")).replace("-", "")
        if value and not PHONE_RE.match(value):
            raise forms.ValidationError(_("Số điện thoại không hợp lệ (ví dụ 0912345678)."))
        return value

    def clean_applicant_phone(self) -> str:
        return self._phone("applicant_phone")

    def clean_representative_phone(self) -> str:
        return self._phone("representative_phone")

    def clean_representative_id_number(self) -> str:
        value = _compact(self.cleaned_data.get("representative_id_number", ""))
        if value and not ID_NUMBER_RE.match(value):
            raise forms.ValidationError(
                _("Số định danh của người được ủy quyền phải gồm đúng 12 chữ số.")
            )
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        representative = [
            cleaned.get(name)
            for name in (
                "representative_name", "representative_id_number",
                "representative_phone", "representative_authorisation",
            )
        ]  # fmt: skip
        if any(representative):
            if not cleaned.get("representative_name") and "representative_name" not in self.errors:
                self.add_error(
                    "representative_name", _("Vui lòng nhập họ tên người được ủy quyền.")
                )
            if (
                not cleaned.get("representative_id_number")
                and "representative_id_number" not in self.errors
            ):
                self.add_error(
                    "representative_id_number",
                    _("Vui lòng nhập số định danh của người được ủy quyền."),
                )
        return cleaned


# --- the check page --------------------------------------------------------------------


class DigitiseForm(forms.Form):
    """One paper brought to the counter, scanned by the officer."""

    requirement = forms.TypedChoiceField(
        label=_("Thành phần hồ sơ"), coerce=int,
        error_messages={"required": _("Vui lòng chọn thành phần hồ sơ được số hóa."),
                        "invalid_choice": _("Thành phần hồ sơ không thuộc thủ tục này.")},
    )  # fmt: skip
    file = forms.FileField(
        label=_("Bản quét (PDF, JPG, PNG)"),
        error_messages={"required": _("Vui lòng chọn tệp bản quét."),
                        "empty": _("Tệp bản quét rỗng (0 byte).")},
        widget=forms.FileInput(attrs={"accept": SCAN_ACCEPT}),
    )  # fmt: skip

    def __init__(self, *args, requirements, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["requirement"].choices = [(r.pk, r.name[:120]) for r in requirements]


class CompletionRequestForm(forms.Form):
    """Form 02: every requirement with a checkbox and a reason, plus free items.

    Field names: ``item_<requirement id>``, ``reason_<requirement id>``,
    ``extra_name_<n>``, ``extra_reason_<n>`` and ``note``.
    """

    note = forms.CharField(
        label=_("Hướng dẫn thêm cho người nộp"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip

    def __init__(
        self, *args, requirements: list[ComponentRequirement], missing: set[int] = frozenset(),
        **kwargs,
    ) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.requirements = list(requirements)
        for requirement in self.requirements:
            self.fields[f"item_{requirement.pk}"] = forms.BooleanField(
                label=requirement.name, required=False, initial=requirement.pk in missing
            )
            self.fields[f"reason_{requirement.pk}"] = forms.CharField(
                label=_("Lý do"), required=False, max_length=1000,
                initial=_("Chưa có trong hồ sơ") if requirement.pk in missing else "",
            )  # fmt: skip
        for n in range(1, FREE_ITEMS + 1):
            self.fields[f"extra_name_{n}"] = forms.CharField(
                label=_("Tên giấy tờ, nội dung"), required=False, max_length=500
            )
            self.fields[f"extra_reason_{n}"] = forms.CharField(
                label=_("Lý do"), required=False, max_length=1000
            )

    def rows(self) -> list[tuple[ComponentRequirement, forms.BoundField, forms.BoundField]]:
        return [(r, self[f"item_{r.pk}"], self[f"reason_{r.pk}"]) for r in self.requirements]

    def extras_used(self) -> bool:
        """Whether the free items were filled in (their block is shown open)."""
        return self.is_bound and any(
            (self.data.get(self.add_prefix(f"extra_{part}_{n}")) or "").strip()
            for n in range(1, FREE_ITEMS + 1)
            for part in ("name", "reason")
        )

    def extra_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"extra_name_{n}"], self[f"extra_reason_{n}"]) for n in range(1, FREE_ITEMS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        items = []
        for requirement in self.requirements:
            checked = cleaned.get(f"item_{requirement.pk}")
            reason = (cleaned.get(f"reason_{requirement.pk}") or "").strip()
            if checked and not reason:
                self.add_error(
                    f"reason_{requirement.pk}",
                    _("Vui lòng ghi lý do cần bổ sung, hoàn thiện “%(name)s”.")
                    % {"name": requirement.name},
                )
            elif reason and not checked:
                self.add_error(
                    f"reason_{requirement.pk}",
                    _(
                        "Bạn đã ghi lý do nhưng chưa đánh dấu “%(name)s”; "
                        "hãy đánh dấu hoặc xóa lý do."
                    )
                    % {"name": requirement.name},
                )
            elif checked:
                items.append({"requirement": requirement.pk, "name": requirement.name,
                              "reason": reason})  # fmt: skip
        for n in range(1, FREE_ITEMS + 1):
            name = (cleaned.get(f"extra_name_{n}") or "").strip()
            reason = (cleaned.get(f"extra_reason_{n}") or "").strip()
            if name and not reason:
                self.add_error(
                    f"extra_reason_{n}",
                    _("Vui lòng ghi lý do cần bổ sung, hoàn thiện “%(name)s”.") % {"name": name},
                )
            elif reason and not name:
                self.add_error(f"extra_name_{n}", _("Vui lòng ghi tên nội dung cần bổ sung."))
            elif name:
                items.append({"requirement": None, "name": name, "reason": reason})
        if not items and not self.errors:
            raise forms.ValidationError(
                _(
                    "Phiếu yêu cầu bổ sung phải liệt kê ít nhất một nội dung: đánh dấu thành phần "
                    "cần bổ sung hoặc ghi nội dung khác, kèm lý do."
                )
            )
        cleaned["items"] = items
        cleaned["note"] = (cleaned.get("note") or "").strip()
        return cleaned


class RefusalForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do từ chối tiếp nhận"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ghi rõ lý do cụ thể, ví dụ: không thuộc thẩm quyền giải quyết của cơ quan."),
        error_messages={"required": _("Vui lòng ghi rõ lý do từ chối tiếp nhận hồ sơ.")},
    )  # fmt: skip

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Vui lòng ghi rõ lý do từ chối tiếp nhận hồ sơ."))
        return reason


class ReceiveForm(forms.Form):
    """Reception checks the page makes before calling the service: the
    applicant's identity must be recorded (dossier-lifecycle.md §4, check 3)."""

    def __init__(self, *args, dossier: Dossier, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.dossier = dossier

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        missing = []
        if not self.dossier.applicant_name.strip():
            missing.append(_("họ và tên người nộp"))
        if not self.dossier.applicant_id_number.strip():
            missing.append(_("số định danh cá nhân hoặc mã số thuế"))
        if missing:
            raise forms.ValidationError(
                _(
                    "Chưa thể tiếp nhận: hồ sơ còn thiếu %(fields)s. "
                    "Hãy cập nhật thông tin người nộp."
                )
                % {"fields": ", ".join(str(m) for m in missing)}
            )
        return cleaned
