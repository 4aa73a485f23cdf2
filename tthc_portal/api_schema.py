"""The OpenAPI document as a contract the views are held to.

* ``ContractAutoSchema`` remembers, while the schema is generated, which query
  parameters each view documents; ``documented_query_parameters`` hands them to
  ``api_contract`` so a request is checked against exactly what /api/schema/
  publishes (one source, so documentation and behaviour cannot drift apart).
* ``postprocess_error_responses`` documents the refusals every operation can
  give — 400 (a bad or unknown parameter), 401/403 (authentication,
  permission, CSRF), 404 (outside the caller's scope), 415 (request body in an
  unsupported format), 429 (throttled), 503 (the throttles' counters are
  down: they fail closed) — all with the one error envelope.
"""

from __future__ import annotations

import threading
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers

ERROR_COMPONENT = "ApiError"
ViewKey = tuple[type, str | None, str]

_operations: dict[ViewKey, dict[str, Any]] = {}
_documented: dict[ViewKey, list[dict[str, Any]]] | None = None
_lock = threading.Lock()


def view_key(view: Any, method: str) -> ViewKey:
    return (type(view), getattr(view, "action", None), method.upper())


def _model_field_blank(field: serializers.Field) -> bool:
    """Whether a ModelSerializer field stands for a model field that may be stored blank."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or not field.source or "." in field.source or field.source == "*":
        return False
    try:
        return bool(model._meta.get_field(field.source).blank)
    except FieldDoesNotExist:
        return False


class ContractAutoSchema(AutoSchema):
    def _map_serializer_field(
        self, field: Any, direction: str, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        # DRF drops allow_blank from read-only fields, but a model field with
        # blank=True and choices is answered as "" when unset: list "" too.
        if (
            isinstance(field, serializers.ChoiceField)
            and field.read_only
            and not field.allow_blank
            and _model_field_blank(field)
        ):
            field.allow_blank = True
        return super()._map_serializer_field(field, direction, bypass_extensions)

    def _get_serializer_field_meta(self, field: Any, direction: str) -> dict[str, Any]:
        meta = super()._get_serializer_field_meta(field, direction)
        if not isinstance(field, serializers.Field):
            return meta
        # ``CharField(source="agency.name", default=None)`` answers null when the
        # relation is empty: say so.
        if field.default is None:
            meta["nullable"] = True
        # A plain CharField trims whitespace and then refuses it as blank, so a
        # value the client may send needs one non-space character, not just one.
        if (
            type(field) is serializers.CharField
            and field.field_name  # not the child of a ListField
            and not field.read_only
            and not field.allow_blank
            and field.trim_whitespace
        ):
            meta["pattern"] = r"\S"
        return meta

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is not None:
            _operations[view_key(self.view, self.method)] = operation
        return operation


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    if "items" in schema:
        schema = {**schema, "items": _resolve(schema["items"], components)}
    return schema


def documented_query_parameters(view: Any, method: str) -> list[dict[str, Any]] | None:
    """The query parameters /api/schema/ documents for this view and method.

    ``None`` when the view is not in the schema at all (nothing to hold it to).
    The schema is generated once per process, on the first API request.
    """
    global _documented
    if _documented is None:
        with _lock:
            if _documented is None:
                schema = SchemaGenerator().get_schema(request=None, public=True)
                components = schema.get("components", {}).get("schemas", {})
                _documented = {
                    key: [
                        {**p, "schema": _resolve(p.get("schema", {}), components)}
                        for p in operation.get("parameters", [])
                        if p.get("in") == "query"
                    ]
                    for key, operation in _operations.items()
                }
    return _documented.get(view_key(view, method))


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}}
        },
    }


REFUSALS = {
    "400": "Yêu cầu không hợp lệ (tham số, dữ liệu) / Bad request.",
    "401": "Thông tin xác thực không hợp lệ / Authentication failed.",
    "403": "Không có quyền, chưa đăng nhập hoặc thiếu mã CSRF / Forbidden.",
    "404": "Không tìm thấy (hoặc ngoài phạm vi được xem) / Not found.",
    "415": "Định dạng dữ liệu gửi lên không được hỗ trợ / Unsupported media type.",
    "429": "Quá nhiều yêu cầu / Throttled.",
    "503": "Bộ đếm giới hạn tạm thời không sẵn sàng, thử lại sau / Service unavailable.",
}


def postprocess_error_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """Every operation documents the refusals it can give, with the error envelope."""
    from .api_errors import ApiErrorSerializer

    components = result.setdefault("components", {}).setdefault("schemas", {})
    if ERROR_COMPONENT not in components:
        auto = AutoSchema()
        auto.registry = generator.registry
        auto.method = "GET"
        component = auto.resolve_serializer(ApiErrorSerializer, "response")
        assert isinstance(component, ResolvedComponent)
        components[ERROR_COMPONENT] = component.schema
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            # 503: the throttles fail closed when their counters (the cache) are down.
            codes = ["400", "403", "404", "429", "503"]
            if any(operation.get("security", [])):
                codes.append("401")
            if "requestBody" in operation:
                codes.append("415")
            for code in codes:
                responses.setdefault(code, _error(REFUSALS[code]))
            result_codes = sorted(responses)
            operation["responses"] = {code: responses[code] for code in result_codes}
    return result
