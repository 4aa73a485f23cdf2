"""Pieces every app's REST API shares."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request


class StrictPagination(PageNumberPagination):
    """Page-number pagination that refuses what it cannot honour.

    DRF quietly falls back to the default size for ``page_size=abc`` or ``0`` and
    clamps an oversized one; a client then reads fewer rows than it asked for
    without knowing. Here a ``page`` or ``page_size`` that is not a whole number
    in the documented range answers 400, and the schema states the range.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def _whole_number(self, request: Request, name: str, upper: int | None) -> int | None:
        raw = request.query_params.get(name)
        if raw is None:
            return None
        value = int(raw) if raw.isascii() and raw.isdigit() else 0
        if value < 1 or (upper is not None and value > upper):
            message = (
                _("Phải là số nguyên từ 1 đến %(max)s.") % {"max": upper}
                if upper is not None
                else _("Phải là số nguyên từ 1 trở lên.")
            )
            raise ValidationError({name: [message]})
        return value

    def get_page_size(self, request: Request) -> int:
        size = self._whole_number(request, self.page_size_query_param, self.max_page_size)
        return size or self.page_size

    def get_page_number(self, request: Request, paginator: Any) -> int:
        return self._whole_number(request, self.page_query_param, None) or 1

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters


class StandardPagination(StrictPagination):
    """50 a page by default; clients may ask for up to 200."""

    page_size = 50
    max_page_size = 200


def flatten_errors(errors: Any, prefix: str = "") -> list[str]:
    """DRF's nested validation errors as "field: message" lines."""
    if isinstance(errors, dict):
        return [
            line
            for key, value in errors.items()
            for line in flatten_errors(
                value, f"{prefix}{key}." if key != "non_field_errors" else prefix
            )
        ]
    if isinstance(errors, list):
        if all(isinstance(e, str) for e in errors):
            label = prefix.rstrip(".")
            return [f"{label}: {e}" if label else str(e) for e in errors]
        return [
            line
            for i, value in enumerate(errors)
            for line in flatten_errors(value, f"{prefix}{i}.")
        ]
    label = prefix.rstrip(".")
    return [f"{label}: {errors}" if label else str(errors)]


def page_parameters(pagination: type[StrictPagination] = StandardPagination) -> list[Any]:
    """``page`` and ``page_size`` for views that paginate by hand (APIView, not list views)."""
    from drf_spectacular.utils import OpenApiParameter

    return [
        OpenApiParameter(
            pagination.page_query_param, {"type": "integer", "minimum": 1}, description="Trang."
        ),
        OpenApiParameter(
            pagination.page_size_query_param,
            {"type": "integer", "minimum": 1, "maximum": pagination.max_page_size},
            description="Số dòng mỗi trang.",
        ),
    ]


def paginated(serializer_class: type, **extra_fields: Any) -> type:
    """The documented body of a hand-paginated list: ``{count, next, previous, results}``."""
    from rest_framework import serializers

    name = serializer_class.__name__.removesuffix("Serializer")
    fields = {
        "count": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": serializer_class(many=True),
        **extra_fields,
    }
    return type(f"Paginated{name}ListSerializer", (serializers.Serializer,), fields)
