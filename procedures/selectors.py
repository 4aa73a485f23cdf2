"""Read-only queries on the public catalogue (thủ tục đang áp dụng).

Every public query starts from :func:`public_versions`: the version in force
of each procedure (``Procedure.current_version``), never an internal
procedure, never one whose reception is locked or which is abolished.

Search is diacritic- and case-insensitive on SQLite and PostgreSQL alike:
the query is folded with :func:`tthc_portal.text.fold` and matched, whole
words only, against the folded columns the services maintain
(``search_text``, ``name_folded``); matching and ranking live in
:mod:`procedures.search`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from tthc_portal.agencies.models import Agency
from tthc_portal.text import fold

from . import search
from .models import (
    ComponentRequirement,
    Field,
    Level,
    OnlineLevel,
    ProcedureVersion,
    VersionStatus,
    WorkflowStep,
)
from .search import (  # noqa: F401 - the ranks are part of this module's interface
    MAX_QUERY_CHARS,
    MAX_QUERY_WORDS,
    RANK_ALL_WORDS,
    RANK_CODE,
    RANK_EXACT_NAME,
    RANK_NAME_CONTAINS,
    RANK_NAME_LEAD,
    RANK_NAME_PREFIX,
)

# A base code (1.004122) optionally followed by the local suffix.
CODE_RE = re.compile(r"^(\d\.\d{6})(?:\..*)?$")
_WORD_TRIM = ",;:!?\"'“”‘’()[]{}«»"


def public_versions(today: date | None = None) -> QuerySet[ProcedureVersion]:
    """Versions shown to the public: the one in force of each open procedure."""
    today = today or timezone.localdate()
    return (
        ProcedureVersion.objects.filter(
            procedure__current_version=F("pk"),
            status=VersionStatus.PUBLISHED,
            is_internal=False,
            procedure__reception_locked=False,
        )
        .exclude(procedure__abolished_on__lte=today)
        .exclude(valid_to__lte=today)
    )


def search_terms(query: str) -> tuple[str, list[str]]:
    """The folded phrase and its words ("Đăng ký  HỘ" → ("dang ky ho", [...])).

    Used by the staff searches (desk queue, worklists) as substrings; the public
    catalogue cuts queries with :func:`procedures.search.tokenise` instead.
    """
    words = [w.strip(_WORD_TRIM) for w in fold(query[:MAX_QUERY_CHARS]).split()]
    words = [w for w in words if w][:MAX_QUERY_WORDS]
    return " ".join(words), words


def _pk(value: Any) -> Any:
    """Filters take a primary key or a model instance."""
    return getattr(value, "pk", value)


def _filtered(
    versions: QuerySet[ProcedureVersion],
    *,
    field: int | Field | None = None,
    agency: int | Agency | None = None,
    level: str | None = None,
    online_level: str | None = None,
) -> QuerySet[ProcedureVersion]:
    if field is not None:
        versions = versions.filter(field_id=_pk(field))
    if agency is not None:
        versions = versions.filter(implementing_agency_id=_pk(agency))
    if level is not None:
        versions = versions.filter(level=level)
    if online_level is not None:
        versions = versions.filter(online_level=online_level)
    return versions


def catalogue_search(
    query: str = "",
    *,
    field: int | Field | None = None,
    agency: int | Agency | None = None,
    level: str | None = None,
    online_level: str | None = None,
    today: date | None = None,
) -> QuerySet[ProcedureVersion]:
    """Public versions matching every word of ``query``, best match first.

    Whole words, abbreviations and codes as described in :mod:`procedures.search`;
    the rank (``rank``, ``closeness``) is computed in SQL. Without a query,
    everything sorted by name.
    """
    versions = _filtered(
        public_versions(today), field=field, agency=agency, level=level, online_level=online_level
    )
    return (
        search.ranked(versions, query)
        .select_related("procedure", "field", "implementing_agency")
        .prefetch_related("fees")
    )


# --- facets -------------------------------------------------------------------------


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Facets:
    fields: list[FacetOption]
    agencies: list[FacetOption]
    levels: list[FacetOption]
    online_levels: list[FacetOption]


def _choice_counts(
    versions: QuerySet[ProcedureVersion], column: str, choices, selected: str | None
) -> list[FacetOption]:
    counts = dict(
        versions.order_by().values_list(column).annotate(n=Count("pk")).values_list(column, "n")
    )
    return [
        FacetOption(value, str(label), counts.get(value, 0))
        for value, label in choices
        if counts.get(value) or value == selected
    ]


def catalogue_facets(
    query: str = "",
    *,
    field: int | Field | None = None,
    agency: int | Agency | None = None,
    level: str | None = None,
    online_level: str | None = None,
    today: date | None = None,
) -> Facets:
    """Counts for each filter, aggregated in SQL (four queries, whatever the size).

    Each facet counts the public versions matching the query and every *other*
    filter, so a visitor sees how many results each choice would give. An
    option with no result is left out unless it is the selected one.
    """
    base = search.matching(public_versions(today), query)

    def others(**skip: None) -> QuerySet[ProcedureVersion]:
        chosen = {"field": field, "agency": agency, "level": level, "online_level": online_level}
        chosen.update(skip)
        return _filtered(base, **chosen)

    field_versions = others(field=None).values("pk")
    fields = (
        Field.objects.annotate(n=Count("versions", filter=Q(versions__in=field_versions)))
        .filter(Q(n__gt=0) | Q(pk=_pk(field) or 0))
        .order_by("name_folded", "pk")
    )
    agency_versions = others(agency=None).values("pk")
    agencies = (
        Agency.objects.annotate(
            n=Count("implemented_versions", filter=Q(implemented_versions__in=agency_versions))
        )
        .filter(Q(n__gt=0) | Q(pk=_pk(agency) or 0))
        .order_by("name", "pk")
    )
    return Facets(
        fields=[FacetOption(str(f.pk), f.name, f.n) for f in fields],
        agencies=[FacetOption(str(a.pk), a.name, a.n) for a in agencies],
        levels=_choice_counts(others(level=None), "level", Level.choices, level),
        online_levels=_choice_counts(
            others(online_level=None), "online_level", OnlineLevel.choices, online_level
        ),
    )


# --- one procedure ------------------------------------------------------------------


def catalogue_detail(key: int | str, today: date | None = None) -> ProcedureVersion | None:
    """The public version of a procedure, by procedure pk or by (localised) code.

    Everything the detail page shows is fetched here, in a fixed number of
    queries: the version with its procedure, field and agency, then one query
    per child list.
    """
    versions = public_versions(today)
    if isinstance(key, int) or key.strip().isdigit():
        versions = versions.filter(procedure_id=int(key))
    else:
        match = CODE_RE.match(key.strip())
        if not match:
            return None
        versions = versions.filter(procedure__code=match.group(1))
    return (
        versions.select_related("procedure", "field", "implementing_agency")
        .prefetch_related(
            "components",
            "fees",
            "legal_bases",
            Prefetch("steps", queryset=WorkflowStep.objects.order_by("order")),
            Prefetch("coordinating_agencies", queryset=Agency.objects.order_by("name")),
        )
        .first()
    )


def catalogue_component(pk: int, today: date | None = None) -> ComponentRequirement | None:
    """A component with a form template, only if it belongs to a public version."""
    return (
        ComponentRequirement.objects.filter(pk=pk, version__in=public_versions(today).values("pk"))
        .exclude(form_template="")
        .first()
    )
