"""Pieces every app's REST API shares."""

from __future__ import annotations

from typing import Any

from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    """50 a page by default; clients may ask for up to 200."""

    page_size = 50
    page_size_query_param = "page_size"
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
