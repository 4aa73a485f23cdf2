"""Error bodies and access rules shared by every view of the procedures API.

``ProcedureError`` becomes HTTP 400 ``{"detail", "errors"}``,
``PermissionDenied`` 403, and an object outside the user's agencies 404.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, status
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from tthc_portal.agencies.models import Agency
from tthc_portal.agencies.selectors import agencies_for_user
from tthc_portal.api import flatten_errors
from tthc_portal.api_contract import QueryContractMixin
from tthc_portal.throttles import FailClosedAnonRateThrottle, FailClosedUserRateThrottle

from ...services import ProcedureError
from .. import serializers as s

ERRORS = {
    400: OpenApiResponse(s.ErrorSerializer, description="Yêu cầu bị từ chối / Refused."),
    403: OpenApiResponse(s.ErrorSerializer, description="Không có quyền / Forbidden."),
    404: OpenApiResponse(
        s.ErrorSerializer, description="Không tìm thấy (hoặc ngoài phạm vi đơn vị) / Not found."
    ),
}


class ApiErrorsMixin(QueryContractMixin):
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
    # Public reads: per address for visitors, per account once signed in.
    throttle_classes = [FailClosedAnonRateThrottle, FailClosedUserRateThrottle]


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


class StaffMixin(ApiErrorsMixin):
    permission_classes = [IsAuthenticated, IsAgencyStaff]

    def visible_agencies(self) -> QuerySet[Agency]:
        return agencies_for_user(self.request.user, "view_agency_records")  # type: ignore[attr-defined]
