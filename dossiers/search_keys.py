"""The dossier's search keys: what is stored, and how a query is turned into one.

Three columns of ``Dossier`` hold the applicant's identity in a comparable
form: ``search_name`` (lower case, without diacritics, single spaces),
``search_phone`` (the last 9 digits: "0912 345 678", "+84912345678" and
"912345678" are one number) and ``search_id`` (the ID number or tax code
without separators, upper case). They are written by database triggers
(``install_triggers``, dossiers migration 0015) on every insert and on every
update that names one of the source columns — whatever the write path:
services saving ``update_fields``, ``QuerySet.update``, the generator's COPY.
A column kept by the save path would go stale on the first of those.

The same folding is written three times — Python (queries), PostgreSQL
(``translate``) and SQLite (chained ``replace``: its parser allows only about
25 nested calls, so the trigger folds in steps) — and
``tests/dossiers/test_search_keys.py`` checks the three agree letter by letter.

Names are matched word by word (``name_tokens``, ``NameTokensMatch``): on
PostgreSQL through a GIN index on the tsvector of the folded name's words
(``PG_NAME_TOKENS``, dossiers migrations 0020 and 0024), on SQLite by a regular
expression per word. Both cut the name into the same words: runs of letters
and digits, everything else a separator.

A migration that rebuilds ``dossiers_dossier`` on SQLite (Django's
``_remake_table``: most ``AlterField``/``AddField`` with a default) drops the
table's triggers: it must call ``install_triggers`` again. The test above
fails until it does.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from django.core.exceptions import ImproperlyConfigured
from django.db.models import BooleanField, F, Func

from tthc_portal.text import fold

PHONE_KEY_DIGITS = 9
SOURCE_COLUMNS = ("applicant_name", "applicant_phone", "applicant_id_number")
TABLE = "dossiers_dossier"
PG_FUNCTION = "dossiers_dossier_search_keys"
SQLITE_TRIGGERS = ("dossiers_dossier_search_keys_insert", "dossiers_dossier_search_keys_update")
# SQLite's parser overflows at about 25 nested calls.
SQLITE_CHUNK = 18

_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]")
_NOT_DIGIT = re.compile(r"\D")
# A word of a name: letters and digits. "Công ty A.B.C" → cong, ty, a, b, c.
_WORD = re.compile(r"[^\W_]+")
# The folded name's words as PostgreSQL indexes them (dossiers migration 0020).
# Separators become spaces first: the text-search parser alone keeps "a.b.c",
# "12/3" or an e-mail address as one word, where the query has several.
# The 'simple' configuration: no stemming and no stop words in names.
# Then the receiving and processing agencies as two more words, "@r12" and
# "@p12" (no name word has an "@"): a common name is in thousands of rows, few
# of them at one desk's agency, and the index then finds those few without
# reading the others from the table.
PG_NAME_TOKENS = (
    "(to_tsvector('simple'::regconfig, regexp_replace({name}, '[^[:alnum:]]+', ' ', 'g')) || "
    "array_to_tsvector(array_remove(ARRAY['@r' || {receiving}::text, "
    "'@p' || {processing}::text], NULL)) || "
    "array_to_tsvector(tthc_name_prefixes({name})))"
)
# And every proper beginning of a word of three letters or more, marked with
# ">" (no name word has one): "hanh" → "ha>", "han>" (migration 0024's
# ``tthc_name_prefixes``; the index is built on this exact expression, so a
# change here needs a migration that rebuilds it). A last word only begun,
# "nguyen ha", is then 'ha' | 'ha>': two lists the index intersects with
# "nguyen" by skipping, where the prefix search 'ha':* first gathered every
# "ha…" word's rows (85,000 at 1M, 60 ms) before intersecting anything.
PREFIX_MARK = ">"
# More agencies than this (the provincial office: all of them): the words
# alone; the agencies would match most rows anyway.
MAX_SCOPE_TERMS = 10


# --- Python: the query side -------------------------------------------------------------


def name_key(text: str) -> str:
    """ "Nguyễn  Văn An" → "nguyen van an" (the stored ``search_name``)."""
    return fold(text)


def name_tokens(text: str) -> list[str]:
    """ "Nguyễn Văn An" → ["nguyen", "van", "an"]: the words of the folded name."""
    return _WORD.findall(name_key(text))


class NameTokensMatch(Func):
    """True where the folded name has every word of ``tokens``, in any order,
    the last one possibly only begun ("nguyen van a" finds "Nguyễn Văn An" and
    "Nguyễn Văn Anh"): the text box is typed into, and a name may be cut short.

    A word, not a piece of one: "uyen" does not find "Nguyễn". That is what
    makes the index useful — a common name's trigrams are in most rows, its
    rarest word in few (dossiers migration 0020).

    ``agencies``: ids of agencies one of which received or resolves the
    dossier. On PostgreSQL they narrow the index read; the caller's own scope
    condition still decides what is shown."""

    output_field = BooleanField()

    def __init__(self, tokens: Sequence[str], agencies: Sequence[int] = ()):
        if not tokens:
            raise ValueError("NameTokensMatch needs at least one word")
        super().__init__(F("search_name"), F("receiving_agency_id"), F("processing_agency_id"))
        self.tokens = tuple(tokens)
        self.agencies = tuple(int(pk) for pk in agencies)

    def as_postgresql(self, compiler, connection, **extra):
        columns, params = [], []
        for expression in self.source_expressions:
            sql, column_params = compiler.compile(expression)
            columns.append(sql)
            params.extend(column_params)
        name, receiving, processing = columns
        document = PG_NAME_TOKENS.format(name=name, receiving=receiving, processing=processing)
        # Words are letters and digits only: quoting them needs no escaping.
        # to_tsquery folds them as to_tsvector folded the name.
        *whole, last = self.tokens
        # One letter: no stored beginning is that short, so the prefix search
        # it always was (it reads the stored beginnings of that letter too;
        # the rows found are the same).
        if len(last) < 2:
            query = "to_tsquery('simple'::regconfig, %s)"
            params.append(" & ".join([*(f"'{word}'" for word in whole), f"'{last}':*"]))
        else:
            # The last word whole, or begun: its stored prefix, taken as it is
            # (to_tsquery's parser would drop the mark).
            query = "(to_tsquery('simple'::regconfig, %s) || %s::tsquery)"
            if whole:
                query = "to_tsquery('simple'::regconfig, %s) && " + query
                params.append(" & ".join(f"'{word}'" for word in whole))
            params.extend([f"'{last}'", f"'{last.lower()}{PREFIX_MARK}'"])
        if self.agencies:
            # Taken as they are (no parsing): "@r12" is not a word to the parser.
            query += " && %s::tsquery"
            params.append(" | ".join(f"'@r{pk}' | '@p{pk}'" for pk in self.agencies))
        return f"{document} @@ ({query})", params

    def as_sqlite(self, compiler, connection, **extra):
        # Django's SQLite connection provides REGEXP (Python's re). A word is
        # not preceded by a letter or digit; a whole word not followed by one.
        # The agencies are not needed: the caller's scope condition applies.
        column, params = compiler.compile(self.source_expressions[0])
        clauses, values = [], []
        for position, token in enumerate(self.tokens):
            pattern = r"(?<![^\W_])" + re.escape(token)
            if position < len(self.tokens) - 1:
                pattern += r"(?![^\W_])"
            clauses.append(f"{column} REGEXP %s")
            values.extend([*params, pattern])
        return "(" + " AND ".join(clauses) + ")", values

    def as_sql(self, compiler, connection, **extra):
        raise ImproperlyConfigured(
            f"The dossier name search needs PostgreSQL or SQLite, not {connection.vendor}."
        )


def phone_key(text: str) -> str:
    """The last 9 digits, where the subscriber number is whatever the prefix."""
    return _NOT_DIGIT.sub("", text or "")[-PHONE_KEY_DIGITS:]


def id_key(text: str) -> str:
    """ "0101234567-001" → "0101234567001": letters and digits, upper case."""
    return _NOT_ALNUM.sub("", text or "").upper()


# --- the letters the database folds ------------------------------------------------------


def _folded_letters() -> list[tuple[str, str]]:
    """(letter, ASCII letter) for Latin-1 and every Vietnamese letter: what
    ``fold`` turns into one lower-case ASCII letter."""
    codes = [*range(0xC0, 0x100), 0x102, 0x103, 0x110, 0x111, 0x128, 0x129, 0x168, 0x169,
             0x1A0, 0x1A1, 0x1AF, 0x1B0, *range(0x1EA0, 0x1EFA)]  # fmt: skip
    pairs = []
    for code in codes:
        letter = chr(code)
        folded = fold(letter)
        if letter.isalpha() and len(folded) == 1 and folded.isascii() and folded.isalpha():
            pairs.append((letter, folded))
    return pairs


FOLDED_LETTERS = _folded_letters()
# Decomposed text (some keyboards type a letter then its marks): the marks go.
COMBINING_MARKS = "".join(
    chr(code) for code in range(0x300, 0x370) if unicodedata.combining(chr(code))
)


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


# --- PostgreSQL ---------------------------------------------------------------------------


def _pg_function_sql() -> str:
    source = "".join(letter for letter, _ in FOLDED_LETTERS) + COMBINING_MARKS
    target = "".join(folded for _, folded in FOLDED_LETTERS)
    return f"""
CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger AS $$
BEGIN
    NEW.search_name := left(lower(btrim(regexp_replace(
        translate(NEW.applicant_name, {_sql_text(source)}, {_sql_text(target)}),
        '\\s+', ' ', 'g'))), 255);
    NEW.search_phone := right(regexp_replace(NEW.applicant_phone, '[^0-9]', '', 'g'),
                              {PHONE_KEY_DIGITS});
    NEW.search_id := left(upper(regexp_replace(NEW.applicant_id_number, '[^0-9A-Za-z]', '',
                                               'g')), 20);
    RETURN NEW;
END
$$ LANGUAGE plpgsql
"""


def _pg_install(schema_editor) -> None:
    schema_editor.execute(_pg_function_sql())
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {PG_FUNCTION} ON {TABLE}")
    # BEFORE: the row is written once, with its keys. "UPDATE OF": the deadline
    # sweep's flag flips and other updates never run it (they stay HOT updates).
    schema_editor.execute(
        f"CREATE TRIGGER {PG_FUNCTION} BEFORE INSERT OR UPDATE OF {', '.join(SOURCE_COLUMNS)} "
        f"ON {TABLE} FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()"
    )


# --- SQLite -------------------------------------------------------------------------------


def _nested_replace(expression: str, pairs: list[tuple[str, str]]) -> str:
    for old, new in pairs:
        expression = f"replace({expression}, {_sql_text(old)}, {_sql_text(new)})"
    return expression


def _set(assignments: str) -> str:
    """One statement of the trigger body (table and columns are constants, values
    quoted literals)."""
    return f"UPDATE {TABLE} SET {assignments} WHERE id = NEW.id"  # noqa: S608


def _sqlite_statements() -> list[str]:
    """The trigger body: the keys from NEW's columns, then the name folded in
    chunks. SQLite's lower() knows only ASCII, so capitals with marks are
    mapped straight to their lower-case ASCII letter."""
    separators = [(c, "") for c in " .-+()/"]
    phone = _nested_replace("NEW.applicant_phone", separators)
    id_number = _nested_replace("NEW.applicant_id_number", [(c, "") for c in " .-/"])
    statements = [
        _set(
            f"search_name = trim(NEW.applicant_name), "
            f"search_phone = substr({phone}, -{PHONE_KEY_DIGITS}), "
            f"search_id = substr(upper({id_number}), 1, 20)"
        )
    ]
    pairs = [*FOLDED_LETTERS, *((mark, "") for mark in COMBINING_MARKS)]
    pairs += [(ws, " ") for ws in "\t\n\r"] + [("  ", " ")] * 3
    for start in range(0, len(pairs), SQLITE_CHUNK):
        chunk = _nested_replace("search_name", pairs[start : start + SQLITE_CHUNK])
        statements.append(_set(f"search_name = {chunk}"))
    statements.append(_set("search_name = substr(lower(trim(search_name)), 1, 255)"))
    return statements


def _sqlite_install(schema_editor) -> None:
    _sqlite_uninstall(schema_editor)
    body = ";\n    ".join(_sqlite_statements())
    insert, update = SQLITE_TRIGGERS
    schema_editor.execute(
        f"CREATE TRIGGER {insert} AFTER INSERT ON {TABLE} FOR EACH ROW BEGIN\n    {body};\nEND"
    )
    schema_editor.execute(
        f"CREATE TRIGGER {update} AFTER UPDATE OF {', '.join(SOURCE_COLUMNS)} ON {TABLE} "
        f"FOR EACH ROW BEGIN\n    {body};\nEND"
    )


def _sqlite_uninstall(schema_editor) -> None:
    for name in SQLITE_TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


# --- for migrations -------------------------------------------------------------------------


def install_triggers(schema_editor) -> None:
    """(Re)create the triggers; idempotent."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _pg_install(schema_editor)
    elif vendor == "sqlite":
        _sqlite_install(schema_editor)
    else:  # the project supports these two databases only
        raise ImproperlyConfigured(
            f"The dossier search keys need PostgreSQL or SQLite, not {vendor}."
        )


def uninstall_triggers(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {PG_FUNCTION} ON {TABLE}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()")
    elif vendor == "sqlite":
        _sqlite_uninstall(schema_editor)
