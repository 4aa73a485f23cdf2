"""Forms of the publication workspace (staff)."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from tthc_portal.agencies.models import Agency, AgencyKind

from .models import (
    ApplicantType,
    ChangeType,
    ComponentRequirement,
    FeeItem,
    Field,
    LegalBasis,
    Level,
    ProcedureVersion,
    SimplificationPlan,
    WorkflowStep,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MinistryDecisionForm(forms.Form):
    number = forms.CharField(label=_("Số quyết định"), max_length=64)
    decision_date = forms.DateField(label=_("Ngày ban hành"), widget=DATE_WIDGET)
    issuing_body = forms.CharField(label=_("Cơ quan ban hành"), max_length=255,
                                   initial="Bộ ")  # fmt: skip
    legal_basis_effective_date = forms.DateField(
        label=_("Ngày văn bản pháp luật có hiệu lực"), widget=DATE_WIDGET, required=False
    )
    summary = forms.CharField(label=_("Trích yếu"), widget=forms.Textarea(attrs={"rows": 2}),
                              required=False)  # fmt: skip


def responsible_agencies():
    return Agency.objects.filter(
        is_active=True,
        kind__in=[AgencyKind.DEPARTMENT, AgencyKind.AUTHORITY, AgencyKind.COMMUNE],
    ).order_by("path")


class DecisionItemForm(forms.Form):
    procedure_code = forms.CharField(label=_("Mã TTHC"), max_length=32, required=False)
    procedure_name = forms.CharField(label=_("Tên thủ tục"), max_length=500, required=False)
    # A blank first choice keeps untouched extra rows "unchanged", so they are skipped.
    change_type = forms.ChoiceField(
        label=_("Loại thay đổi"), choices=[("", "---------"), *ChangeType.choices]
    )
    responsible_agency = forms.ModelChoiceField(
        label=_("Đơn vị chủ trì"), queryset=Agency.objects.none()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_agency"].queryset = responsible_agencies()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("procedure_code") and not cleaned.get("procedure_name"):
            raise forms.ValidationError(_("Nhập mã hoặc tên thủ tục."))
        if cleaned.get("change_type") == ChangeType.NEW and not cleaned.get("procedure_name"):
            self.add_error("procedure_name", _("Thủ tục mới ban hành cần có tên."))
        return cleaned


DecisionItemFormSet = formset_factory(DecisionItemForm, extra=2, min_num=1, validate_min=True)


class ChairmanDecisionForm(forms.Form):
    number = forms.CharField(label=_("Số quyết định công bố"), max_length=64)
    decision_date = forms.DateField(label=_("Ngày ký"), widget=DATE_WIDGET)
    effective_date = forms.DateField(label=_("Ngày có hiệu lực"), widget=DATE_WIDGET)

    def clean(self):
        cleaned = super().clean()
        signed, effective = cleaned.get("decision_date"), cleaned.get("effective_date")
        if signed and effective and effective < signed:
            self.add_error("effective_date", _("Ngày có hiệu lực không được trước ngày ký."))
        return cleaned


class ReviewForm(forms.Form):
    note = forms.CharField(label=_("Ý kiến"), widget=forms.Textarea(attrs={"rows": 2}),
                           required=False)  # fmt: skip


class VersionForm(forms.ModelForm):
    # The procedure's code lives on Procedure; a code-less one (a new procedure) gets it
    # here, because it cannot be submitted without one.
    procedure_code = forms.CharField(
        label=_("Mã TTHC"),
        max_length=32,
        required=False,
        help_text=_("Mã trên Cơ sở dữ liệu quốc gia về TTHC, ví dụ 1.001612."),
    )
    applicant_types = forms.MultipleChoiceField(
        label=_("Đối tượng thực hiện"),
        choices=ApplicantType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = ProcedureVersion
        fields = [
            "name", "field", "level", "implementing_agency", "implementing_agency_text",
            "deciding_authority", "applicant_types", "steps_text", "channel_in_person",
            "channel_online", "channel_postal", "channels_text", "time_kind", "time_limit",
            "time_unit", "deadline_mode", "cutoff_time", "time_text", "supplement_clock_rule",
            "result_text", "paper_result", "online_level", "full_online_eligible", "conditions",
            "boundary_free", "is_internal", "internal_scope",
        ]  # fmt: skip
        widgets = {
            "steps_text": forms.Textarea(attrs={"rows": 4}),
            "channels_text": forms.Textarea(attrs={"rows": 2}),
            "time_text": forms.Textarea(attrs={"rows": 2}),
            "result_text": forms.Textarea(attrs={"rows": 2}),
            "conditions": forms.Textarea(attrs={"rows": 3}),
            "cutoff_time": forms.TimeInput(attrs={"type": "time"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Ordered first: code and classification are what submission checks first.
        self.order_fields(["procedure_code", "name", "field", "level"])
        procedure = self.instance.procedure if self.instance.procedure_id else None
        self.fields["procedure_code"].initial = procedure.code if procedure else ""
        if procedure is not None and procedure.code:
            self.fields["procedure_code"].disabled = True


# Empty rows offered under each list: without JavaScript this is how many rows one
# save can add; static/js/formset-rows.js adds more on demand.
EMPTY_ROWS = 3


def _child_form(model, fields, widgets=None):
    return forms.modelform_factory(model, fields=fields, widgets=widgets or {})


ComponentFormSet = formset_factory(
    _child_form(ComponentRequirement, ["order", "name", "copy_kind", "count", "required",
                                       "must_digitise", "form_template"],
                {"name": forms.Textarea(attrs={"rows": 2})}),
    extra=EMPTY_ROWS, can_delete=True,
)  # fmt: skip
FeeFormSet = formset_factory(
    _child_form(FeeItem, ["kind", "name", "amount_vnd", "online_amount_vnd", "unit"]),
    extra=EMPTY_ROWS, can_delete=True,
)  # fmt: skip
LegalBasisFormSet = formset_factory(
    _child_form(LegalBasis, ["title", "effective_date"],
                {"title": forms.Textarea(attrs={"rows": 2}), "effective_date": DATE_WIDGET}),
    extra=EMPTY_ROWS, can_delete=True,
)  # fmt: skip
StepFormSet = formset_factory(
    _child_form(WorkflowStep, ["order", "name", "actor_role", "actor_text", "unit",
                               "citizen_status_text", "budget", "budget_unit", "counted"]),
    extra=EMPTY_ROWS, can_delete=True,
)  # fmt: skip

CHILD_FORMSETS = {
    "components": (ComponentFormSet, ComponentRequirement),
    "fees": (FeeFormSet, FeeItem),
    "legal_bases": (LegalBasisFormSet, LegalBasis),
    "steps": (StepFormSet, WorkflowStep),
}


def formset_rows(formset) -> list[dict]:
    """Cleaned child rows (blank and deleted forms dropped), ready for the service."""
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE"):
            continue
        row = {k: v for k, v in data.items() if k != "DELETE"}
        # A step's "unit" is an agency; a fee's "unit" is text (per page, per dossier).
        if "unit" in row and formset.form._meta.model is WorkflowStep:
            unit = row.pop("unit")
            row["unit_id"] = unit.pk if unit else None
        rows.append(row)
    return rows


def formset_initial(version: ProcedureVersion, relation: str, fields: list[str]) -> list[dict]:
    initial = []
    for child in getattr(version, relation).all():
        row = {f: getattr(child, f) for f in fields}
        if "unit" in fields and isinstance(child, WorkflowStep):
            row["unit"] = child.unit_id
        initial.append(row)
    return initial


class InternalProcedureChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        # latest_name is annotated by the selector: no query per option.
        name = getattr(obj, "latest_name", "") or ""
        return f"{obj.code or '—'} {name}".strip()


class SimplificationPlanForm(forms.ModelForm):
    procedure = InternalProcedureChoice(label=_("TTHC nội bộ"), queryset=Agency.objects.none())

    class Meta:
        model = SimplificationPlan
        fields = [
            "procedure", "agency", "approval_decision", "approved_on", "abolish",
            "cost_before_vnd", "cost_after_vnd", "steps_before", "steps_after",
            "documents_before", "documents_after", "implemented_on", "note",
        ]  # fmt: skip
        widgets = {
            "approved_on": DATE_WIDGET,
            "implemented_on": DATE_WIDGET,
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self):
        cleaned = super().clean()
        before, after = cleaned.get("cost_before_vnd"), cleaned.get("cost_after_vnd")
        if before is not None and after is not None and after > before:
            self.add_error("cost_after_vnd", _("Chi phí sau không được lớn hơn chi phí trước."))
        elif cleaned.get("abolish") and after:
            self.add_error(
                "cost_after_vnd",
                _("Phương án bãi bỏ thủ tục thì chi phí tuân thủ sau phải bằng 0."),
            )
        return cleaned


class InternalProcedureForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Agency.objects.none())
    code = forms.CharField(label=_("Mã TTHC"), max_length=32, required=False,
                           help_text=_("Để trống nếu chưa được cấp mã."))  # fmt: skip
    name = forms.CharField(label=_("Tên thủ tục nội bộ"), max_length=500)
    internal_scope = forms.ChoiceField(
        label=_("Phạm vi nội bộ"),
        choices=ProcedureVersion._meta.get_field("internal_scope").choices,
    )
    field = forms.ModelChoiceField(label=_("Lĩnh vực"), queryset=Field.objects.all())
    level = forms.ChoiceField(label=_("Cấp thực hiện"), choices=Level.choices)
