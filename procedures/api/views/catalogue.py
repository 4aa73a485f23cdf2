"""Public catalogue API: procedures in force, fields, and the downloadable exports.

Anonymous and throttled; reads come from ``public_versions`` only.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpResponse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.views import APIView

from tthc_portal.agencies.models import Agency
from tthc_portal.api import StandardPagination

from ...models import Field, ProcedureVersion, WorkflowStep
from ...selectors import public_versions
from ...services.importing import rows_to_csv, version_to_row
from .. import serializers as s
from ..filters import CatalogueFilter
from .shared import ERRORS, PublicMixin


def catalogue_queryset() -> QuerySet[ProcedureVersion]:
    return public_versions().select_related("procedure", "field", "implementing_agency")


def catalogue_detail_queryset() -> QuerySet[ProcedureVersion]:
    return catalogue_queryset().prefetch_related(
        "components",
        "fees",
        "legal_bases",
        Prefetch("steps", queryset=WorkflowStep.objects.select_related("unit").order_by("order")),
        Prefetch("coordinating_agencies", queryset=Agency.objects.order_by("name")),
    )


@extend_schema_view(
    list=extend_schema(
        operation_id="catalogue_procedures_list",
        summary="Danh mục thủ tục đang áp dụng / Public procedure catalogue",
        description=(
            "Các thủ tục đang có hiệu lực (không gồm thủ tục nội bộ, thủ tục đã khóa tiếp nhận "
            "hoặc bãi bỏ). Tìm kiếm `q` không phân biệt dấu: mọi từ phải xuất hiện.\n\n"
            "Procedures in force (internal, locked and abolished ones excluded). `q` is "
            "diacritic-insensitive and every word must match."
        ),
        tags=["catalogue"],
    ),
    retrieve=extend_schema(
        operation_id="catalogue_procedures_retrieve",
        summary="Chi tiết thủ tục / Procedure detail",
        description=(
            "Toàn bộ nội dung đã công bố: thành phần hồ sơ, phí, lệ phí, căn cứ pháp lý và "
            "quy trình nội bộ.\n\nFull published content with components, fees, legal bases "
            "and internal workflow steps."
        ),
        parameters=[
            OpenApiParameter(
                "id",
                OpenApiTypes.INT,
                OpenApiParameter.PATH,
                description="Mã số thủ tục (trường `id` của danh mục) / Procedure id.",
            )
        ],
        responses={200: s.CatalogueProcedureDetailSerializer, 404: ERRORS[404]},
        tags=["catalogue"],
    ),
)
class CatalogueProcedureViewSet(PublicMixin, viewsets.ReadOnlyModelViewSet):
    pagination_class = StandardPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = CatalogueFilter
    lookup_field = "procedure_id"
    lookup_url_kwarg = "pk"
    queryset = ProcedureVersion.objects.none()

    def get_queryset(self) -> QuerySet[ProcedureVersion]:
        if self.action == "retrieve":
            return catalogue_detail_queryset()
        return catalogue_queryset().order_by("name_folded", "pk")

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.CatalogueProcedureDetailSerializer
        return s.CatalogueProcedureSerializer


@extend_schema_view(
    list=extend_schema(
        operation_id="catalogue_fields_list",
        summary="Lĩnh vực / Fields",
        description=(
            "Các lĩnh vực có thủ tục đang áp dụng, kèm số thủ tục.\n\n"
            "Fields having procedures in force, with their counts."
        ),
        tags=["catalogue"],
    )
)
class CatalogueFieldListView(PublicMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.CatalogueFieldSerializer
    pagination_class = StandardPagination
    queryset = Field.objects.none()

    def get_queryset(self) -> QuerySet[Field]:
        public = public_versions().values("pk")
        return (
            Field.objects.annotate(procedure_count=Count("versions", filter=Q(versions__in=public)))
            .filter(procedure_count__gt=0)
            .order_by("name_folded", "pk")
        )


def export_rows() -> list[dict[str, Any]]:
    versions = catalogue_detail_queryset().order_by("procedure__code", "name_folded", "pk")
    return [version_to_row(v) for v in versions]


class CatalogueExportJSONView(PublicMixin, APIView):
    @extend_schema(
        operation_id="catalogue_export_json",
        summary="Tải danh mục (JSON) / Download the catalogue (JSON)",
        description=(
            "Danh mục thủ tục đang áp dụng theo cấu trúc của procedures-sample.json; "
            "nhập lại được bằng `manage.py import_procedures`.\n\n"
            "The public catalogue in the procedures-sample.json shape (re-importable)."
        ),
        responses={200: s.CatalogueExportSerializer},
        tags=["catalogue"],
    )
    def get(self, request: Request) -> HttpResponse:
        rows = export_rows()
        body = json.dumps(
            {"count": len(rows), "procedures": rows},
            cls=DjangoJSONEncoder,
            ensure_ascii=False,
            indent=1,
        )
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="danh-muc-tthc.json"'
        return response


class CatalogueExportCSVView(PublicMixin, APIView):
    @extend_schema(
        operation_id="catalogue_export_csv",
        summary="Tải danh mục (CSV) / Download the catalogue (CSV)",
        description=(
            "Một thủ tục một dòng, các danh sách phân cách bằng “ | ” (UTF-8 có BOM cho Excel)."
            "\n\nOne procedure per line, lists separated by “ | ” (UTF-8 with BOM)."
        ),
        responses={(200, "text/csv"): OpenApiTypes.STR},
        tags=["catalogue"],
    )
    def get(self, request: Request) -> HttpResponse:
        body = "\ufeff" + rows_to_csv(export_rows())
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="danh-muc-tthc.csv"'
        return response
