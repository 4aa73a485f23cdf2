"""The one error envelope of the REST API: ``{"detail", "errors"?, "fields"?}``.

Every app's views keep their own Vietnamese sentences (their ``handle_exception``
mixins run after this handler), but whatever they do not rewrite — a parse
error, an unsupported media type, a method not allowed, a throttle, an unknown
route under /api/ — leaves here in the same shape, never as DRF's bare dict or
Django's HTML page.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler

from .api import flatten_errors


class ApiErrorSerializer(serializers.Serializer):
    """Body of every refused request (400, 401, 403, 404, 405, 415, 429)."""

    detail = serializers.CharField(help_text=gettext_lazy("Thông báo lỗi cho người dùng."))
    errors = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text=gettext_lazy("Chi tiết từng điều kiện chưa đạt, nếu có."),
    )
    fields = serializers.DictField(
        required=False,
        help_text=gettext_lazy("Lỗi theo từng trường khi dữ liệu gửi lên không hợp lệ."),
    )


def throttled_detail(exc: exceptions.Throttled) -> str:
    return _("Quá nhiều yêu cầu, vui lòng thử lại sau %(s)s giây.") % {
        "s": max(1, int(exc.wait or 1))
    }


def error_body(exc: Exception) -> dict[str, Any]:
    """The envelope for an exception DRF knows how to answer."""
    if isinstance(exc, exceptions.ValidationError):
        return {
            "detail": _("Dữ liệu gửi lên không hợp lệ."),
            "errors": flatten_errors(exc.detail),
            "fields": exc.detail if isinstance(exc.detail, dict) else {},
        }
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        return {"detail": _("Vui lòng đăng nhập để sử dụng chức năng này.")}
    if isinstance(exc, Http404 | exceptions.NotFound):
        return {"detail": _("Không tìm thấy.")}
    if isinstance(exc, DjangoPermissionDenied) or (
        isinstance(exc, exceptions.PermissionDenied)
        and exc.detail == exceptions.PermissionDenied.default_detail
    ):
        return {"detail": _("Bạn không có quyền thực hiện thao tác này.")}
    if isinstance(exc, exceptions.Throttled):
        return {"detail": throttled_detail(exc)}
    if isinstance(exc, exceptions.MethodNotAllowed):
        return {"detail": _("Phương thức yêu cầu không được hỗ trợ.")}
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return {"detail": _("Định dạng dữ liệu gửi lên không được hỗ trợ.")}
    if isinstance(exc, exceptions.NotAcceptable):
        return {"detail": _("Không thể trả lời theo định dạng được yêu cầu.")}
    if isinstance(exc, exceptions.ParseError):
        return {"detail": _("Dữ liệu gửi lên không đọc được.")}
    if isinstance(exc, exceptions.APIException):
        return {"detail": str(exc.detail) if isinstance(exc.detail, str) else str(exc)}
    return {"detail": _("Yêu cầu bị từ chối.")}


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with the body replaced by the envelope (headers kept)."""
    response = exception_handler(exc, context)
    if response is not None:
        response.data = error_body(exc)
    return response


def api_catch_all(*prefixes: str) -> Any:
    """A URL pattern, last in an app's API routes: its prefixes' unknown paths answer JSON.

    Only paths ending in "/" match, so CommonMiddleware still redirects a missing
    slash first (the redirected path then lands here if it is unknown too).
    """
    from django.urls import re_path

    alternatives = "|".join(prefixes)
    # [\s\S], not ".": an encoded newline in a path segment must not fall through to HTML.
    return re_path(rf"^(?:{alternatives})/(?:[\s\S]*/)?$", api_not_found)


@csrf_exempt
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """A path under an API prefix that no route matches (e.g. a non-integer id)."""
    return JsonResponse({"detail": _("Không tìm thấy.")}, status=404)
