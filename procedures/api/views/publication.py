"""Staff publication workspace API: tasks, ministry decisions and item drafts.

Scoped to the user's agencies (``agencies_for_user``); writes go through the
publication services.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from tthc_portal.agencies.models import Agency
from tthc_portal.api import StandardPagination
from tthc_portal.workdays.services import get_calendar

from ...models import MinistryDecision, PublicationItem, PublicationTask
from ...services.publication import (
    ItemInput,
    item_start_draft,
    ministry_decision_record,
    task_chairman_decision_record,
)
from .. import serializers as s
from ..filters import PublicationTaskFilter
from .shared import ERRORS, ControlsPublication, StaffMixin
from .versions import staff_version_queryset


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
