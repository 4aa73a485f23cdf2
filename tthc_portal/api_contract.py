"""Requests are held to the published contract: query parameters as documented.

A parameter the operation does not document, a value of the wrong type or
outside its enum or range, or a repeated non-list parameter answers 400 with
the error envelope instead of being ignored — a client's typo (``pagesize``,
``status=opne``) would otherwise return a silently different answer.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from .api_schema import documented_query_parameters

INTEGER = re.compile(r"-?\d+")
NUMBER = re.compile(r"-?\d+(\.\d+)?")


def _value_refusal(value: str, schema: dict[str, Any]) -> str | None:
    """Why ``value`` does not fit ``schema`` (one query value), or None."""
    kind = schema.get("type", "string")
    if "enum" in schema and value not in [str(v) for v in schema["enum"] if v is not None]:
        return _("Giá trị không hợp lệ; chọn một trong: %(choices)s.") % {
            "choices": ", ".join(str(v) for v in schema["enum"] if v is not None)
        }
    if kind == "integer" or kind == "number":
        pattern = INTEGER if kind == "integer" else NUMBER
        if not (value.isascii() and pattern.fullmatch(value)):
            return _("Phải là một số.")
        number = float(value)
        if "minimum" in schema and number < schema["minimum"]:
            return _("Phải lớn hơn hoặc bằng %(n)s.") % {"n": schema["minimum"]}
        if "maximum" in schema and number > schema["maximum"]:
            return _("Phải nhỏ hơn hoặc bằng %(n)s.") % {"n": schema["maximum"]}
        return None
    if kind == "boolean":
        return None if value in ("true", "false") else _("Phải là true hoặc false.")
    if schema.get("format") == "date":
        try:
            parsed: Any = parse_date(value)
        except ValueError:
            parsed = None
        return None if isinstance(parsed, dt.date) else _("Ngày phải có dạng YYYY-MM-DD.")
    if schema.get("format") == "date-time":
        try:
            parsed = parse_datetime(value)
        except ValueError:
            parsed = None
        return None if parsed is not None else _("Thời điểm không hợp lệ (ISO 8601).")
    if "\x00" in value:
        return _("Chứa ký tự không hợp lệ.")
    if len(value) < schema.get("minLength", 0):
        return _("Quá ngắn.")
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        return _("Quá dài (tối đa %(n)s ký tự).") % {"n": schema["maxLength"]}
    if "pattern" in schema and not re.search(schema["pattern"], value):
        return _("Không đúng định dạng.")
    return None


def query_refusals(request: Request, documented: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Field errors for every query parameter that breaks the documented contract."""
    by_name = {p["name"]: p for p in documented}
    refusals: dict[str, list[str]] = {}
    for name in request.query_params:
        parameter = by_name.get(name)
        if parameter is None:
            refusals[name] = [_("Tham số không được hỗ trợ.")]
            continue
        schema = parameter.get("schema", {})
        values = request.query_params.getlist(name)
        if schema.get("type") == "array":
            items = schema.get("items", {})
        elif len(values) > 1:
            refusals[name] = [_("Chỉ được gửi một giá trị.")]
            continue
        else:
            items = schema
        for value in values:
            why = _value_refusal(value, items)
            if why is not None:
                refusals[name] = [why]
                break
    for parameter in documented:
        if parameter.get("required") and parameter["name"] not in request.query_params:
            refusals[parameter["name"]] = [_("Bắt buộc.")]
    return refusals


class QueryContractMixin:
    """Mix into every API view (before APIView): checks the query after auth and throttles."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        documented = documented_query_parameters(self, request.method or "GET")
        if documented is None:
            return
        refusals = query_refusals(request, documented)
        if refusals:
            raise ValidationError(refusals)
