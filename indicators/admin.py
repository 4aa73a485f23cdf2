from django.contrib import admin

from .models import (
    Criterion,
    IndexRuleSet,
    IndicatorGroup,
    IndicatorResult,
    RatingBand,
    RecomputeRun,
    ReportPeriod,
)


class GroupInline(admin.TabularInline):
    model = IndicatorGroup
    extra = 0


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = [
        "group",
        "code",
        "name",
        "max_points",
        "curve",
        "threshold",
        "factor",
        "zero_denominator",
        "fallback_ratio",
        "source",
    ]


class BandInline(admin.TabularInline):
    model = RatingBand
    extra = 0


@admin.register(IndexRuleSet)
class IndexRuleSetAdmin(admin.ModelAdmin):
    list_display = ["name", "valid_from", "display", "period_start_day", "early_rule"]
    inlines = [GroupInline, CriterionInline, BandInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written only by the services (computing, publishing): read here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReportPeriod)
class ReportPeriodAdmin(ReadOnlyAdmin):
    list_display = ["label", "reporting_15th", "start", "end", "status", "computed_at"]
    list_filter = ["status", "kind", "reporting_15th"]


@admin.register(RecomputeRun)
class RecomputeRunAdmin(ReadOnlyAdmin):
    list_display = ["period", "agency", "status", "progress", "created_at", "finished_at"]
    list_filter = ["status"]
    list_select_related = ["period", "agency"]


@admin.register(IndicatorResult)
class IndicatorResultAdmin(ReadOnlyAdmin):
    list_display = [
        "period",
        "agency",
        "criterion_code",
        "numerator",
        "denominator",
        "ratio",
        "score",
        "source",
    ]
    list_filter = ["period", "source", "criterion_code"]
    list_select_related = ["period", "agency"]
