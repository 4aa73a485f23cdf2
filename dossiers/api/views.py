"""REST API of dossiers: the citizen's own dossiers, the desk, the public lookup.

Views are thin: reads start from the selectors (own dossiers for applicants,
the agencies' dossiers for officers), writes go through the same services as
the pages. ``DossierError`` (and ``UploadRejected``) → 400 ``{"detail",
"errors"}``; a dossier outside the caller's scope → 404, never 403, so a
guess never reveals that it exists; ``PermissionDenied`` from a service on a
visible dossier → 403.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, status, viewsets
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tthc_portal.accounts.oidc.assurance import sign_in_assurance
from tthc_portal.api import StandardPagination, flatten_errors
from tthc_portal.api_contract import QueryContractMixin
from tthc_portal.throttles import FailClosedScopedRateThrottle

from ..models import Channel, Dossier, Status
from ..selectors_public import (
    LOOKUP_WINDOW_SECONDS,
    api_applicant_dossier_detail,
    api_applicant_dossiers,
    api_desk_dossier_detail,
    api_desk_dossiers,
    api_desk_waiting_overdue,
    public_status_by_code,
)
from ..services import DossierError
from ..services.reception import dossier_receive, dossier_refuse, dossier_request_completion
from ..services.submission import (
    component_attach,
    dossier_create_draft,
    dossier_resubmit,
    dossier_submit,
    dossier_update_draft,
)
from . import serializers as s
from .permissions import IsAgencyStaff, IsApplicantAccount, LookupAttemptsThrottle

ERROR = s.DossierApiErrorSerializer
ERRORS = {
    400: OpenApiResponse(ERROR, description="Yêu cầu bị từ chối / Refused by the rules."),
    403: OpenApiResponse(ERROR, description="Không có quyền / Forbidden."),
    404: OpenApiResponse(
        ERROR, description="Không tìm thấy (hoặc ngoài phạm vi được xem) / Not found."
    ),
}
ID_PARAMETER = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description="Id của hồ sơ / Dossier id."
)


class DossierApiMixin(QueryContractMixin):
    """Every refusal answers ``{"detail": <Vietnamese sentence>, "errors": [...]}``."""

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, DossierError):
            return Response(
                {"detail": str(exc.message), "errors": [str(e) for e in exc.errors]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        if isinstance(exc, Dossier.DoesNotExist):
            exc = Http404()
        response = super().handle_exception(exc)  # type: ignore[misc]
        if isinstance(exc, exceptions.ValidationError):
            response.data = {
                "detail": _("Dữ liệu gửi lên không hợp lệ."),
                "errors": flatten_errors(exc.detail),
                "fields": exc.detail,
            }
        elif isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            response.data = {"detail": _("Vui lòng đăng nhập để sử dụng chức năng này.")}
        elif isinstance(exc, Http404 | exceptions.NotFound):
            response.data = {"detail": _("Không tìm thấy hồ sơ.")}
        elif isinstance(exc, DjangoPermissionDenied) or (
            isinstance(exc, exceptions.PermissionDenied)
            and exc.detail == exceptions.PermissionDenied.default_detail
        ):
            response.data = {"detail": _("Bạn không có quyền thực hiện thao tác này với hồ sơ.")}
        elif isinstance(exc, exceptions.PermissionDenied):
            response.data = {"detail": str(exc.detail)}
        elif isinstance(exc, exceptions.Throttled):
            response.data = {"detail": self.throttled_message(exc)}
        elif isinstance(exc, exceptions.MethodNotAllowed | exceptions.UnsupportedMediaType):
            response.data = {"detail": _("Phương thức hoặc định dạng yêu cầu không được hỗ trợ.")}
        return response

    def throttled_message(self, exc: exceptions.Throttled) -> str:
        return _("Quá nhiều yêu cầu, vui lòng thử lại sau %(s)s giây.") % {
            "s": max(1, int(exc.wait or 1))
        }


def _validated(serializer_class: type, data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- citizens ---------------------------------------------------------------------------

TAG_CITIZEN = ["dossiers"]


@extend_schema_view(
    list=extend_schema(
        operation_id="dossiers_list",
        summary="Hồ sơ của tôi / My dossiers",
        description=(
            "Các hồ sơ của tài khoản đang đăng nhập, mới nhất trước. Không bao giờ gồm hồ sơ "
            "của người khác.\n\nThe signed-in account's own dossiers, newest first."
        ),
        responses={200: s.DossierListSerializer(many=True), 403: ERRORS[403]},
        tags=TAG_CITIZEN,
    ),
    retrieve=extend_schema(
        operation_id="dossiers_retrieve",
        summary="Chi tiết hồ sơ của tôi / One of my dossiers",
        description=(
            "Thông tin hồ sơ kèm giấy tờ đã nộp (siêu dữ liệu), lịch sử xử lý, giấy tờ được "
            "phát hành và các khoản thanh toán.\n\nThe dossier with its components' metadata, "
            "history, issued documents and payments."
        ),
        parameters=[ID_PARAMETER],
        responses={200: s.DossierDetailSerializer, 403: ERRORS[403], 404: ERRORS[404]},
        tags=TAG_CITIZEN,
    ),
    create=extend_schema(
        operation_id="dossiers_create",
        summary="Tạo hồ sơ nháp / Start a draft dossier",
        description=(
            "Tạo hồ sơ trực tuyến ở trạng thái nháp cho thủ tục đã chọn. Thủ tục cấp xã cần "
            "chọn UBND cấp xã tiếp nhận. Chỉ dành cho tài khoản công dân, tổ chức.\n\n"
            "Starts an online draft; commune-level procedures need the receiving commune. "
            "Applicant accounts only."
        ),
        request=s.DossierCreateSerializer,
        responses={201: s.DossierDetailSerializer, **ERRORS},
        tags=TAG_CITIZEN,
    ),
    partial_update=extend_schema(
        operation_id="dossiers_partial_update",
        summary="Sửa thông tin người nộp / Edit the applicant's fields",
        description=(
            "Chỉ sửa được khi hồ sơ đang soạn hoặc đang được yêu cầu bổ sung.\n\n"
            "Only while the dossier is a draft or awaiting completion."
        ),
        parameters=[ID_PARAMETER],
        request=s.DossierUpdateSerializer,
        responses={200: s.DossierDetailSerializer, **ERRORS},
        tags=TAG_CITIZEN,
    ),
)
class CitizenDossierViewSet(DossierApiMixin, viewsets.GenericViewSet):
    """The applicant's own dossiers; anything else is 404."""

    queryset = Dossier.objects.none()
    serializer_class = s.DossierDetailSerializer
    pagination_class = StandardPagination
    filter_backends: list = []

    def get_permissions(self) -> list:
        if self.action == "create":
            return [IsAuthenticated(), IsApplicantAccount()]
        return [IsAuthenticated()]

    def get_queryset(self) -> QuerySet[Dossier]:
        if getattr(self, "swagger_fake_view", False):
            return Dossier.objects.none()
        if self.action == "list":
            return api_applicant_dossiers(self.request.user)
        return api_applicant_dossier_detail(self.request.user)

    def _own(self, pk: int) -> Dossier:
        return get_object_or_404(api_applicant_dossiers(self.request.user), pk=pk)

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        dossier = api_applicant_dossier_detail(self.request.user).get(pk=pk)
        return Response(s.DossierDetailSerializer(dossier).data, status=code)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.DossierListSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: int) -> Response:
        dossier = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(s.DossierDetailSerializer(dossier).data)

    def create(self, request: Request) -> Response:
        data = _validated(s.DossierCreateSerializer, request.data)
        dossier = dossier_create_draft(
            actor=request.user,
            procedure=data["procedure"],
            receiving_agency=data.get("receiving_agency"),
        )
        return self._detail(dossier.pk, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: int) -> Response:
        dossier = self._own(pk)
        data = _validated(s.DossierUpdateSerializer, request.data)
        dossier_update_draft(actor=request.user, dossier=dossier, data=data)
        return self._detail(dossier.pk)

    @extend_schema(
        operation_id="dossiers_components_create",
        summary="Tải lên giấy tờ / Upload a component",
        description=(
            "Tải lên một tệp (PDF, JPG, PNG) cho một thành phần hồ sơ. Tệp bị từ chối trả về "
            "400 kèm lý do bằng tiếng Việt.\n\nUploads one file for a component requirement; "
            "a rejected file answers 400 with the reason in Vietnamese."
        ),
        parameters=[ID_PARAMETER],
        request={"multipart/form-data": s.ComponentUploadSerializer},
        responses={201: s.DossierComponentMetaSerializer, **ERRORS},
        tags=TAG_CITIZEN,
    )
    def components(self, request: Request, pk: int) -> Response:
        dossier = self._own(pk)
        data = _validated(s.ComponentUploadSerializer, request.data)
        component = component_attach(
            actor=request.user,
            dossier=dossier,
            requirement_id=data.get("requirement"),
            upload=data["file"],
            name=data.get("name") or "",
        )
        return Response(
            s.DossierComponentMetaSerializer(component).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        operation_id="dossiers_submit",
        summary="Nộp hồ sơ / Submit",
        description=(
            "Gửi hồ sơ đến Bộ phận Một cửa; nếu thủ tục thu phí khi nộp, yêu cầu thanh toán "
            "được tạo.\n\nSends the draft to the desk; a payment request is opened when the "
            "procedure collects fees on submission."
        ),
        parameters=[ID_PARAMETER],
        request=None,
        responses={200: s.DossierDetailSerializer, **ERRORS},
        tags=TAG_CITIZEN,
    )
    def submit(self, request: Request, pk: int) -> Response:
        dossier = dossier_submit(
            actor=request.user, dossier=self._own(pk), assurance=sign_in_assurance(request)
        )
        return self._detail(dossier.pk)

    @extend_schema(
        operation_id="dossiers_resubmit",
        summary="Nộp lại sau khi bổ sung / Resubmit after completion",
        parameters=[ID_PARAMETER],
        request=None,
        responses={200: s.DossierDetailSerializer, **ERRORS},
        tags=TAG_CITIZEN,
    )
    def resubmit(self, request: Request, pk: int) -> Response:
        dossier = dossier_resubmit(
            actor=request.user, dossier=self._own(pk), assurance=sign_in_assurance(request)
        )
        return self._detail(dossier.pk)


# --- one-stop desk ----------------------------------------------------------------------

TAG_DESK = ["desk"]


class DeskDossierFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices, help_text="Trạng thái (lặp lại để chọn nhiều) / Status."
    )
    channel = django_filters.TypedChoiceFilter(
        choices=Channel.choices, coerce=int, help_text="Kênh nộp 1, 2, 3 / Channel."
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        help_text=(
            "true: hồ sơ chờ tiếp nhận đã quá hạn tiếp nhận; false: các hồ sơ còn lại / "
            "true: dossiers waiting for the desk past their acceptance deadline."
        ),
    )

    class Meta:
        model = Dossier
        fields = ["status", "channel", "overdue"]

    @extend_schema_field(OpenApiTypes.BOOL)
    def filter_overdue(
        self, queryset: QuerySet[Dossier], name: str, value: bool
    ) -> QuerySet[Dossier]:
        late = api_desk_waiting_overdue(queryset)
        return late if value else queryset.exclude(pk__in=late.values("pk"))


@extend_schema_view(
    list=extend_schema(
        operation_id="desk_dossiers_list",
        summary="Hồ sơ của đơn vị / The agencies' dossiers",
        description=(
            "Hồ sơ do các đơn vị của cán bộ tiếp nhận (không gồm hồ sơ nháp của công dân). "
            "Lọc theo trạng thái, kênh nộp, hồ sơ chờ tiếp nhận quá hạn.\n\nDossiers of the "
            "officer's agencies (citizens' drafts excluded); filter by status, channel and "
            "overdue waiting."
        ),
        responses={200: s.DossierListSerializer(many=True), 403: ERRORS[403]},
        tags=TAG_DESK,
    ),
    retrieve=extend_schema(
        operation_id="desk_dossiers_retrieve",
        summary="Chi tiết hồ sơ (cán bộ) / Dossier detail for officers",
        parameters=[ID_PARAMETER],
        responses={200: s.DossierDetailSerializer, 403: ERRORS[403], 404: ERRORS[404]},
        tags=TAG_DESK,
    ),
)
class DeskDossierViewSet(DossierApiMixin, viewsets.GenericViewSet):
    """Dossiers of the officer's agencies; the services check the desk permission."""

    queryset = Dossier.objects.none()
    serializer_class = s.DossierDetailSerializer
    pagination_class = StandardPagination
    permission_classes = [IsAuthenticated, IsAgencyStaff]
    filter_backends = [DjangoFilterBackend]
    filterset_class = DeskDossierFilter

    def get_queryset(self) -> QuerySet[Dossier]:
        if getattr(self, "swagger_fake_view", False):
            return Dossier.objects.none()
        if self.action == "list":
            return api_desk_dossiers(self.request.user)
        return api_desk_dossier_detail(self.request.user)

    def _visible(self, pk: int) -> Dossier:
        return get_object_or_404(api_desk_dossiers(self.request.user), pk=pk)

    def _detail(self, pk: int) -> Response:
        dossier = api_desk_dossier_detail(self.request.user).get(pk=pk)
        return Response(s.DossierDetailSerializer(dossier).data)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(s.DossierListSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: int) -> Response:
        dossier = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(s.DossierDetailSerializer(dossier).data)

    @extend_schema(
        operation_id="desk_dossiers_receive",
        summary="Tiếp nhận hồ sơ / Receive",
        description=(
            "Cấp mã hồ sơ, tính ngày hẹn trả theo phiên bản thủ tục đang áp dụng, phát hành "
            "Giấy tiếp nhận (mẫu 01).\n\nAssigns the code and appointment, issues form 01."
        ),
        parameters=[ID_PARAMETER],
        request=None,
        responses={200: s.DossierDetailSerializer, **ERRORS},
        tags=TAG_DESK,
    )
    def receive(self, request: Request, pk: int) -> Response:
        dossier = dossier_receive(actor=request.user, dossier=self._visible(pk))
        return self._detail(dossier.pk)

    @extend_schema(
        operation_id="desk_dossiers_request_completion",
        summary="Yêu cầu bổ sung, hoàn thiện / Request completion (form 02)",
        description=(
            "Một phiếu duy nhất liệt kê mọi nội dung cần bổ sung, mỗi nội dung có lý do.\n\n"
            "One consolidated request listing every item, each with its reason."
        ),
        parameters=[ID_PARAMETER],
        request=s.RequestCompletionSerializer,
        responses={200: s.DossierDetailSerializer, **ERRORS},
        tags=TAG_DESK,
    )
    def request_completion(self, request: Request, pk: int) -> Response:
        dossier = self._visible(pk)
        data = _validated(s.RequestCompletionSerializer, request.data)
        dossier_request_completion(
            actor=request.user,
            dossier=dossier,
            items=[dict(item) for item in data["items"]],
            note=data.get("note") or "",
        )
        return self._detail(dossier.pk)

    @extend_schema(
        operation_id="desk_dossiers_refuse",
        summary="Từ chối tiếp nhận / Refuse (form 03)",
        parameters=[ID_PARAMETER],
        request=s.RefuseSerializer,
        responses={200: s.DossierDetailSerializer, **ERRORS},
        tags=TAG_DESK,
    )
    def refuse(self, request: Request, pk: int) -> Response:
        dossier = self._visible(pk)
        data = _validated(s.RefuseSerializer, request.data)
        dossier_refuse(actor=request.user, dossier=dossier, reason=data["reason"])
        return self._detail(dossier.pk)


# --- public lookup ----------------------------------------------------------------------


class PublicLookupView(DossierApiMixin, APIView):
    """Anonymous; throttled per IP twice: DRF's "lookup" scope and the page's
    10-minute allowance (shared with /tra-cuu/)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [FailClosedScopedRateThrottle, LookupAttemptsThrottle]
    throttle_scope = "lookup"

    def throttled_message(self, exc: exceptions.Throttled) -> str:
        return _("Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau %(m)s phút.") % {
            "m": max(1, round((exc.wait or LOOKUP_WINDOW_SECONDS) / 60))
        }

    @extend_schema(
        operation_id="dossier_lookup",
        summary="Tra cứu tình trạng hồ sơ / Public status lookup",
        description=(
            "Không cần đăng nhập. Mã hồ sơ kèm 4 chữ số cuối của số điện thoại hoặc số định "
            "danh; trả về tình trạng tối thiểu, không có thông tin cá nhân. Mã sai, 4 số cuối "
            "sai hay hồ sơ không tồn tại đều nhận cùng một trả lời 404. Giới hạn số lần tra "
            "cứu theo địa chỉ IP.\n\nNo login. Dossier code plus the last 4 digits of the "
            "phone or identification number; answers the minimal public status, nothing "
            "personal. A wrong code, wrong digits or an unknown dossier all get the same 404. "
            "Throttled per IP address."
        ),
        request=s.LookupInputSerializer,
        responses={
            200: s.PublicStatusSerializer,
            400: ERRORS[400],
            404: OpenApiResponse(ERROR, description="Không tìm thấy / Not found (any reason)."),
            429: OpenApiResponse(ERROR, description="Tra cứu quá nhiều lần / Too many lookups."),
        },
        examples=[
            OpenApiExample(
                "Tra cứu",
                value={"code": "000.00.10.H99-250124-0001", "last4": "5678"},
                request_only=True,
            )
        ],
        auth=[],
        tags=["lookup"],
    )
    def post(self, request: Request) -> Response:
        data = _validated(s.LookupInputSerializer, request.data)
        result = public_status_by_code(data["code"], data["last4"])
        if result is None:
            return Response(
                {"detail": _("Không tìm thấy hồ sơ khớp với mã hồ sơ và 4 chữ số cuối đã nhập.")},
                status=status.HTTP_404_NOT_FOUND,
            )
        return Response(s.PublicStatusSerializer(result).data)
