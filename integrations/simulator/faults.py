"""Fault injection: make chosen calls slow, fail, hang or reset, for the client's retry,
circuit-breaker and reconciliation tests.

A rule is ``{"match", "kind", "value", "count"}``. ``match`` is a substring of the path or
of the service NAME, or ``"*"``. Rules apply in order: every matching ``latency`` rule adds
its delay, the first matching rule of another kind decides the answer. ``count`` is how
many requests a rule still applies to (``None``: until cleared).

Two pseudo-targets are not requests: ``"paygov-ipn"`` (the PayGov confirmation to the
partner is dropped) and ``"inbound-push"`` (the push to the province fails). Only rules
naming them exactly apply; ``"*"`` does not.
"""

from __future__ import annotations

import time
from typing import Any

from .state import HubState, as_int
from .web import Response, json_response

KINDS = ("latency", "timeout", "http", "reset", "error_code", "validation")
PSEUDO_TARGETS = ("paygov-ipn", "inbound-push")


def normalise(rules: Any) -> list[dict[str, Any]]:
    """Check the admin's rules; raise ValueError with a readable reason."""
    if not isinstance(rules, list):
        raise ValueError("rules phải là một danh sách")
    out = []
    for index, rule in enumerate(rules):
        if not isinstance(rule, dict) or not str(rule.get("match", "")).strip():
            raise ValueError(f"rules[{index}]: thiếu match")
        kind = rule.get("kind")
        if kind not in KINDS:
            raise ValueError(f"rules[{index}]: kind phải là một trong {', '.join(KINDS)}")
        count = rule.get("count")
        if count is not None and as_int(count) is None:
            raise ValueError(f"rules[{index}]: count phải là số nguyên hoặc null")
        out.append(
            {
                "match": str(rule["match"]),
                "kind": kind,
                "value": rule.get("value"),
                "count": None if count is None else as_int(count),
                "applied": 0,
            }
        )
    return out


def _matches(rule: dict[str, Any], path: str, service: str) -> bool:
    match = rule["match"]
    if match in PSEUDO_TARGETS:
        return False
    return match == "*" or match in path or bool(service and match in service)


def _take(state: HubState, rule: dict[str, Any]) -> None:
    """Count one use of a rule (caller holds the lock); a spent rule disappears."""
    rule["applied"] += 1
    if rule["count"] is not None:
        rule["count"] -= 1
        if rule["count"] <= 0:
            state.faults[:] = [r for r in state.faults if r is not rule]


def consume_pseudo(state: HubState, target: str) -> bool:
    """True when a rule naming the pseudo-target ``target`` is active (and counts it)."""
    if not state.faults:
        return False
    with state.lock:
        for rule in list(state.faults):
            if rule["match"] == target:
                _take(state, rule)
                return True
    return False


def _number(value: Any, default: int) -> int:
    number = as_int(value)
    if number is None and isinstance(value, float):
        number = int(value)
    return default if number is None else number


def apply(state: HubState, path: str, service: str) -> Response | None:
    """Sleep for latency rules; return the faulty answer of the first other rule, if any."""
    if not state.faults:
        return None
    delay_ms = 0
    chosen: dict[str, Any] | None = None
    with state.lock:
        for rule in list(state.faults):
            if not _matches(rule, path, service):
                continue
            if rule["kind"] == "latency":
                delay_ms += _number(rule["value"], 0)
                _take(state, rule)
                continue
            chosen = dict(rule)
            _take(state, rule)
            break
    if delay_ms > 0:
        time.sleep(delay_ms / 1000)
    if chosen is None:
        return None
    return _answer(chosen, path, service)


def _answer(rule: dict[str, Any], path: str, service: str) -> Response:
    kind = rule["kind"]
    if kind == "timeout":
        time.sleep(_number(rule["value"], 30_000) / 1000)
        return Response(action="drop")
    if kind == "reset":
        return Response(action="reset")
    if kind == "http":
        status = _number(rule["value"], 502)
        return json_response(
            status, {"error_code": -1, "message": f"Lỗi mô phỏng: HTTP {status}", "status": status}
        )
    rest = path.startswith("/lgsp/")
    if kind == "validation":
        errors = [{"field": "_mo_phong", "message": "Lỗi kiểm tra dữ liệu (mô phỏng)"}]
        if path.startswith("/paygov/"):
            return json_response(200, {"MaLoi": "03", "MoTaLoi": "Dữ liệu không hợp lệ (mô phỏng)"})
        key = "errorCode" if "kho-du-lieu" in path or service == "TraCuuKhoDuLieu" else "error_code"
        body = {key: -1, "message": "Dữ liệu không hợp lệ (mô phỏng)", "errors": errors}
        return json_response(400 if rest else 200, body)
    # error_code
    code = _number(rule["value"], -1)
    if path.startswith("/paygov/"):
        return json_response(200, {"MaLoi": str(rule["value"] or "99"), "MoTaLoi": "Lỗi mô phỏng"})
    key = "errorCode" if "kho-du-lieu" in path or service == "TraCuuKhoDuLieu" else "error_code"
    return json_response(200, {key: code, "message": f"Lỗi mô phỏng (mã {code})"})
