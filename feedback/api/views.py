"""REST API for ratings and PAKN (documented at /api/docs/).

Thin views: reads from the selectors (scoped by agency: outside the caller's
units is a 404), writes through the services; refusals ``{"detail", "errors", "fields"}``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, generics, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dossiers.models import Dossier
from tthc_portal.agencies.selectors import agencies_for_user
from tthc_portal.api import StrictPagination, flatten_errors
from tthc_portal.api_contract import QueryContractMixin
from tthc_portal.throttles import FailClosedAnonRateThrottle, FailClosedUserRateThrottle

from .. import selectors
from ..forms import half_year
from ..models import Feedback, FeedbackHistory, Rating, RatingScore, RatingSource
from ..models.pakn import Status as FeedbackStatus
from ..services import FeedbackError
from ..services import pakn as services
from ..services.deadlines import policy_for
from ..services.rating_links import rating_link_find, rating_submit_by_link
from ..services.ratings import rating_submit, rule_set_for
from ..views.staff import ACTION_FORMS, available_actions
from ..workflow import TRANSITIONS
from . import serializers as s

SUBMIT_FIELDS = [
    "submitter_kind", "submitter_name", "submitter_address", "submitter_phone",
    "submitter_email", "submitter_postal_address", "kind", "title", "content",
    "dossier_code", "procedure_code", "about_agency", "consent_publish_identity",
]  # fmt: skip
ERRORS = {
    400: OpenApiResponse(s.FeedbackErrorSerializer, description="Yêu cầu bị từ chối / Refused."),
    403: OpenApiResponse(s.FeedbackErrorSerializer, description="Không có quyền / Forbidden."),
    404: OpenApiResponse(s.FeedbackErrorSerializer, description="Không tìm thấy / Not found."),
}


STAFF_STATUSES = ["open", "all", *FeedbackStatus.values]
STAFF_STATUS_HELP = "open, all, hoặc một trạng thái"


class Pagination(StrictPagination):
    page_size = 20
    max_page_size = 100


class ErrorsMixin(QueryContractMixin):
    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, FeedbackError):
            return Response(
                {"detail": str(exc.message), "errors": [str(e) for e in exc.errors],
                 "fields": {k: [str(m) for m in v] for k, v in exc.fields.items()}},
                status=status.HTTP_400_BAD_REQUEST,
            )  # fmt: skip
        if isinstance(exc, Feedback.DoesNotExist | Rating.DoesNotExist | Dossier.DoesNotExist):
            exc = Http404()
        response = super().handle_exception(exc)  # type: ignore[misc]
        if isinstance(exc, exceptions.ValidationError):
            response.data = {
                "detail": str(_("Dữ liệu gửi lên không hợp lệ.")),
                "errors": flatten_errors(exc.detail),
                "fields": exc.detail,
            }
        elif isinstance(exc, Http404 | exceptions.NotFound):
            response.data = {"detail": str(_("Không tìm thấy."))}
        elif isinstance(exc, DjangoPermissionDenied | exceptions.PermissionDenied):
            response.data = {"detail": str(_("Bạn không có quyền thực hiện thao tác này."))}
        elif isinstance(exc, exceptions.NotAuthenticated):
            response.data = {"detail": str(_("Vui lòng đăng nhập để sử dụng chức năng này."))}
        return response


class IsAgencyStaff(BasePermission):
    message = _("Chức năng này chỉ dành cho cán bộ, công chức của đơn vị.")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated) and agencies_for_user(user).exists()


class Public(ErrorsMixin):
    permission_classes = [AllowAny]
    # Public reads: per address for visitors, per account once signed in.
    throttle_classes = [FailClosedAnonRateThrottle, FailClosedUserRateThrottle]


def _period(request: Request):
    start = parse_date(request.query_params.get("start") or "")
    end = parse_date(request.query_params.get("end") or "")
    if start is None or end is None:
        start, end = half_year(timezone.localdate())
    if end < start:
        raise FeedbackError(str(_("Ngày kết thúc phải sau ngày bắt đầu.")))
    return start, end


# --- PAKN: public -----------------------------------------------------------------------------


class FeedbackSubmitView(Public, APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        operation_id="pakn_submit",
        summary="Gửi phản ánh, kiến nghị / Submit feedback (public)",
        description=(
            "Bắt buộc: họ tên, địa chỉ, số điện thoại và thư điện tử hoặc địa chỉ nhận thư "
            "(Nghị định 20/2008/NĐ-CP Điều 7, sửa đổi bởi Nghị định 92/2017/NĐ-CP). Tệp đính kèm "
            "PDF/JPG/PNG được kiểm tra nội dung. `follow_up_of`: mã PAKN đã công khai khi phản ánh "
            "tiếp về kết quả.\n\nRequired: name, address, phone, and email or postal address."
        ),
        request={"multipart/form-data": s.FeedbackSubmitSerializer,
                 "application/json": s.FeedbackSubmitJSONSerializer},
        responses={201: s.SubmittedSerializer, **ERRORS},
        tags=["pakn"],
    )  # fmt: skip
    def post(self, request: Request) -> Response:
        serializer = s.FeedbackSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = s.data_from(serializer.validated_data, SUBMIT_FIELDS)
        files = request.FILES.getlist("attachments") if request.FILES else []
        actor = request.user if request.user.is_authenticated else None
        code = serializer.validated_data.get("follow_up_of")
        if code:
            original = selectors.published_by_code(code)
            if original is None:
                raise Http404
            item = services.feedback_follow_up(
                original=original, data=data, attachments=files, actor=actor
            )
        else:
            item = services.feedback_submit(data=data, attachments=files, actor=actor)
        return Response(
            s.SubmittedSerializer(item, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema_view(
    get=extend_schema(
        operation_id="pakn_published_list",
        summary="Kết quả xử lý PAKN đã công khai / Published answers",
        description="Không cần đăng nhập. `q` tìm không phân biệt dấu; lọc theo `agency`, `field`.",
        parameters=[
            OpenApiParameter("q", str),
            OpenApiParameter("agency", int),
            OpenApiParameter("field", int),
        ],
        tags=["pakn"],
    )
)
class PublishedListView(Public, generics.ListAPIView):
    serializer_class = s.PublishedSerializer
    pagination_class = Pagination

    def get_queryset(self):
        params = self.request.query_params

        def number(name: str) -> int | None:
            value = params.get(name) or ""
            return int(value) if value.isdigit() else None

        return selectors.published_feedback(
            query=params.get("q") or "", agency=number("agency"), field=number("field")
        )

    def get_serializer_context(self) -> dict:
        return {
            **super().get_serializer_context(),
            "show_identity": policy_for(timezone.localdate()).publish_identity_with_consent,
        }


@extend_schema_view(
    get=extend_schema(
        operation_id="pakn_published_retrieve",
        summary="Một kết quả đã công khai / One published answer",
        tags=["pakn"],
        responses={200: s.PublishedSerializer, 404: ERRORS[404]},
    )
)
class PublishedDetailView(Public, generics.RetrieveAPIView):
    serializer_class = s.PublishedSerializer

    def get_object(self) -> Feedback:
        item = selectors.published_by_code(self.kwargs["code"])
        if item is None:
            raise Http404
        return item

    def get_serializer_context(self) -> dict:
        return {
            **super().get_serializer_context(),
            "show_identity": policy_for(timezone.localdate()).publish_identity_with_consent,
        }


class ReactionView(Public, APIView):
    @extend_schema(
        operation_id="pakn_react",
        summary="Hài lòng / không hài lòng với kết quả / Like or dislike an answer",
        description="Một lượt cho mỗi tài khoản, hoặc mỗi phiên trình duyệt; gửi lại để đổi ý.",
        request=s.ReactionSerializer,
        responses={200: s.ReactionResultSerializer, **ERRORS},
        tags=["pakn"],
    )
    def post(self, request: Request, code: str) -> Response:
        item = selectors.published_by_code(code)
        if item is None:
            raise Http404
        serializer = s.ReactionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = request._request.session
        if not request.user.is_authenticated and not session.session_key:
            session.save()
        reaction = services.feedback_react(
            item=item, value=serializer.validated_data["value"], user=request.user,
            session_key=session.session_key,
        )  # fmt: skip
        item = selectors.published_by_code(code)
        return Response({"value": reaction.value, "likes": item.likes, "dislikes": item.dislikes})


# --- PAKN: staff ------------------------------------------------------------------------------


class StaffMixin(ErrorsMixin):
    permission_classes = [IsAgencyStaff]


@extend_schema_view(
    get=extend_schema(
        operation_id="pakn_staff_list",
        summary="PAKN của đơn vị / Items of my units",
        parameters=[
            OpenApiParameter("status", str, enum=STAFF_STATUSES, description=STAFF_STATUS_HELP),
            OpenApiParameter("alert", str, enum=["due_soon", "overdue"]),
            OpenApiParameter("q", str),
        ],
        tags=["pakn-staff"],
    )
)
class StaffListView(StaffMixin, generics.ListCreateAPIView):
    serializer_class = s.StaffFeedbackSerializer
    pagination_class = Pagination

    def get_queryset(self):
        params = self.request.query_params
        return selectors.staff_inbox(
            self.request.user, status=params.get("status") or "all",
            alert=params.get("alert"), query=params.get("q") or "",
        )  # fmt: skip

    @extend_schema(
        operation_id="pakn_staff_enter",
        summary="Nhập PAKN từ thư, điện thoại, fax, thư điện tử / Enter an item",
        request={"multipart/form-data": s.StaffEntrySerializer,
                 "application/json": s.StaffEntryJSONSerializer},
        responses={201: s.StaffFeedbackSerializer, **ERRORS},
        tags=["pakn-staff"],
    )  # fmt: skip
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = s.StaffEntrySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        item = services.feedback_submit(
            data={**s.data_from(data, SUBMIT_FIELDS),
                  "transferred_from": data.get("transferred_from", "")},
            attachments=request.FILES.getlist("attachments") if request.FILES else [],
            actor=request.user, channel=data["channel"],
            receiving_agency=data["receiving_agency"], received_at=data["received_at"],
        )  # fmt: skip
        return Response(s.StaffFeedbackSerializer(item).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(
        operation_id="pakn_staff_retrieve",
        summary="Chi tiết PAKN / Item detail with history",
        tags=["pakn-staff"],
        responses={200: s.StaffFeedbackDetailSerializer, 404: ERRORS[404]},
    )
)
class StaffDetailView(StaffMixin, generics.RetrieveAPIView):
    serializer_class = s.StaffFeedbackDetailSerializer

    def get_object(self) -> Feedback:
        return (
            selectors.feedback_for_staff(self.request.user)
            .select_related("dossier", "follow_up_of")
            .prefetch_related(
                Prefetch("history", queryset=FeedbackHistory.objects.select_related(
                    "actor", "agency"))
            )
            .get(pk=self.kwargs["pk"])
        )  # fmt: skip


class StaffActionView(StaffMixin, APIView):
    @extend_schema(
        operation_id="pakn_staff_action",
        summary="Thực hiện một bước xử lý / Perform a handling step",
        description=(
            "Hành động: " + ", ".join(f"`{a}` ({TRANSITIONS[a].label})" for a in ACTION_FORMS)
            + ". Trạng thái và quyền được kiểm tra theo bảng chuyển trạng thái "
            "(feedback/workflow.py)."
        ),
        request=s.ActionSerializer,
        responses={200: s.StaffFeedbackDetailSerializer, **ERRORS},
        tags=["pakn-staff"],
    )  # fmt: skip
    def post(self, request: Request, pk: int, action: str) -> Response:
        from ..views.staff import _run

        if action not in ACTION_FORMS:
            raise Http404
        item = selectors.feedback_for_user(request.user, pk)
        if action not in available_actions(request.user, item) and not (
            services.actor_capabilities(request.user, item) & TRANSITIONS[action].actors
        ):
            raise DjangoPermissionDenied
        serializer = s.ActionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {**serializer.validated_data}
        required = {
            "classify": ["category"], "forward": ["agency"], "forward_out": ["recipient"],
            "request_info": ["request"], "supplement": ["response"], "answer": ["answer"],
            "return_to_office": ["note"], "receive_transfer": ["from_body"],
        }.get(action, [])  # fmt: skip
        missing = [name for name in required if name not in data]
        if missing:
            raise FeedbackError(
                str(_("Thiếu thông tin bắt buộc.")),
                fields={name: [str(_("Bắt buộc."))] for name in missing},
            )
        for name in ("note", "reason", "subject"):
            data.setdefault(name, "")
        _run(action, request.user, item, data)
        item = selectors.feedback_for_user(request.user, pk)
        return Response(s.StaffFeedbackDetailSerializer(item).data)


class CriteriaView(StaffMixin, APIView):
    @extend_schema(
        operation_id="pakn_criteria",
        summary="Tiêu chí 5.2, 5.3 (Quyết định 766) / Criteria 5.2 and 5.3",
        description="Tính từ hồ sơ PAKN của các đơn vị được chọn (gộp tử số, mẫu số).",
        parameters=[
            OpenApiParameter("agency", int, many=True,
                             description="Đơn vị; bỏ trống: mọi đơn vị được xem"),
            OpenApiParameter("start", OpenApiTypes.DATE, description="YYYY-MM-DD"),
            OpenApiParameter("end", OpenApiTypes.DATE, description="YYYY-MM-DD (tính cả ngày này)"),
        ],
        responses={200: s.PaknCriteriaSerializer, **ERRORS},
        tags=["pakn-staff"],
    )  # fmt: skip
    def get(self, request: Request) -> Response:
        allowed = set(agencies_for_user(request.user).values_list("pk", flat=True))
        wanted = {int(v) for v in request.query_params.getlist("agency") if v.isdigit()}
        if wanted - allowed:
            raise Http404
        start, end = _period(request)
        result = selectors.pakn_criteria(sorted(wanted or allowed), start, end)
        return Response(s.PaknCriteriaSerializer(result).data)


# --- ratings ----------------------------------------------------------------------------------


class RatingByTokenView(Public, APIView):
    @extend_schema(
        operation_id="rating_submit_by_link",
        summary="Người dân đánh giá qua đường dẫn riêng / Citizen rates via the private link",
        description="Mã của đường dẫn dùng một lần gửi qua SMS/thư (không phải mã QR).",
        request=s.RatingInputSerializer,
        responses={201: s.RatingSerializer, **ERRORS},
        tags=["ratings"],
    )
    def post(self, request: Request, token: str) -> Response:
        if rating_link_find(token) is None:
            raise Http404
        serializer = s.RatingInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        rating = rating_submit_by_link(
            token=token, scores=data["scores"], like=data.get("like"),
            comment=data.get("comment", ""),
        )  # fmt: skip
        return Response(s.RatingSerializer(_rating(rating.pk)).data, status=201)


def _rating(pk: int) -> Rating:
    return (
        Rating.objects.select_related("dossier__receiving_agency")
        .prefetch_related(
            Prefetch("scores", queryset=RatingScore.objects.select_related("criterion"))
        )
        .get(pk=pk)
    )


@extend_schema_view(
    get=extend_schema(
        operation_id="ratings_list",
        summary="Đánh giá của đơn vị / Ratings of my units",
        parameters=[
            OpenApiParameter("needs_review", bool),
            OpenApiParameter("source", str, enum=RatingSource.values),
        ],
        tags=["ratings"],
    )
)
class RatingListView(StaffMixin, generics.ListCreateAPIView):
    serializer_class = s.RatingSerializer
    pagination_class = Pagination

    def get_queryset(self):
        ratings = selectors.ratings_for_staff(self.request.user).prefetch_related(
            Prefetch("scores", queryset=RatingScore.objects.select_related("criterion"))
        )
        params = self.request.query_params
        if params.get("needs_review") in ("true", "1"):
            ratings = ratings.filter(needs_review=True, reviewed_at__isnull=True)
        if params.get("source") in RatingSource.values:
            ratings = ratings.filter(source=params["source"])
        return ratings.order_by("-submitted_at", "-pk")

    @extend_schema(
        operation_id="ratings_transcribe",
        summary="Nhập phiếu đánh giá giấy hoặc từ Cổng DVCQG / Transcribe a paper or DVCQG rating",
        request=s.RatingTranscribeSerializer,
        responses={201: s.RatingSerializer, **ERRORS},
        tags=["ratings"],
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = s.RatingTranscribeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        dossier = Dossier.objects.filter(
            code=data["dossier_code"].strip().upper(),
            receiving_agency__in=agencies_for_user(request.user),
        ).first()
        if dossier is None:
            raise Http404
        rating = rating_submit(
            dossier=dossier, source=data["source"], scores=data["scores"],
            like=data.get("like"), comment=data.get("comment", ""), actor=request.user,
            at=data.get("submitted_at"),
        )  # fmt: skip
        return Response(s.RatingSerializer(_rating(rating.pk)).data, status=201)


class RatingSummaryView(StaffMixin, APIView):
    @extend_schema(
        operation_id="ratings_summary",
        summary="Tổng hợp đánh giá theo cơ quan hoặc thủ tục / Aggregates",
        parameters=[
            OpenApiParameter("group", str, enum=["agency", "procedure"]),
            OpenApiParameter("start", OpenApiTypes.DATE),
            OpenApiParameter("end", OpenApiTypes.DATE),
        ],
        responses={200: s.RatingSummarySerializer(many=True), **ERRORS},
        tags=["ratings"],
    )  # fmt: skip
    def get(self, request: Request) -> Response:
        group = request.query_params.get("group") or "agency"
        if group not in selectors.GROUPS:
            raise FeedbackError(str(_("Nhóm không hợp lệ: chọn agency hoặc procedure.")))
        start, end = _period(request)
        bands = [b.code for b in rule_set_for(timezone.localdate()).bands.all()]
        rows = selectors.rating_summary(
            group=group, start=start, end=end, bands=bands,
            agency_ids=agencies_for_user(request.user).values_list("pk", flat=True),
        )  # fmt: skip
        return Response(s.RatingSummarySerializer(rows, many=True).data)
