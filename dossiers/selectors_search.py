"""Finding any dossier: the staff search, and the same matching for the
citizen's own list ("Hồ sơ của tôi").

One text box. ``search_plan`` reads what was typed — a dossier code or its last
digits, a name with or without diacritics, a phone number, an ID number or tax
code — and builds one condition on the stored search keys
(``dossiers.search_keys``), each served by an index on PostgreSQL:

- code: the upper-case code reversed starts with the reversed text, so "0042",
  "251207-0042" and the whole code are one indexed prefix (``reverse(upper(code))``,
  text_pattern_ops);
- name: the folded name has every word typed, in any order, the last one
  possibly only begun (``NameTokensMatch``; a GIN index on the name's words);
- phone: the last 9 digits are equal (btree);
- ID number or tax code: equal, in full only — never a part of one (btree).

A choice of kind ("Tìm theo") narrows an ambiguous text. Staff see only the
dossiers received or resolved by their agencies (``dossiers_for_staff``:
outside it a dossier is simply not found), in every state but drafts, newest
first. Not ``dossiers_visible_to``: its "a workflow step at one of my units"
is a subquery per candidate row, and the code's last digits have thousands of
candidates (measured at 1M dossiers: 1.1 s against 0.17 s).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Subquery,
    TextChoices,
)
from django.db.models.functions import Reverse, Upper
from django.db.models.lookups import StartsWith
from django.utils.translation import gettext_lazy as _

from tthc_portal.agencies.selectors import agencies_for_user

from .models import Dossier, Status
from .search_keys import (
    MAX_SCOPE_TERMS,
    PHONE_KEY_DIGITS,
    NameTokensMatch,
    id_key,
    name_tokens,
    phone_key,
)
from .selectors import dossiers_for_staff

MAX_QUERY_CHARS = 100
MIN_CODE_CHARS = 3
MIN_NAME_CHARS = 2
# A full identifier: old ID card 9 digits, citizen ID 12, tax code 10 or 13,
# passport 8 characters. Never a shorter part of one.
MIN_ID_CHARS = 8
# Counting stops here: "more than 1,000" says enough, and costs no more.
COUNT_CAP = 1000
# A province's dossiers of about five weeks (scale.md: 1-1.5 million a year).
NEWEST_IDS = 100_000

_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")
_CODE_CHARS = re.compile(r"^[0-9A-Za-z.\-/_]+$")
_NUMBER_CHARS = re.compile(r"^[0-9\s.\-+()/]+$")


class SearchKind(TextChoices):
    AUTO = "", _("Tự nhận biết")
    CODE = "ma", _("Mã hồ sơ hoặc các số cuối của mã")
    NAME = "ten", _("Tên tổ chức, cá nhân")
    PHONE = "dien-thoai", _("Số điện thoại")
    IDENTITY = "dinh-danh", _("Số định danh cá nhân hoặc mã số thuế")


@dataclass(frozen=True)
class SearchPlan:
    """What will be searched. ``condition`` None: nothing (``problem`` says why,
    or the box was empty)."""

    condition: Q | None = None
    kinds: frozenset[str] = field(default_factory=frozenset)
    # The exact identifier searched, for the audit log ("" when none).
    id_number: str = ""
    problem: str = ""
    # A name search: its words (``condition`` is then their match alone).
    tokens: tuple[str, ...] = ()


def _code_condition(text: str) -> Q:
    compact = "".join(text.split()).upper()
    return Q(StartsWith(Reverse(Upper("code")), compact[::-1]))


def _plan(conditions: list[tuple[str, Q]], id_number: str = "") -> SearchPlan:
    condition = Q()
    for _kind, q in conditions:
        condition |= q
    return SearchPlan(condition, frozenset(kind for kind, _q in conditions), id_number)


def _explicit(text: str, kind: str) -> SearchPlan:
    if kind == SearchKind.CODE:
        if len("".join(text.split())) < MIN_CODE_CHARS:
            return SearchPlan(problem=_("Hãy nhập ít nhất 3 ký tự cuối của mã hồ sơ."))
        return _plan([(kind, _code_condition(text))])
    if kind == SearchKind.NAME:
        tokens = name_tokens(text)
        if len("".join(tokens)) < MIN_NAME_CHARS:
            return SearchPlan(problem=_("Hãy nhập ít nhất 2 chữ của tên."))
        return SearchPlan(Q(NameTokensMatch(tokens)), frozenset({kind}), tokens=tuple(tokens))
    if kind == SearchKind.PHONE:
        key = phone_key(text)
        if len(key) < PHONE_KEY_DIGITS:
            return SearchPlan(problem=_("Hãy nhập đủ số điện thoại (ít nhất 9 chữ số)."))
        return _plan([(kind, Q(search_phone=key))])
    key = id_key(text)
    if len(key) < MIN_ID_CHARS:
        return SearchPlan(
            problem=_("Hãy nhập đầy đủ số định danh hoặc mã số thuế (chỉ tìm theo số đầy đủ).")
        )
    return _plan([(SearchKind.IDENTITY, Q(search_id=key))], id_number=key)


def _automatic(text: str) -> SearchPlan:
    compact = "".join(text.split())
    digits = "".join(_DIGIT.findall(text))
    has_letter = bool(_LETTER.search(text))
    if not has_letter and _NUMBER_CHARS.match(text):
        # Digits: the code's last digits, and — when long enough to be one — a
        # phone number or a full identifier.
        if len(digits) < MIN_CODE_CHARS:
            return SearchPlan(problem=_("Hãy nhập ít nhất 3 chữ số."))
        conditions = [(SearchKind.CODE.value, _code_condition(text))]
        id_number = ""
        if len(digits) >= PHONE_KEY_DIGITS:
            conditions.append((SearchKind.PHONE.value, Q(search_phone=phone_key(digits))))
        if len(digits) >= MIN_ID_CHARS and digits == id_key(text):
            id_number = digits
            conditions.append((SearchKind.IDENTITY.value, Q(search_id=digits)))
        return _plan(conditions, id_number)
    if digits and _CODE_CHARS.match(compact):
        # Letters and digits in one word: a whole code ("H31.25-251207-0042"),
        # or a passport or tax code with letters.
        conditions = [(SearchKind.CODE.value, _code_condition(compact))]
        key = id_key(compact)
        if len(key) >= MIN_ID_CHARS and not re.search(r"[.\-/_]", compact):
            conditions.append((SearchKind.IDENTITY.value, Q(search_id=key)))
            return _plan(conditions, key)
        return _plan(conditions)
    return _explicit(text, SearchKind.NAME)


def search_plan(text: str | None, kind: str = "") -> SearchPlan:
    """The condition for ``text``; ``kind`` one of ``SearchKind`` ("" reads the text)."""
    text = (text or "").strip()[:MAX_QUERY_CHARS]
    if not text:
        return SearchPlan()
    if kind and kind in SearchKind.values:
        return _explicit(text, kind)
    return _automatic(text)


def staff_search(user, plan: SearchPlan) -> QuerySet[Dossier]:
    """Dossiers matching ``plan`` among those the user's agencies handle, in
    every state but drafts, newest first. The user's own applications are left
    out, as on the processing page every result links to."""
    return _staff_search(user, plan)[0]


def _staff_search(user, plan: SearchPlan) -> tuple[QuerySet[Dossier], bool]:
    """The search, and whether it is a name search the index cannot narrow to
    the user's agencies (a scope too wide to list as index words)."""
    if plan.condition is None:
        return Dossier.objects.none(), False
    # Read for every kind of query, so that every search costs the same
    # number of queries; only a name search uses them.
    scope = agencies_for_user(user)  # built once: listed here, a subquery below
    agencies = list(scope.order_by("pk").values_list("pk", flat=True)[: MAX_SCOPE_TERMS + 1])
    condition = plan.condition
    narrowed = len(agencies) <= MAX_SCOPE_TERMS
    if plan.tokens and narrowed:
        # The same words, with the user's agencies as index terms: a common
        # name's rows elsewhere are never read (the scope below still decides).
        condition = Q(NameTokensMatch(plan.tokens, agencies=agencies))
    # "id + 0": the code's last digits match one dossier per unit and day, and
    # PostgreSQL's estimate then prefers walking the primary key newest first —
    # through hundreds of thousands of other units' rows (measured 2 s at 1M).
    # Ordering by an expression makes the search's own index the way in. The
    # same for words: a family and given name ("nguyen an") is estimated at a
    # thousand rows, so the planner walked the primary key newest first and
    # folded every name it passed (1 s for 35 rows at 1M); the words' GIN
    # index finds them in 18 ms, and sorting what it finds is cheap.
    newest = ExpressionWrapper(F("pk") + 0, output_field=IntegerField()).desc()
    results = (
        dossiers_for_staff(user, agencies=scope)
        .exclude(applicant=user)
        .exclude(status=Status.DRAFT)
        .filter(condition)
        .order_by(newest if plan.kinds & {SearchKind.CODE.value} or plan.tokens else "-pk")
    )
    return results, bool(plan.tokens) and not narrowed


def page_dossiers(ids: list[int]) -> list[Dossier]:
    """The rows of one results page, in ``ids`` order, with what the page shows.
    Read apart from the search: joined to the agencies and procedures, the
    search query's plan changed for the worse (a loop over every unit)."""
    found = (
        Dossier.objects.select_related("procedure_version", "receiving_agency", "processing_agency")
        # What a result row shows (a dossier and its version have about 120
        # columns between them, JSON among them: loading them all cost more
        # than the search).
        .only(
            "code", "status", "applicant_name", "applicant_id_number", "due_at",
            "procedure_version", "receiving_agency", "processing_agency",
            "procedure_version__name", "receiving_agency__name", "processing_agency__name",
        )
        .in_bulk(ids)
    )  # fmt: skip
    return [found[pk] for pk in ids if pk in found]


def first_result_ids(user, plan: SearchPlan, cap: int = COUNT_CAP) -> list[int]:
    """The ids of the first ``cap`` + 1 results of the user's search, in the
    results' order. Their number is the count the page shows (capped), and
    every page the paginator offers is a slice of them: one pass over the
    matches, where a count and then a page read a common name's namesakes twice.

    A common name searched over the whole province ("nguyen an": 28,000
    dossiers at 1M) would read, sort and drop every namesake's row. When the
    planner expects many namesakes, the newest dossiers are searched first —
    as many as should hold twice the cap (``_newest_window``): if they do hold
    more than the cap, they hold the first results, because every other
    dossier is older (ids grow with time). Only otherwise is the whole table
    searched as well — rarely, and never for a name the planner expects to be
    rare (a second pass over the index would cost more than the rows it spares)."""
    results, wide = _staff_search(user, plan)
    results = results.values_list("pk", flat=True)
    window = _newest_window(results, cap) if wide else None
    if window is not None:
        newest = Dossier.objects.order_by("-pk").values("pk")[:1]
        recent = list(results.filter(pk__gt=Subquery(newest) - window)[: cap + 1])
        if len(recent) > cap:
            return recent
    return list(results[: cap + 1])


def _newest_window(results: QuerySet, cap: int) -> int | None:
    """How many of the newest dossiers to search first: enough that the
    planner expects twice ``cap`` matches among them, and never fewer than
    ``NEWEST_IDS``; None (the whole table at once) when that is a third of the
    table or more. Measured at 1M: reading a match from the table costs about
    4 µs, and marking a window's ids for the index about 0.07 µs each, so a
    name expected about six times the cap or less (6,000 namesakes) is read
    whole sooner than through a window of a third of the province. A fixed
    window of the newest 100,000 left the names between 6,000 and 20,000
    namesakes ("nguyen ngoc") to a full read: the slowest searches."""
    matches, rows = _planner_estimate(results)
    if matches <= 0 or rows <= 0:
        return None
    window = max(NEWEST_IDS, math.ceil(rows * 2 * cap / matches))
    return window if window < rows / 3 else None


def _planner_estimate(results: QuerySet) -> tuple[float, float]:
    """PostgreSQL's estimate of the search's matches and of the dossiers in
    the table (statistics only: nothing is read). (0, 0) elsewhere."""
    if connection.vendor != "postgresql":
        return 0.0, 0.0
    sql, params = results.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [Dossier._meta.db_table]
        )
        rows = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return float(plan[0]["Plan"]["Plan Rows"]), float(rows)


def masked_id(value: str) -> str:
    """An ID number as the results show it: only its last 3 characters."""
    value = value or ""
    if len(value) <= 3:
        return "•" * len(value)
    return "•" * (len(value) - 3) + value[-3:]
