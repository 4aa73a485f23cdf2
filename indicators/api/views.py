"""REST API of the Decision 766 index (documented at /api/docs/).

Thin views over the services. Everything is scoped by ``view_indicators``:
a unit outside the caller's units is a 404; the province row shows only to
those holding the permission on the province root. Refusals answer
``{"detail": <Vietnamese sentence>}`` (400 rule, 403 permission, 404 scope).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tthc_portal.agencies.models import Agency
from tthc_portal.api import StandardPagination, page_parameters, paginated
from tthc_portal.api_contract import QueryContractMixin

from ..exports import periodic_csv, periodic_xlsx
from ..models import RecomputeRun, ReportPeriod
from ..services import IndicatorError
from ..services.drilldown import criterion_cases
from ..services.periodic_report import (
    periodic_report,
)
from ..services.periods import period_get_or_create, period_publish, period_recompute_async
from ..services.predicted import at_risk_dossiers, predicted_losses
from ..services.results import period_results, period_summaries
from ..services.scope import IndicatorScope, indicator_scope
from . import serializers as s

TAGS = ["indicators"]
ERRORS = {
    400: OpenApiResponse(s.IndicatorErrorSerializer, description="Yêu cầu bị từ chối / Refused."),
    403: OpenApiResponse(s.IndicatorErrorSerializer, description="Không có quyền / Forbidden."),
    404: OpenApiResponse(s.IndicatorErrorSerializer, description="Không tìm thấy / Not found."),
}
AGENCY = OpenApiParameter(
    "agency", int, description="Id đơn vị (mặc định: toàn tỉnh hoặc các đơn vị được xem)"
)
PAGED_PERIOD = paginated(s.PeriodSerializer)
PAGED_RESULT = paginated(s.ResultSerializer)
PAGED_SUMMARY = paginated(s.SummarySerializer)
PAGED_CASE = paginated(s.CaseSerializer)
PAGED_PREDICTION = paginated(s.PredictionSerializer)
PAGED_ATRISK = paginated(s.AtRiskSerializer)
PAGED_PERIODIC_ROWS = paginated(s.PeriodicRowSerializer, total=s.PeriodicRowSerializer())
PERIOD_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="Id của kỳ")


class IsIndicatorViewer(BasePermission):
    message = gettext_lazy("Chức năng này dành cho cán bộ được xem chỉ số 766.")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        view.scope = indicator_scope(user)
        return bool(view.scope.agency_ids)


class IndicatorApiMixin(QueryContractMixin):
    permission_classes = [IsIndicatorViewer]
    scope: IndicatorScope

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, IndicatorError):
            return Response({"detail": exc.message}, status=status.HTTP_400_BAD_REQUEST)
        if isinstance(exc, ReportPeriod.DoesNotExist | RecomputeRun.DoesNotExist):
            exc = Http404()
        response = super().handle_exception(exc)  # type: ignore[misc]
        if isinstance(exc, Http404 | exceptions.NotFound):
            response.data = {"detail": _("Không tìm thấy (hoặc ngoài phạm vi được xem).")}
        elif isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            response.data = {"detail": _("Vui lòng đăng nhập để sử dụng chức năng này.")}
        elif isinstance(exc, DjangoPermissionDenied) or (
            isinstance(exc, exceptions.PermissionDenied)
            and exc.detail == exceptions.PermissionDenied.default_detail
        ):
            response.data = {"detail": _("Bạn không có quyền thực hiện thao tác này.")}
        elif isinstance(exc, exceptions.PermissionDenied):
            response.data = {"detail": str(exc.detail)}
        elif isinstance(exc, exceptions.ValidationError):
            response.data = {"detail": _("Dữ liệu gửi lên không hợp lệ."), "fields": exc.detail}
        return response

    # --- helpers ------------------------------------------------------------------------------

    def period(self) -> ReportPeriod:
        return get_object_or_404(
            ReportPeriod.objects.select_related("rule_set"), pk=self.kwargs["pk"]
        )

    def agency(self) -> Agency | None:
        """The ``agency`` parameter, which must be in scope (404 otherwise); read once."""
        if not hasattr(self, "_agency"):
            self._agency = self._requested_agency()
        return self._agency

    def required_agency(self) -> Agency | None:
        """For case lists: an agency must be chosen unless the user sees the province."""
        agency = self.agency()
        if agency is None and not self.scope.whole_province:
            raise IndicatorError(_("Chọn một đơn vị để xem danh sách."))
        return agency

    def with_province(self) -> bool:
        """Whether the province's own row belongs in the answer."""
        return self.scope.whole_province and self.agency() is None

    def _requested_agency(self) -> Agency | None:
        raw = self.request.query_params.get("agency")
        if not raw:
            return None
        try:
            agency_id = int(raw)
        except ValueError:
            raise IndicatorError(_("Mã đơn vị không hợp lệ.")) from None
        if agency_id not in self.scope.agency_ids:
            raise Http404
        return get_object_or_404(Agency, pk=agency_id)

    def units(self) -> list[int] | None:
        """Units to report: the chosen one, else everything visible (None: the province)."""
        agency = self.agency()
        if agency is not None:
            return [agency.pk]
        if self.scope.whole_province:
            return None
        return sorted(self.scope.agency_ids)

    def paginate(self, items, serializer_class, **context) -> Response:
        paginator = StandardPagination()
        page = paginator.paginate_queryset(items, self.request, view=self)
        data = serializer_class(page, many=True, context={"request": self.request, **context})
        return paginator.get_paginated_response(data.data)


# --- periods ------------------------------------------------------------------------------


class PeriodListView(IndicatorApiMixin, APIView):
    @extend_schema(
        operation_id="indicator_periods_list",
        summary="Các kỳ chỉ số 766 / Report periods",
        parameters=[
            OpenApiParameter("label", str, description="2025-05, 2025-Q2, 2025"),
            OpenApiParameter("status", str, enum=["open", "published"]),
            *page_parameters(),
        ],
        responses={200: PAGED_PERIOD, 403: ERRORS[403]},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        periods = ReportPeriod.objects.select_related("published_by").order_by("-start", "-end")
        if label := request.query_params.get("label"):
            periods = periods.filter(label__iexact=label)
        if state := request.query_params.get("status"):
            periods = periods.filter(status=state)
        return self.paginate(periods, s.PeriodSerializer)

    @extend_schema(
        operation_id="indicator_periods_open",
        summary="Mở kỳ (hoặc lấy kỳ đã có) / Open or get a period",
        request=s.PeriodCreateSerializer,
        responses={200: s.PeriodSerializer, **ERRORS},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        data = s.PeriodCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        period = period_get_or_create(
            data.validated_data["label"], reporting_15th=data.validated_data["reporting_15th"]
        )
        return Response(s.PeriodSerializer(period).data)


class PeriodDetailView(IndicatorApiMixin, APIView):
    @extend_schema(
        operation_id="indicator_periods_retrieve",
        summary="Một kỳ / One period",
        parameters=[PERIOD_ID],
        responses={200: s.PeriodSerializer, 404: ERRORS[404]},
        tags=TAGS,
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.PeriodSerializer(self.period()).data)


class ResultListView(IndicatorApiMixin, APIView):
    @extend_schema(
        operation_id="indicator_results_list",
        summary="Kết quả từng chỉ tiêu / Criterion results",
        description=(
            "Kết quả đã lưu của kỳ: từng chỉ tiêu của từng đơn vị được xem (và toàn tỉnh nếu "
            "có quyền). `source`: records | catalogue | flags | fallback | unavailable."
        ),
        parameters=[
            PERIOD_ID,
            AGENCY,
            OpenApiParameter("group", str, description="Mã nhóm"),
            *page_parameters(),
        ],
        responses={200: PAGED_RESULT, **ERRORS},
        tags=TAGS,
    )
    def get(self, request: Request, pk: int) -> Response:
        period = self.period()
        units = self.units()
        rows = period_results(
            period,
            agency_ids=units,
            group=request.query_params.get("group") or None,
            include_province=self.with_province(),
        )
        return self.paginate(rows, s.ResultSerializer)


class SummaryView(IndicatorApiMixin, APIView):
    @extend_schema(
        operation_id="indicator_summary",
        summary="Tổng điểm theo đơn vị / Totals per unit",
        parameters=[PERIOD_ID, AGENCY, *page_parameters()],
        responses={200: PAGED_SUMMARY, **ERRORS},
        tags=TAGS,
    )
    def get(self, request: Request, pk: int) -> Response:
        period = self.period()
        summaries = period_summaries(
            period,
            agency_ids=self.units(),
            include_province=self.with_province(),
        )
        return self.paginate(summaries, s.SummarySerializer)


class CaseListView(IndicatorApiMixin, APIView):
    @extend_schema(
        operation_id="indicator_cases",
        summary="Hồ sơ, thủ tục làm mất điểm một chỉ tiêu / What costs points",
        parameters=[
            PERIOD_ID,
            AGENCY,
            OpenApiParameter("criterion", str, required=True, description="Mã chỉ tiêu, ví dụ 2.1"),
            *page_parameters(),
        ],
        responses={200: PAGED_CASE, **ERRORS},
        tags=TAGS,
    )
    def get(self, request: Request, pk: int) -> Response:
        period = self.period()
        agency = self.required_agency()
        cases = criterion_cases(
            period=period, agency=agency, criterion_code=request.query_params.get("criterion", "")
        )
        return self.paginate(cases.queryset, s.CaseSerializer, kind=cases.kind)


class PredictedView(IndicatorApiMixin, APIView):
    @extend_schema(
        operation_id="indicator_predicted",
        summary="Điểm có nguy cơ mất trong kỳ đang mở / Points at stake",
        description=(
            "Hồ sơ đang giải quyết, hẹn trả trước cuối kỳ và chưa quá hạn: điểm hiện tại (tính "
            "như đúng hạn) và điểm dự báo (nếu tất cả trễ hạn). Danh sách hồ sơ: "
            "`/predicted/dossiers/?agency=`."
        ),
        parameters=[PERIOD_ID, AGENCY, *page_parameters()],
        responses={200: PAGED_PREDICTION, **ERRORS},
        tags=TAGS,
    )
    def get(self, request: Request, pk: int) -> Response:
        period = self.period()
        report = predicted_losses(period=period, agency_ids=self.units())
        items = list(report.units)
        if self.with_province() and report.province:
            items.insert(0, report.province)
        return self.paginate(items, s.PredictionSerializer)


class AtRiskListView(IndicatorApiMixin, APIView):
    @extend_schema(
        operation_id="indicator_at_risk_dossiers",
        summary="Hồ sơ có nguy cơ trễ hạn trong kỳ / At-risk dossiers",
        parameters=[PERIOD_ID, AGENCY, *page_parameters()],
        responses={200: PAGED_ATRISK, **ERRORS},
        tags=TAGS,
    )
    def get(self, request: Request, pk: int) -> Response:
        period = self.period()
        agency = self.required_agency()
        return self.paginate(at_risk_dossiers(period, agency), s.AtRiskSerializer)


class PublishView(IndicatorApiMixin, APIView):
    @extend_schema(
        operation_id="indicator_period_publish",
        summary="Công bố và chốt số liệu của kỳ / Publish and freeze",
        request=None,
        parameters=[PERIOD_ID],
        responses={200: s.PeriodSerializer, **ERRORS},
        tags=TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        period = period_publish(actor=request.user, period=self.period())
        return Response(s.PeriodSerializer(period).data)


class RecomputeView(IndicatorApiMixin, APIView):
    @extend_schema(
        operation_id="indicator_period_recompute",
        summary="Tính lại toàn tỉnh (chạy nền) / Recompute in the background",
        request=None,
        parameters=[PERIOD_ID],
        responses={202: s.RunSerializer, **ERRORS},
        tags=TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        run = period_recompute_async(actor=request.user, period=self.period())
        return Response(s.RunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class RunDetailView(IndicatorApiMixin, APIView):
    @extend_schema(
        operation_id="indicator_run",
        summary="Tiến độ một lượt tính / Recompute progress",
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
        responses={200: s.RunSerializer, 404: ERRORS[404]},
        tags=TAGS,
    )
    def get(self, request: Request, pk: int) -> Response:
        run = get_object_or_404(RecomputeRun, pk=pk)
        if not self.scope.allows(run.agency_id):
            raise Http404
        return Response(s.RunSerializer(run).data)


class PeriodicReportView(IndicatorApiMixin, APIView):
    @extend_schema(
        operation_id="indicator_periodic_report",
        summary="Báo cáo kết quả giải quyết TTHC / Periodic report",
        description=(
            "Theo lĩnh vực hoặc đơn vị tiếp nhận, mẫu báo cáo định kỳ: tiếp nhận (trực tuyến, "
            "trực tiếp và bưu chính, kỳ trước chuyển sang), đã giải quyết (trước, đúng, quá "
            "hạn), đang giải quyết (trong, quá hạn). `export=csv|xlsx` trả tệp."
        ),
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, required=True),
            OpenApiParameter("end", OpenApiTypes.DATE, required=True),
            OpenApiParameter("group_by", str, enum=["field", "agency"]),
            AGENCY,
            OpenApiParameter("export", str, enum=["csv", "xlsx"]),
            *page_parameters(),
        ],
        responses={200: PAGED_PERIODIC_ROWS, **ERRORS},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response | HttpResponse:
        start = parse_date(request.query_params.get("start") or "")
        end = parse_date(request.query_params.get("end") or "")
        if start is None or end is None:
            raise IndicatorError(_("Nhập ngày bắt đầu và ngày kết thúc dạng YYYY-MM-DD."))
        units = self.units()
        rows = periodic_report(
            start=start,
            end=end,
            group_by=request.query_params.get("group_by") or "field",
            agency_ids=units,
        )
        export = request.query_params.get("export")
        name = f"bao-cao-tthc-{start:%Y%m%d}-{end:%Y%m%d}"
        if export == "csv":
            response = HttpResponse(
                "\ufeff" + periodic_csv(rows), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
            return response
        if export == "xlsx":
            title = _("Kết quả giải quyết TTHC từ %(start)s đến %(end)s") % {
                "start": f"{start:%d/%m/%Y}",
                "end": f"{end:%d/%m/%Y}",
            }
            response = HttpResponse(
                periodic_xlsx(rows, title=title),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
            return response
        paginator = StandardPagination()
        page = paginator.paginate_queryset(rows[:-1], request, view=self)
        response = paginator.get_paginated_response(s.PeriodicRowSerializer(page, many=True).data)
        response.data["total"] = s.PeriodicRowSerializer(rows[-1]).data
        return response
