from django.contrib import admin

from .models import Criterion, IndexRuleSet, IndicatorGroup, IndicatorResult, RatingBand


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
    ]


class BandInline(admin.TabularInline):
    model = RatingBand
    extra = 0


@admin.register(IndexRuleSet)
class IndexRuleSetAdmin(admin.ModelAdmin):
    list_display = ["name", "valid_from", "display", "period_start_day"]
    inlines = [GroupInline, CriterionInline, BandInline]


@admin.register(IndicatorResult)
class IndicatorResultAdmin(admin.ModelAdmin):
    list_display = [
        "period_start",
        "period_end",
        "agency",
        "criterion_code",
        "numerator",
        "denominator",
        "ratio",
        "score",
        "observable",
    ]
    list_filter = ["period_start", "observable", "criterion_code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
