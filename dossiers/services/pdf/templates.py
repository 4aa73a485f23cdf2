"""Dated versions of the paper templates (issue 19 item 0) and the sandbox
an administrator's template text is rendered in.

A paper is printed with the version of its kind in force on the dossier's
reception day (``FormTemplate``, one indexed query: the dated-row lookup the
code formats and the 766 rule sets use), so a dossier keeps the form it was
received under when the Ministry re-issues the set. Before any version (a
dossier received before 01/7/2025) the kind's built-in template is used.

Template text entered in the admin is a Django template, but rendered by an
engine of its own, because the administrator is not the portal's developer:

- no ``{% load %}`` of any library: only Django's built-in tags and filters
  (a library could run arbitrary code, e.g. a custom tag reading files);
- no ``{% debug %}`` (it would print the whole context: applicant data);
- ``{% extends %}`` / ``{% include %}`` reach only the shipped form templates
  (the engine's only directory), never another template of the site;
- the context is fixed (the kind's context builder), and Django never calls a
  method marked ``alters_data`` (save, delete) from a template;
- the PDF converter fetches nothing but data: URIs (``render.pdf_url_fetcher``).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import Template
from django.template.defaulttags import register as default_tags
from django.template.library import Library
from django.template.loader import get_template
from django.utils import timezone
from django.utils.translation import gettext as _

from ...models import Dossier
from ...models.documents import FormTemplate

FORBIDDEN_TAGS = ("load", "debug")


def _safe_tags() -> Library:
    """Django's built-in tags without ``load`` and ``debug``."""
    library = Library()
    library.tags = {
        name: tag for name, tag in default_tags.tags.items() if name not in FORBIDDEN_TAGS
    }
    library.filters = dict(default_tags.filters)
    return library


@lru_cache(maxsize=1)
def sandbox_engine() -> Engine:
    engine = Engine(
        dirs=[str(settings.BASE_DIR / "templates")],
        app_dirs=False,
        libraries={},
        builtins=[],
        autoescape=True,
        loaders=["django.template.loaders.filesystem.Loader"],
    )
    # Built-ins rebuilt by hand: the default tag library minus load/debug, the
    # default filters, and extends/include/block (loader tags).
    engine.template_builtins = [
        _safe_tags(),
        engine.get_template_builtins(["django.template.defaultfilters"])[0],
        engine.get_template_builtins(["django.template.loader_tags"])[0],
    ]
    return engine


def _check_reach(source: str) -> None:
    """``extends``/``include`` only of the shipped form templates."""
    from django.template.base import Lexer, TokenType

    for token in Lexer(source).tokenize():
        if token.token_type != TokenType.BLOCK:
            continue
        bits = token.split_contents()
        if bits and bits[0] in ("extends", "include"):
            target = bits[1].strip("\"'") if len(bits) > 1 else ""
            if not target.startswith("dossiers/forms/") or ".." in target:
                raise TemplateSyntaxError(
                    _("Mẫu chỉ được kế thừa hoặc chèn các mẫu giấy tờ có sẵn (dossiers/forms/…).")
                )


def sandbox_compile(source: str) -> Template:
    """Compile administrator-entered template text in the sandbox; raises
    ``TemplateSyntaxError`` (an unknown tag such as ``load`` is one)."""
    _check_reach(source)
    return Template(source, engine=sandbox_engine())


def reception_day(dossier: Dossier) -> date:
    moment = dossier.received_at or dossier.submitted_at or timezone.now()
    return timezone.localdate(moment)


def form_template_in_force(kind: str, day: date) -> FormTemplate | None:
    return (
        FormTemplate.objects.filter(kind=kind, valid_from__lte=day).order_by("-valid_from").first()
    )


def template_render(version: FormTemplate | None, default: str, context: dict[str, Any]) -> str:
    """Render ``context`` with the dated version (or the built-in ``default``)."""
    if version is not None and version.source:
        return sandbox_compile(version.source).render(Context(context))
    path = version.template_path if version is not None else default
    return get_template(path).render(context)


class _Sample:
    """Stands for any value of the context when a new template is checked:
    every attribute, key and item exists and prints as a short placeholder."""

    def __getattr__(self, name: str) -> _Sample:
        if name.startswith("__"):
            raise AttributeError(name)
        return self

    def __getitem__(self, key: Any) -> _Sample:
        return self

    def __iter__(self):
        return iter([self])

    def __len__(self) -> int:
        return 1

    def __str__(self) -> str:
        return "…"


SAMPLE_KEYS = [
    "document",
    "dossier",
    "procedure",
    "version",
    "agency",
    "agency_code",
    "desk",
    "desk_phone",
    "parent_body",
    "section",
    "title",
    "number",
    "place",
    "issued_on",
    "qr_src",
    "qr_caption",
    "lookup_url",
    "applicant",
    "representative",
    "components",
    "items",
    "reasons",
    "statements",
    "rows",
    "content",
    "request",
    "payment",
    "apology",
    "signer_name",
    "signer_title",
    "signer_role",
    "officer_name",
    "register_number",
]


def form_template_check(source: str, kind: str) -> None:
    """Raise ``ValidationError`` unless ``source`` compiles in the sandbox and
    renders to a PDF with a placeholder context (checked before saving)."""
    from .registry import FORMS
    from .render import html_to_pdf

    try:
        template = sandbox_compile(source)
        context = {key: _Sample() for key in SAMPLE_KEYS}
        spec = FORMS.get(kind)
        context["page_size"] = spec.page_size if spec else "A4 portrait"
        context["qr_src"] = "data:image/svg+xml;base64,PHN2Zy8+"
        html = template.render(Context(context))
        html_to_pdf(html)
    except TemplateSyntaxError as exc:
        raise ValidationError(_("Mẫu không hợp lệ: %(error)s") % {"error": exc}) from exc
    except Exception as exc:  # whatever the text does, the admin gets a message, not a 500
        raise ValidationError(
            _("Mẫu không tạo được tệp PDF: %(error)s") % {"error": type(exc).__name__}
        ) from exc
