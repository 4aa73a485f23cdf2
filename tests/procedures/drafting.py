"""Helpers for the drafting-page tests: the POST a browser would send for the page as shown."""

from __future__ import annotations

from typing import Any


def _blank(value: Any) -> bool:
    # Not "in (None, '', False)": a zero budget equals False and must still be sent.
    return value is None or value is False or value == ""


def _value(value: Any) -> Any:
    if value is True:
        return "on"
    if hasattr(value, "pk"):
        return value.pk
    return value


def page_post_data(response, extra_rows: int | None = None) -> dict[str, Any]:
    """The drafting form as rendered: main fields, every existing row and the management
    forms (``extra_rows`` empty rows are counted as sent, like the page's empty rows)."""
    form = response.context["form"]
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form.initial.get(name, field.initial)
        if _blank(value):
            continue
        if isinstance(value, list | tuple):
            data[name] = [_value(v) for v in value]
        else:
            data[name] = _value(value)
    for relation, formset in response.context["formsets"].items():
        rows = formset.initial or []
        sent = len(rows) + (formset.extra if extra_rows is None else extra_rows)
        data[f"{relation}-TOTAL_FORMS"] = str(sent)
        data[f"{relation}-INITIAL_FORMS"] = str(len(rows))
        data[f"{relation}-MIN_NUM_FORMS"] = "0"
        data[f"{relation}-MAX_NUM_FORMS"] = "1000"
        for i, row in enumerate(rows):
            for key, value in row.items():
                if _blank(value) or key == "form_template":
                    continue
                data[f"{relation}-{i}-{key}"] = _value(value)
        # Empty rows go out with their defaults, as a browser sends them (ticked boxes,
        # preselected options): unchanged, so the formset skips them.
        for i in range(len(rows), sent):
            blank = formset.empty_form
            for name, field in blank.fields.items():
                value = blank.get_initial_for_field(field, name)
                if _blank(value) or name == "DELETE":
                    continue
                data[f"{relation}-{i}-{name}"] = _value(value)
    return data
