"""Ranking of the public catalogue search ("what citizens type").

A query is folded (case, diacritics) and cut into words; abbreviations and
optional words come from ``search_vocabulary.json`` (data, not code). Every
word that is not optional must appear in the procedure's folded search text
as a *whole word* ("an" does not match inside "ban"); an abbreviation matches
as typed or as any of its expansions ("hkd" or "hộ kinh doanh"). A query that
is a procedure code, with or without dots and spaces, matches the code.

Matching and ranking use the same regular expressions on SQLite (Django
registers REGEXP there) and PostgreSQL (``~``): only the syntax both read
alike is used (``^ $ | ( ) [^…] + *``), so both databases return the same
results in the same order. Cheap ``LIKE`` conditions on the words come first
so the expressions (a Python call per row on SQLite) only run on candidate
rows. No index is needed at a province's size (see tests and the report of
issue #15 item 16: a few milliseconds in PostgreSQL for 2,660 procedures).

Rank (``rank``, lower first): code, exact name, name starting with the
phrase, name starting with the first word and holding every word, name
holding the phrase, the rest. Within a rank: every word in the name in the
query's order, then in any order (``closeness``), then the shorter name up
to any bracket (the general procedure before its special cases), then the
name.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache, reduce
from operator import and_, or_
from pathlib import Path

from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Collate, Length, StrIndex

from tthc_portal.text import fold

from .models import ProcedureVersion

VOCABULARY_FILE = Path(__file__).with_name("search_vocabulary.json")
MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 12
# Longest abbreviation or optional phrase looked up in a query, in words.
MAX_KEY_WORDS = 4

# Search ranks, best first (lower sorts first).
RANK_CODE = 0
RANK_EXACT_NAME = 1
RANK_NAME_PREFIX = 2
RANK_NAME_LEAD = 3
RANK_NAME_CONTAINS = 4
RANK_ALL_WORDS = 5

# Closeness within a rank, best first.
CLOSE_IN_ORDER = 0
CLOSE_IN_NAME = 1
CLOSE_ELSEWHERE = 2

# Separators between words: split on these (a dot is kept inside "1.004122",
# "5.000"; any other character stays in its word and must match literally).
_SPLIT = re.compile(r"[\s,;:!?()\[\]{}\"'“”‘’«»/\\|]+")
_TRIM = ".-–—…*+"
# "mã", "mã số", "mã thủ tục", "mã TTHC" before a code.
_CODE_LEAD = re.compile(r"^ma(\s+so)?(\s+thu\s+tuc|\s+tthc)?\s*:?\s*")
_CODE_FULL = re.compile(r"\d{7}[a-z0-9]*")
_CODE_DOTTED_PREFIX = re.compile(r"\d\.\d*")
_CODE_DIGITS_PREFIX = re.compile(r"\d{5,6}")

# A non-word character in the folded text (folded text is lower-case ASCII).
SEP = "[^a-z0-9]"
_START = f"(^|{SEP})"
_END = f"({SEP}|$)"


def tokenise(text: str) -> list[str]:
    """Folded words of ``text`` ("Đăng ký,  “hộ”" → ["dang", "ky", "ho"])."""
    words = (w.strip(_TRIM) for w in _SPLIT.split(fold(text[:MAX_QUERY_CHARS])))
    return [w for w in words if w][:MAX_QUERY_WORDS]


# --- vocabulary -----------------------------------------------------------------------


@dataclass(frozen=True)
class Vocabulary:
    abbreviations: dict[tuple[str, ...], tuple[tuple[str, ...], ...]]
    optional: frozenset[tuple[str, ...]]
    name_lead: tuple[tuple[str, ...], ...] = ()

    @property
    def longest_key(self) -> int:
        keys = [*self.abbreviations, *self.optional]
        return min(MAX_KEY_WORDS, max((len(k) for k in keys), default=1))


def vocabulary_from_data(data: dict) -> Vocabulary:
    """Fold the keys and expansions of the JSON data (see the file's description)."""
    abbreviations: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}
    for key, expansions in (data.get("abbreviations") or {}).items():
        words = tuple(tokenise(key))
        if not words:
            continue
        meanings = [tuple(tokenise(text)) for text in expansions]
        known = list(abbreviations.get(words, ()))
        abbreviations[words] = tuple(dict.fromkeys([*known, *(m for m in meanings if m)]))
    optional = frozenset(
        tuple(tokenise(text)) for text in data.get("optional_words") or [] if tokenise(text)
    )
    name_lead = tuple(
        dict.fromkeys(tuple(tokenise(text)) for text in data.get("name_lead_words") or [])
    )
    return Vocabulary(
        abbreviations=abbreviations, optional=optional, name_lead=tuple(w for w in name_lead if w)
    )


@cache
def vocabulary() -> Vocabulary:
    with VOCABULARY_FILE.open(encoding="utf-8") as handle:
        return vocabulary_from_data(json.load(handle))


# --- parsed query ---------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One thing to find: a word, or an abbreviation with its expansions."""

    alternatives: tuple[tuple[str, ...], ...]
    optional: bool = False


@dataclass(frozen=True)
class CodeQuery:
    code: str
    exact: bool

    def condition(self) -> Q:
        if self.exact:
            return Q(procedure__code=self.code)
        return Q(procedure__code__startswith=self.code)


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[Term, ...] = ()
    code: CodeQuery | None = None
    name_lead: tuple[tuple[str, ...], ...] = field(default=(), compare=False)

    @property
    def empty(self) -> bool:
        return not self.terms and self.code is None

    @property
    def required(self) -> tuple[Term, ...]:
        """Terms every result holds; optional words only when nothing else was typed."""
        required = tuple(t for t in self.terms if not t.optional)
        return required or self.terms


def code_query(query: str) -> CodeQuery | None:
    """A procedure code typed with or without dots and spaces ("1 004122", "2.0008")."""
    text = _CODE_LEAD.sub("", fold(query[:MAX_QUERY_CHARS]))
    compact = re.sub(r"[\s.]", "", text)
    if _CODE_FULL.fullmatch(compact):
        return CodeQuery(f"{compact[0]}.{compact[1:7]}", exact=True)
    dotted = re.sub(r"\s", "", text)
    if _CODE_DOTTED_PREFIX.fullmatch(dotted) and len(dotted) >= 3:
        return CodeQuery(dotted, exact=False)
    if _CODE_DIGITS_PREFIX.fullmatch(compact):
        return CodeQuery(f"{compact[0]}.{compact[1:]}", exact=False)
    return None


def parse_query(query: str, words: Vocabulary | None = None) -> ParsedQuery:
    """Terms of the query: longest abbreviation or optional phrase first, else one word."""
    words = words or vocabulary()
    tokens = tokenise(query)
    terms: list[Term] = []
    position = 0
    while position < len(tokens):
        for size in range(min(words.longest_key, len(tokens) - position), 0, -1):
            key = tuple(tokens[position : position + size])
            if key in words.abbreviations:
                meanings = (key, *(m for m in words.abbreviations[key] if m != key))
                terms.append(Term(alternatives=meanings))
                break
            if key in words.optional:
                terms.extend(Term(alternatives=((w,),), optional=True) for w in key)
                break
        else:
            size = 1
            terms.append(Term(alternatives=((tokens[position],),)))
        position += size
    return ParsedQuery(
        terms=tuple(terms),
        code=code_query(query),
        name_lead=words.name_lead,
    )


# --- regular expressions (one syntax for SQLite's Python re and PostgreSQL) -------------


def _escape(word: str) -> str:
    # A backslash before an ASCII non-alphanumeric character is a literal in both
    # dialects; letters and digits must stay bare (PostgreSQL reads "\d" etc.).
    return "".join("\\" + c if c.isascii() and not c.isalnum() else c for c in word)


def _words(words: tuple[str, ...]) -> str:
    return f"{SEP}+".join(_escape(w) for w in words)


def _term(term: Term) -> str:
    return "(" + "|".join(_words(a) for a in term.alternatives) + ")"


def _phrase(terms: tuple[Term, ...]) -> str:
    return f"{SEP}+".join(_term(t) for t in terms)


def _variants(parsed: ParsedQuery) -> str:
    """The phrase as typed, or without its optional words, as one alternation."""
    variants = dict.fromkeys([parsed.terms, parsed.required])
    return "(" + "|".join(f"({_phrase(v)})" for v in variants if v) + ")"


def _name_start(parsed: ParsedQuery) -> str:
    """Start of a name, after words that say nothing ("Thủ tục cấp …")."""
    # No leading separators: names are stored stripped, and the cheap
    # ``startswith`` guard of these ranks must hold whenever the pattern does.
    if not parsed.name_lead:
        return "^"
    lead = "|".join(_words(p) for p in parsed.name_lead)
    return f"^(({lead}){SEP}+)?"


def _in_order(terms: tuple[Term, ...]) -> str:
    gap = f"({SEP}+|{SEP}.*{SEP})"
    return _START + gap.join(_term(t) for t in terms) + _END


# --- conditions -----------------------------------------------------------------------


def _term_in(column: str, term: Term) -> Q:
    """The term as a whole word of ``column`` (any of its alternatives)."""
    conditions = []
    for words in term.alternatives:
        condition = Q(**{f"{column}__regex": _START + _words(words) + _END})
        if len(term.alternatives) > 1:
            condition = Q(**{f"{column}__contains": max(words, key=len)}) & condition
        conditions.append(condition)
    return reduce(or_, conditions)


def _likes(column: str, terms: tuple[Term, ...]) -> Q:
    """A cheap necessary condition: every word of the single-meaning terms as a
    substring. Put first, so the regular expressions (a Python call per row on
    SQLite) only run on rows that pass it."""
    words = {w for t in terms if len(t.alternatives) == 1 for w in t.alternatives[0]}
    likes = [Q(**{f"{column}__contains": w}) for w in sorted(words, key=lambda w: (-len(w), w))]
    return reduce(and_, likes, Q())


def _all_in(column: str, terms: tuple[Term, ...]) -> Q:
    return reduce(and_, (_term_in(column, t) for t in terms), _likes(column, terms))


def matching_condition(parsed: ParsedQuery) -> Q | None:
    """Every required term as a whole word of the search text (or the code)."""
    if parsed.empty:
        return None
    condition = _all_in("search_text", parsed.required)
    if parsed.code is not None:
        condition = parsed.code.condition() | condition
    return condition


def matching(versions: QuerySet[ProcedureVersion], query: str) -> QuerySet[ProcedureVersion]:
    condition = matching_condition(parse_query(query))
    return versions if condition is None else versions.filter(condition)


def _starts(parsed: ParsedQuery) -> Q:
    """A cheap necessary condition for the name-start ranks."""
    firsts = {a[0] for a in parsed.required[0].alternatives}
    firsts |= {a[0] for a in parsed.terms[0].alternatives}
    firsts |= {lead[0] for lead in parsed.name_lead}
    return reduce(or_, (Q(name_folded__startswith=w) for w in sorted(firsts)))


def _rank(parsed: ParsedQuery) -> Case:
    start, phrase = _name_start(parsed), _variants(parsed)
    required = parsed.required
    starts = _starts(parsed)
    whens = []
    if parsed.code is not None:
        whens.append(When(parsed.code.condition(), then=Value(RANK_CODE)))
    whens += [
        When(
            starts & Q(name_folded__regex=f"{start}{phrase}{SEP}*$"),
            then=Value(RANK_EXACT_NAME),
        ),
        When(
            starts & Q(name_folded__regex=f"{start}{phrase}{_END}"),
            then=Value(RANK_NAME_PREFIX),
        ),
        When(
            starts
            & Q(name_folded__regex=f"{start}{_term(required[0])}{_END}")
            & _all_in("name_folded", required),
            then=Value(RANK_NAME_LEAD),
        ),
        When(
            _likes("name_folded", required) & Q(name_folded__regex=f"{_START}{phrase}{_END}"),
            then=Value(RANK_NAME_CONTAINS),
        ),
    ]
    return Case(*whens, default=Value(RANK_ALL_WORDS), output_field=IntegerField())


def _closeness(parsed: ParsedQuery) -> Case:
    required = parsed.required
    likes = _likes("name_folded", required)
    return Case(
        When(likes & Q(name_folded__regex=_in_order(required)), then=Value(CLOSE_IN_ORDER)),
        When(_all_in("name_folded", required), then=Value(CLOSE_IN_NAME)),
        default=Value(CLOSE_ELSEWHERE),
        output_field=IntegerField(),
    )


def _name_length() -> Case:
    # A parenthesised clarification ("… văn bản (áp dụng cho cả trường hợp …)")
    # does not make a procedure a special case: count the name up to it.
    bracket = StrIndex("name_folded", Value("("))
    return Case(
        When(name_folded__contains="(", then=bracket),
        default=Length("name_folded"),
        output_field=IntegerField(),
    )


def _name_order():
    # Byte order on both databases: PostgreSQL's locale collation would sort
    # ties differently from SQLite's.
    if connection.vendor == "postgresql":
        return Collate("name_folded", "C")
    return "name_folded"


def ranked(versions: QuerySet[ProcedureVersion], query: str) -> QuerySet[ProcedureVersion]:
    """``versions`` narrowed to the query, annotated with ``rank`` and ``closeness``, sorted."""
    parsed = parse_query(query)
    condition = matching_condition(parsed)
    if condition is None:
        return versions.annotate(
            rank=Value(RANK_ALL_WORDS, output_field=IntegerField()),
            closeness=Value(CLOSE_ELSEWHERE, output_field=IntegerField()),
        ).order_by("rank", "name_folded", "pk")
    versions = versions.filter(condition)
    order = ["rank", "closeness"]
    if parsed.code is not None:
        order.append("procedure__code")  # "2.0008": the matching codes in code order
    return versions.annotate(rank=_rank(parsed), closeness=_closeness(parsed)).order_by(
        *order, _name_length(), _name_order(), "pk"
    )
