"""Back-office for the procedure simplification plans."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ..models import SimplificationPlan, SimplificationTarget


@admin.register(SimplificationPlan)
class SimplificationPlanAdmin(admin.ModelAdmin):
    list_display = (
        "procedure",
        "agency",
        "approval_decision",
        "cost_before_vnd",
        "cost_after_vnd",
        "reduction",
        "abolish",
        "implemented",
    )
    list_filter = ("implemented", "abolish")
    list_select_related = ("procedure__current_version", "agency")
    search_fields = ("procedure__code", "procedure__current_version__name", "approval_decision")
    autocomplete_fields = ("procedure", "agency")

    @admin.display(description=_("giảm chi phí (%)"))
    def reduction(self, obj: SimplificationPlan) -> str:
        return f"{obj.cost_reduction_percent:.1f}"

    def get_queryset(self, request: HttpRequest) -> QuerySet[SimplificationPlan]:
        return super().get_queryset(request).select_related("procedure__current_version", "agency")


@admin.register(SimplificationTarget)
class SimplificationTargetAdmin(admin.ModelAdmin):
    """Dated configuration: each province keeps its own 1085 dates and percentages."""

    admin_write_paths = {"config": {"procedures.SimplificationTarget"}}
    list_display = (
        "name",
        "count_cut_percent",
        "cost_cut_percent",
        "inventory_due",
        "completion_due",
        "valid_from",
    )
    search_fields = ("name", "source")
