"""Which template, context builder and page size each kind of paper uses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from ...models import DossierDocument

TEMPLATE_DIR = "dossiers/forms/circular_03_2025"
# Forms 01–05 of the circulars are printed on A5; the control sheet, the
# register (07) and the result on A4.
A5 = "A5 portrait"
A4 = "A4 portrait"
A4_LANDSCAPE = "A4 landscape"

ContextBuilder = Callable[[DossierDocument], dict[str, Any]]


class FormSpec(NamedTuple):
    template: str
    build_context: ContextBuilder
    page_size: str = A5


# kind → (template, context builder, page size). Extend with ``register_form``.
FORMS: dict[str, FormSpec] = {}


def register_form(
    kind: str, template: str, *, page_size: str = A5
) -> Callable[[ContextBuilder], ContextBuilder]:
    """Register the template and context builder of one kind of paper."""

    def decorator(builder: ContextBuilder) -> ContextBuilder:
        FORMS[str(kind)] = FormSpec(template, builder, page_size)
        return builder

    return decorator
