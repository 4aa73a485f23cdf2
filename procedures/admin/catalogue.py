"""Back-office for the catalogue: fields, procedures and their versions.

Versions are created by the publication workspace or the importer; a draft's
edits go through ``version_update`` (audit, derived search text, content
hash), and anything that is no longer a draft is read-only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ..models import (
    ComponentRequirement,
    FeeItem,
    Field,
    LegalBasis,
    Procedure,
    ProcedureVersion,
    VersionStatus,
    WorkflowStep,
)
from ..services import ProcedureError
from ..services.versions import CHILD_FIELDS, CONTENT_FIELDS, version_update
from .base import ReadOnlyAdminMixin

# Form field names of the content (foreign keys without their "_id").
CONTENT_NAMES = frozenset(name.removesuffix("_id") for name in CONTENT_FIELDS)


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "version_count")
    search_fields = ("code", "name", "name_folded")
    ordering = ("name",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Field]:
        return super().get_queryset(request).annotate(version_count=Count("versions"))

    @admin.display(description=_("số phiên bản"), ordering="version_count")
    def version_count(self, obj: Field) -> int:
        return obj.version_count


class VersionListInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ProcedureVersion
    fk_name = "procedure"
    fields = ("number", "name", "status", "valid_from", "valid_to", "decision_number")
    readonly_fields = fields
    show_change_link = True
    extra = 0
    ordering = ("-number",)
    verbose_name_plural = _("các phiên bản")


@admin.register(Procedure)
class ProcedureAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Procedures are created by the importer and the publication chain."""

    list_display = (
        "code_display",
        "current_name",
        "current_field",
        "current_valid_from",
        "reception_locked",
        "abolished_on",
    )
    list_filter = ("reception_locked",)
    list_select_related = ("current_version", "current_version__field")
    search_fields = ("code", "current_version__name", "current_version__name_folded")
    fields = (
        "code",
        "code_suffix",
        "current_version",
        "abolished_on",
        "reception_locked",
        "created_at",
    )
    readonly_fields = fields
    inlines = [VersionListInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Procedure]:
        # The changelist skips list_select_related once a queryset has one.
        return super().get_queryset(request).select_related("current_version__field")

    @admin.display(description=_("mã TTHC"), ordering="code")
    def code_display(self, obj: Procedure) -> str:
        return obj.localised_code or "—"

    @admin.display(description=_("tên thủ tục"), ordering="current_version__name")
    def current_name(self, obj: Procedure) -> str:
        return obj.current_version.name if obj.current_version_id else "—"

    @admin.display(description=_("lĩnh vực"))
    def current_field(self, obj: Procedure) -> str:
        return obj.current_version.field.name if obj.current_version_id else "—"

    @admin.display(description=_("có hiệu lực từ"), ordering="current_version__valid_from")
    def current_valid_from(self, obj: Procedure):
        return obj.current_version.valid_from if obj.current_version_id else None


class DraftOnlyInline(admin.TabularInline):
    """Children of a version: editable only while the version is a draft."""

    extra = 0

    def _editable(self, parent: ProcedureVersion | None) -> bool:
        return parent is not None and parent.status == VersionStatus.DRAFT

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)


class ComponentInline(DraftOnlyInline):
    model = ComponentRequirement
    fields = ("order", "name", "copy_kind", "count", "required", "form_template", "must_digitise")


class FeeInline(DraftOnlyInline):
    model = FeeItem
    fields = ("kind", "name", "amount_vnd", "online_amount_vnd", "unit", "note")


class LegalBasisInline(DraftOnlyInline):
    model = LegalBasis
    fields = ("title", "effective_date")


class WorkflowStepInline(DraftOnlyInline):
    model = WorkflowStep
    fields = (
        "order",
        "name",
        "actor_role",
        "actor_text",
        "unit",
        "budget",
        "budget_unit",
        "counted",
        "citizen_status_text",
    )
    autocomplete_fields = ("unit",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[WorkflowStep]:
        return super().get_queryset(request).select_related("unit")


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "procedure_code",
        "number",
        "status",
        "field",
        "level",
        "implementing_agency",
        "valid_from",
        "valid_to",
    )
    list_filter = ("status", "level", "online_level", "is_internal", "is_province_specific")
    list_select_related = ("procedure", "field", "implementing_agency")
    search_fields = ("name", "name_folded", "procedure__code")
    autocomplete_fields = ("field", "implementing_agency", "coordinating_agencies")
    readonly_fields = (
        "procedure",
        "number",
        "status",
        "valid_from",
        "valid_to",
        "publication_task",
        "change_type",
        "decision_number",
        "decision_date",
        "source_document",
        "replaces",
        "review_note",
        "created_by",
        "created_at",
        "submitted_at",
        "approved_by",
        "approved_at",
        "published_at",
        "retired_at",
    )
    fieldsets = (
        (
            _("Phiên bản"),
            {"fields": ("procedure", "number", "status", "valid_from", "valid_to", "replaces")},
        ),
        (
            _("Nội dung"),
            {
                "fields": (
                    "name",
                    "field",
                    "level",
                    "steps_text",
                    ("channel_in_person", "channel_online", "channel_postal"),
                    "channels_text",
                    "applicant_types",
                    "implementing_agency",
                    "implementing_agency_text",
                    "deciding_authority",
                    "coordinating_agencies",
                    "result_text",
                    "paper_result",
                    "conditions",
                )
            },
        ),
        (
            _("Thời hạn giải quyết"),
            {
                "fields": (
                    "time_kind",
                    ("time_limit", "time_unit"),
                    "deadline_mode",
                    "cutoff_time",
                    "time_text",
                    "time_stages",
                    "time_outcomes",
                    "supplement_clock_rule",
                )
            },
        ),
        (
            _("Trực tuyến và phạm vi"),
            {
                "fields": (
                    "online_level",
                    "full_online_eligible",
                    "boundary_free",
                    ("is_internal", "internal_scope"),
                    "is_province_specific",
                    "territorial_scope",
                )
            },
        ),
        (
            _("Công bố"),
            {
                "fields": (
                    "publication_task",
                    "change_type",
                    "decision_number",
                    "decision_date",
                    "source_document",
                    "review_note",
                    ("created_by", "created_at"),
                    ("submitted_at", "approved_by", "approved_at"),
                    ("published_at", "retired_at"),
                )
            },
        ),
    )
    inlines = [ComponentInline, FeeInline, LegalBasisInline, WorkflowStepInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProcedureVersion]:
        return (
            super()
            .get_queryset(request)
            .select_related(
                "procedure__current_version",
                "field",
                "implementing_agency",
                "publication_task__agency",
                "publication_task__ministry_decision",
                "replaces",
                "created_by",
                "approved_by",
            )
        )

    @admin.display(description=_("mã TTHC"), ordering="procedure__code")
    def procedure_code(self, obj: ProcedureVersion) -> str:
        return obj.procedure.localised_code or "—"

    # New versions come from the publication workspace or the importer.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Only drafts are edited; a published or retired version is frozen."""
        if obj is not None and obj.status != VersionStatus.DRAFT:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: ProcedureVersion, form, change: bool) -> None:
        """Nothing here: ``save_related`` writes form and inlines in one service call."""

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        content = {
            name: form.cleaned_data[name] for name in form.changed_data if name in CONTENT_NAMES
        }
        coordinating = (
            list(form.cleaned_data["coordinating_agencies"])
            if "coordinating_agencies" in form.changed_data
            else None
        )
        children = {}
        for formset in formsets:
            if formset.has_changed():
                relation = formset.fk.remote_field.related_name
                children[relation] = _child_rows(formset, CHILD_FIELDS[relation])
        if not (content or children or coordinating is not None):
            return
        try:
            version_update(
                actor=request.user,
                version=form.instance,
                content=content,
                children=children,
                coordinating_agencies=coordinating,
            )
        except ProcedureError as exc:
            self.message_user(request, exc.message, messages.ERROR)

    def construct_change_message(self, request, form, formsets, add=False):
        # The inline rows are replaced by the service, not saved by the formsets.
        message = super().construct_change_message(request, form, [], add)
        changed = [str(fs.model._meta.verbose_name_plural) for fs in formsets if fs.has_changed()]
        if changed:
            message.append({"changed": {"fields": changed}})
        return message


def _child_rows(formset, fields: list[str]) -> list[dict[str, Any]]:
    """The rows a formset describes after the edit (deleted and blank forms left out)."""
    rows = []
    for child in formset.forms:
        data = getattr(child, "cleaned_data", None)
        if not data or data.get("DELETE"):
            continue
        row = {}
        for name in fields:
            key = name.removesuffix("_id")
            value = data.get(key)
            if name == "form_template" and not value:
                value = ""
            row[name if key == name else key] = value
        rows.append({k: v for k, v in row.items() if v is not None or k in _NULLABLE})
    return rows


# Child fields that may be stored as NULL (the others fall back to model defaults).
_NULLABLE = frozenset({"amount_vnd", "online_amount_vnd", "effective_date", "unit"})
