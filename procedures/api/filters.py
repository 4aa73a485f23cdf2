"""Query filters of the API (django-filter)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from tthc_portal.text import fold

from ..models import Level, OnlineLevel, ProcedureVersion, PublicationTask, TaskStatus

MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 12


def folded_words(query: str) -> list[str]:
    """The words of a query, folded ("Đăng  KÝ" → ["dang", "ky"]), bounded in size."""
    return fold(query[:MAX_QUERY_CHARS]).split()[:MAX_QUERY_WORDS]


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 2**63 - 1})
class IdFilter(django_filters.NumberFilter):
    """A row id: a whole number (NumberFilter alone takes decimals, documented as "number")."""

    field_class = forms.IntegerField


class CatalogueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        label=_("Từ khóa (không phân biệt dấu): mọi từ phải có trong tên, mã, lĩnh vực, cơ quan."),
    )
    field = IdFilter(field_name="field_id", label=_("Mã số lĩnh vực (id)."))
    field_code = django_filters.CharFilter(field_name="field__code", label=_("Mã lĩnh vực."))
    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("Cấp thực hiện."))
    online_level = django_filters.ChoiceFilter(
        choices=OnlineLevel.choices, label=_("Mức độ trực tuyến.")
    )
    agency = IdFilter(field_name="implementing_agency_id", label=_("Mã số cơ quan thực hiện (id)."))
    agency_code = django_filters.CharFilter(
        field_name="implementing_agency__code", label=_("Mã định danh cơ quan thực hiện.")
    )

    class Meta:
        model = ProcedureVersion
        fields: list[str] = []

    def filter_q(
        self, queryset: QuerySet[ProcedureVersion], name: str, value: str
    ) -> QuerySet[ProcedureVersion]:
        for word in folded_words(value):
            queryset = queryset.filter(search_text__contains=word)
        return queryset


class PublicationTaskFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=TaskStatus.choices, label=_("Trạng thái."))
    agency = django_filters.CharFilter(
        field_name="agency__code", label=_("Mã định danh đơn vị chủ trì.")
    )
    alert_level = django_filters.ChoiceFilter(
        choices=[("none", _("Không")), ("due_soon", _("Sắp đến hạn")), ("overdue", _("Quá hạn"))],
        label=_("Mức cảnh báo."),
    )

    class Meta:
        model = PublicationTask
        fields: list[str] = []
