"""Staff API of procedure versions: read, edit a draft, submit, approve, return.

Versions are visible through their publication task's agency (or, without a
task, their implementing agency); writes go through the version services.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from tthc_portal.agencies.models import Agency

from ...models import ProcedureVersion, WorkflowStep
from ...services.publication import version_transition_in_task
from ...services.versions import version_update
from .. import serializers as s
from .shared import ERRORS, StaffMixin


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
        code = content.pop("procedure_code", None)
        version_update(
            actor=request.user,
            version=version,
            content=content,
            children=children,
            coordinating_agencies=coordinating,
            code=code,
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
