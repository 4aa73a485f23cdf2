"""Back-office for publication control.

Decisions and tasks are read-only records of the services; the deadline
rules are the configuration a province edits here.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ..models import (
    MinistryDecision,
    PublicationDeadlineRule,
    PublicationItem,
    PublicationTask,
)
from .base import ReadOnlyAdminMixin


class DeadlineRuleForm(forms.ModelForm):
    class Meta:
        model = PublicationDeadlineRule
        fields = ["key", "anchor", "offset_working_days", "valid_from", "valid_to", "source"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end <= start:
            raise forms.ValidationError(_("Ngày kết thúc áp dụng phải sau ngày bắt đầu."))
        return data


@admin.register(PublicationDeadlineRule)
class PublicationDeadlineRuleAdmin(admin.ModelAdmin):
    """Each province configures its deadlines here, as dated rows.

    A change applies to tasks opened afterwards; existing tasks keep the due
    dates computed when they were opened.
    """

    form = DeadlineRuleForm
    list_display = ("key", "anchor", "offset_working_days", "valid_from", "valid_to", "source")
    list_filter = ("key", "anchor")
    search_fields = ("source",)
    ordering = ("key", "-valid_from")


class DecisionItemInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = PublicationItem
    fields = (
        "procedure_code",
        "procedure_name",
        "change_type",
        "responsible_agency",
        "task",
        "version",
    )
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[PublicationItem]:
        return (
            super()
            .get_queryset(request)
            .select_related(
                "responsible_agency", "task__agency", "task__ministry_decision", "version"
            )
        )


@admin.register(MinistryDecision)
class MinistryDecisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Recorded through the publication workspace (which opens the tasks)."""

    list_display = (
        "number",
        "decision_date",
        "issuing_body",
        "legal_basis_effective_date",
        "item_count",
        "recorded_by",
    )
    list_select_related = ("recorded_by",)
    search_fields = ("number", "issuing_body", "summary")
    date_hierarchy = "decision_date"
    fields = (
        "number",
        "decision_date",
        "issuing_body",
        "legal_basis_effective_date",
        "summary",
        "recorded_by",
        "created_at",
    )
    readonly_fields = fields
    inlines = [DecisionItemInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[MinistryDecision]:
        return super().get_queryset(request).annotate(item_count=Count("items"))

    @admin.display(description=_("số thủ tục"), ordering="item_count")
    def item_count(self, obj: MinistryDecision) -> int:
        return obj.item_count


class TaskItemInline(DecisionItemInline):
    fk_name = "task"


@admin.register(PublicationTask)
class PublicationTaskAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Tasks and their due dates are computed by the services; read-only here."""

    list_display = (
        "agency",
        "ministry_decision",
        "status",
        "list_due",
        "workflow_due",
        "decision_due",
        "posting_due",
        "alert_level",
        "chairman_decision_number",
    )
    list_filter = ("status", "alert_level")
    list_select_related = ("agency", "ministry_decision")
    search_fields = ("agency__name", "ministry_decision__number", "chairman_decision_number")
    date_hierarchy = "list_due"
    fields = (
        "ministry_decision",
        "agency",
        "status",
        ("list_due", "workflow_due"),
        ("decision_due", "posting_due", "lock_due"),
        "workflow_done_on",
        ("chairman_decision_number", "chairman_decision_date", "effective_date"),
        "posted_on",
        ("alert_level", "alerted_at"),
    )
    readonly_fields = (
        "ministry_decision",
        "agency",
        "status",
        "list_due",
        "workflow_due",
        "decision_due",
        "posting_due",
        "lock_due",
        "workflow_done_on",
        "chairman_decision_number",
        "chairman_decision_date",
        "effective_date",
        "posted_on",
        "alert_level",
        "alerted_at",
    )
    inlines = [TaskItemInline]
