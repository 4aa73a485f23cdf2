"""REST API: the public catalogue and the staff publication workspace.

Views are thin: reads come from querysets scoped at the source (public
versions for everybody, ``agencies_for_user`` for staff), writes go through
the services. ``ProcedureError`` becomes HTTP 400 ``{"detail", "errors"}``,
``PermissionDenied`` 403, and an object outside the user's agencies 404.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from tthc_portal.agencies.models import Agency
from tthc_portal.agencies.selectors import agencies_for_user
from tthc_portal.api import StandardPagination, flatten_errors
from tthc_portal.workdays.services import get_calendar

from ..models import (
    Field,
    MinistryDecision,
    ProcedureVersion,
    PublicationItem,
    PublicationTask,
    WorkflowStep,
)
from ..selectors import public_versions
from ..services import ProcedureError
from ..services.importing import rows_to_csv, version_to_row
from ..services.publication import (
    ItemInput,
    item_start_draft,
    ministry_decision_record,
    task_chairman_decision_record,
    version_transition_in_task,
)
from ..services.versions import version_update
from . import serializers as s
from .filters import CatalogueFilter, PublicationTaskFilter

ERRORS = {
    400: OpenApiResponse(s.ErrorSerializer, description="Yêu cầu bị từ chối / Refused."),
    403: OpenApiResponse(s.ErrorSerializer, description="Không có quyền / Forbidden."),
    404: OpenApiResponse(
        s.ErrorSerializer, description="Không tìm thấy (hoặc ngoài phạm vi đơn vị) / Not found."
    ),
}


class ApiErrorsMixin:
    """Every refusal answers ``{"detail": <Vietnamese message>, "errors": [...]}``.

    ``ProcedureError`` (a service refused) → 400 with its message and details;
    invalid input → 400 (field errors also kept under ``fields``); not logged
    in → 403; ``PermissionDenied`` → 403; outside the user's scope → 404.
    """

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, ProcedureError):
            return Response(
                {"detail": str(exc.message), "errors": [str(e) for e in exc.errors]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        response = super().handle_exception(exc)  # type: ignore[misc]
        if isinstance(exc, exceptions.ValidationError):
            response.data = {
                "detail": str(_("Dữ liệu gửi lên không hợp lệ.")),
                "errors": flatten_errors(exc.detail),
                "fields": exc.detail,
            }
        elif isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            response.data = {"detail": str(_("Vui lòng đăng nhập để sử dụng chức năng này."))}
        elif isinstance(exc, Http404 | exceptions.NotFound):
            response.data = {"detail": str(_("Không tìm thấy."))}
        elif isinstance(exc, DjangoPermissionDenied) or (
            isinstance(exc, exceptions.PermissionDenied)
            and exc.detail == exceptions.PermissionDenied.default_detail
        ):
            response.data = {"detail": str(_("Bạn không có quyền thực hiện thao tác này."))}
        elif isinstance(exc, exceptions.Throttled):
            response.data = {
                "detail": str(_("Quá nhiều yêu cầu, vui lòng thử lại sau %(s)s giây."))
                % {"s": max(1, int(exc.wait or 1))}
            }
        return response


class PublicMixin(ApiErrorsMixin):
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]


class HasAgencyPermission(BasePermission):
    """The user holds ``perm`` on at least one agency (staff of the province)."""

    perm = "view_agency_records"
    message = _("Chức năng này chỉ dành cho cán bộ, công chức của đơn vị.")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated) and (
            agencies_for_user(user, self.perm).exists()
        )


class IsAgencyStaff(HasAgencyPermission):
    perm = "view_agency_records"


class ControlsPublication(HasAgencyPermission):
    perm = "control_publication"
    message = _("Chỉ cán bộ kiểm soát thủ tục hành chính mới được ghi nhận quyết định công bố.")


# --- public catalogue -----------------------------------------------------------------


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


# --- staff: publication ----------------------------------------------------------------


class StaffMixin(ApiErrorsMixin):
    permission_classes = [IsAuthenticated, IsAgencyStaff]

    def visible_agencies(self) -> QuerySet[Agency]:
        return agencies_for_user(self.request.user, "view_agency_records")  # type: ignore[attr-defined]


def task_queryset(agencies: QuerySet[Agency]) -> QuerySet[PublicationTask]:
    items = PublicationItem.objects.select_related("version", "responsible_agency").order_by("pk")
    return (
        PublicationTask.objects.filter(agency__in=agencies)
        .select_related("agency", "ministry_decision")
        .prefetch_related(Prefetch("items", queryset=items))
    )


def deadline_context() -> dict[str, Any]:
    """Today and the calendar, computed once per request for every task serialized."""
    return {"today": timezone.localdate(), "calendar": get_calendar()}


@extend_schema_view(
    list=extend_schema(
        operation_id="publication_tasks_list",
        summary="Nhiệm vụ công bố / Publication tasks",
        description=(
            "Nhiệm vụ công bố của các đơn vị người dùng được xem, kèm trạng thái từng hạn "
            "(danh mục, quy trình nội bộ, quyết định, công khai) tính đến hôm nay.\n\n"
            "Tasks of the user's agencies with each deadline's state as of today."
        ),
        responses={200: s.PublicationTaskSerializer(many=True), 403: ERRORS[403]},
        tags=["publication"],
    ),
    retrieve=extend_schema(
        operation_id="publication_tasks_retrieve",
        summary="Một nhiệm vụ công bố / One publication task",
        responses={200: s.PublicationTaskSerializer, 403: ERRORS[403], 404: ERRORS[404]},
        tags=["publication"],
    ),
)
class PublicationTaskViewSet(StaffMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.PublicationTaskSerializer
    pagination_class = StandardPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = PublicationTaskFilter
    queryset = PublicationTask.objects.none()

    def get_queryset(self) -> QuerySet[PublicationTask]:
        return task_queryset(self.visible_agencies()).order_by("list_due", "pk")

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), **deadline_context()}

    @extend_schema(
        operation_id="publication_tasks_decision",
        summary="Ghi nhận quyết định công bố của Chủ tịch / Record the chairman's decision",
        description=(
            "Công bố mọi phiên bản đã được lãnh đạo đơn vị phê duyệt của nhiệm vụ; phiên bản "
            "trở thành phiên bản đang áp dụng khi ngày có hiệu lực đã đến.\n\n"
            "Publishes every approved version of the task; each becomes current once its "
            "effective date has come. Provincial office staff only."
        ),
        request=s.ChairmanDecisionInputSerializer,
        responses={200: s.PublicationTaskSerializer, **ERRORS},
        tags=["publication"],
    )
    def decision(self, request: Request, pk: str | None = None) -> Response:
        task = self.get_object()
        data = s.ChairmanDecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        task_chairman_decision_record(actor=request.user, task=task, **data.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=task.pk)).data)


class MinistryDecisionCreateView(StaffMixin, GenericAPIView):
    permission_classes = [IsAuthenticated, ControlsPublication]
    serializer_class = s.MinistryDecisionInputSerializer
    queryset = MinistryDecision.objects.none()

    @extend_schema(
        operation_id="publication_decisions_create",
        summary="Ghi nhận quyết định công bố của Bộ / Record a ministry decision",
        description=(
            "Mở một nhiệm vụ cho mỗi đơn vị chủ trì, với hạn công bố danh mục và hạn phê duyệt "
            "quy trình nội bộ tính theo ngày làm việc từ ngày quyết định của Bộ.\n\n"
            "Opens one task per responsible agency, with due dates computed in working days "
            "from the ministry decision date. Provincial office staff only."
        ),
        request=s.MinistryDecisionInputSerializer,
        responses={201: s.MinistryDecisionSerializer, **ERRORS},
        examples=[
            OpenApiExample(
                "Bộ Y tế sửa đổi thủ tục",
                request_only=True,
                value={
                    "number": "3574/QĐ-BYT",
                    "decision_date": "2025-11-19",
                    "issuing_body": "Bộ Y tế",
                    "legal_basis_effective_date": "2025-12-01",
                    "summary": "Sửa đổi lĩnh vực giám định",
                    "items": [
                        {
                            "procedure_code": "1.013871",
                            "change_type": "amended",
                            "responsible_agency": "000.00.11.H99",
                        }
                    ],
                },
            )
        ],
        tags=["publication"],
    )
    def post(self, request: Request) -> Response:
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        items = [ItemInput(**item) for item in fields.pop("items")]
        decision = ministry_decision_record(actor=request.user, items=items, **fields)
        tasks = task_queryset(self.visible_agencies()).filter(ministry_decision=decision)
        decision = (
            MinistryDecision.objects.filter(pk=decision.pk)
            .prefetch_related(
                Prefetch(
                    "items",
                    queryset=PublicationItem.objects.select_related(
                        "version", "responsible_agency"
                    ).order_by("pk"),
                ),
                Prefetch("tasks", queryset=tasks.order_by("pk")),
            )
            .get()
        )
        body = s.MinistryDecisionSerializer(decision, context=deadline_context()).data
        return Response(body, status=status.HTTP_201_CREATED)


class PublicationItemDraftView(StaffMixin, GenericAPIView):
    serializer_class = s.StaffVersionSerializer
    queryset = PublicationItem.objects.none()

    def get_queryset(self) -> QuerySet[PublicationItem]:
        return PublicationItem.objects.filter(task__agency__in=self.visible_agencies())

    @extend_schema(
        operation_id="publication_items_draft",
        summary="Mở dự thảo cho một thủ tục / Start the draft of an item",
        description=(
            "Tạo (hoặc trả lại) phiên bản dự thảo trả lời một thủ tục của quyết định: bản sao "
            "của phiên bản đang áp dụng, hoặc thủ tục mới.\n\n"
            "Creates (or returns) the draft version answering one item: a copy of the current "
            "version, or a new procedure. 201 when created, 200 when it already existed."
        ),
        request=None,
        responses={200: s.StaffVersionSerializer, 201: s.StaffVersionSerializer, **ERRORS},
        tags=["publication"],
    )
    def post(self, request: Request, pk: str) -> Response:
        item = self.get_object()
        existed = item.version_id is not None
        version = item_start_draft(actor=request.user, item=item)
        body = self.get_serializer(staff_version_queryset().get(pk=version.pk)).data
        return Response(body, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


def staff_version_queryset() -> QuerySet[ProcedureVersion]:
    return ProcedureVersion.objects.select_related(
        "procedure", "field", "implementing_agency"
    ).prefetch_related(
        "components",
        "fees",
        "legal_bases",
        Prefetch("steps", queryset=WorkflowStep.objects.select_related("unit").order_by("order")),
        Prefetch("coordinating_agencies", queryset=Agency.objects.order_by("name")),
    )


def _transition_schema(action: str, summary: str, description: str):
    return extend_schema(
        operation_id=f"publication_versions_{action}",
        summary=summary,
        description=description,
        request=s.TransitionInputSerializer,
        responses={200: s.StaffVersionSerializer, **ERRORS},
        tags=["publication"],
    )


@extend_schema_view(
    retrieve=extend_schema(
        operation_id="publication_versions_retrieve",
        summary="Phiên bản thủ tục / Procedure version",
        description=(
            "Nội dung phiên bản, các hành động được phép và các điều kiện còn thiếu để trình."
            "\n\nThe version's content, allowed actions and what still blocks submission."
        ),
        responses={200: s.StaffVersionSerializer, 403: ERRORS[403], 404: ERRORS[404]},
        tags=["publication"],
    ),
    partial_update=extend_schema(
        operation_id="publication_versions_update",
        summary="Sửa dự thảo / Edit a draft",
        description=(
            "Chỉ sửa được phiên bản dự thảo. Mỗi danh sách con (components, fees, legal_bases, "
            "steps) được gửi sẽ thay thế toàn bộ danh sách cũ.\n\n"
            "Drafts only. Each child list sent replaces the old list entirely (form-template "
            "files of replaced components are not kept: attach them again in the admin)."
        ),
        request=s.VersionUpdateSerializer,
        responses={200: s.StaffVersionSerializer, **ERRORS},
        tags=["publication"],
    ),
)
class VersionViewSet(
    StaffMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    serializer_class = s.StaffVersionSerializer
    queryset = ProcedureVersion.objects.none()

    def get_queryset(self) -> QuerySet[ProcedureVersion]:
        agencies = self.visible_agencies()
        return staff_version_queryset().filter(
            Q(publication_task__agency__in=agencies)
            | Q(publication_task__isnull=True, implementing_agency__in=agencies)
        )

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        version = self.get_object()
        data = s.VersionUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        content, children, coordinating = data.split()
        version_update(
            actor=request.user,
            version=version,
            content=content,
            children=children,
            coordinating_agencies=coordinating,
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=version.pk)).data)

    def _transition(self, request: Request, action: str) -> Response:
        version = self.get_object()
        data = s.TransitionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        version_transition_in_task(
            actor=request.user, version=version, action=action, note=data.validated_data["note"]
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=version.pk)).data)

    @_transition_schema(
        "submit",
        "Trình lãnh đạo / Submit to the head",
        "Kiểm tra đủ bảy bộ phận tạo thành và tổng thời gian các bước bằng thời hạn giải quyết."
        "\n\nChecks the seven constituent parts and that step budgets sum to the time limit.",
    )
    def submit(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, "submit")

    @_transition_schema(
        "approve",
        "Phê duyệt / Approve",
        "Lãnh đạo đơn vị phê duyệt dự thảo và quy trình nội bộ.\n\n"
        "The head of the agency approves the draft and its internal workflow.",
    )
    def approve(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, "approve")

    @_transition_schema(
        "return",
        "Trả lại để sửa / Return for changes",
        "Trả dự thảo về trạng thái dự thảo; bắt buộc ghi lý do.\n\n"
        "Sends the version back to draft; a note is required.",
    )
    def return_to_draft(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, "return")
