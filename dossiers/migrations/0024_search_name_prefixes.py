"""Name search by words and word beginnings (issue 15).

A name's last word may be only begun ("nguyen ha" finds "Nguyễn Thị Hà" and
"Nguyễn Văn Hải"). The index of 0020 answered that with a prefix search,
'ha':*, which gathers the rows of every word beginning with "ha" before it
intersects anything: 85,000 rows and 60 ms at 1M dossiers, the slowest part
of a province-wide search for a common name. This index also holds each
word's proper beginnings as words of their own ("hanh" → "ha>", "han>"), so
the same question is 'ha' | 'ha>', two lists GIN intersects with "nguyen" by
skipping (19 ms). The index grows by about a tenth.

``tthc_name_prefixes`` is IMMUTABLE (an index expression must be) and cuts
the name as 0020's expression does: runs of letters and digits. It is
declared PARALLEL UNSAFE on purpose: a query that names it is planned without
parallel workers, and a name search is a small read whose workers' start cost
more than they saved (at 1M: 60 ms with two workers, 33 ms without, for a
name of 8,700 namesakes). Nothing else calls it.

Not atomic: CREATE INDEX CONCURRENTLY cannot run in a transaction.
"""

from django.db import migrations

INDEX = "dossier_search_name_prefixes"
OLD_INDEX = "dossier_search_name_words"
OLD_TOKENS = (
    "(to_tsvector('simple'::regconfig, regexp_replace({name}, '[^[:alnum:]]+', ' ', 'g')) || "
    "array_to_tsvector(array_remove(ARRAY['@r' || {receiving}::text, "
    "'@p' || {processing}::text], NULL)))"
)
# ``search_keys.PG_NAME_TOKENS`` as of this migration: the query must repeat
# the index's expression exactly for the planner to use it.
PG_NAME_TOKENS = (
    "(to_tsvector('simple'::regconfig, regexp_replace({name}, '[^[:alnum:]]+', ' ', 'g')) || "
    "array_to_tsvector(array_remove(ARRAY['@r' || {receiving}::text, "
    "'@p' || {processing}::text], NULL)) || "
    "array_to_tsvector(tthc_name_prefixes({name})))"
)
FUNCTION = """
CREATE OR REPLACE FUNCTION tthc_name_prefixes(name text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL UNSAFE AS $$
  SELECT coalesce(array_agg(left(word, n) || '>'), '{}')
  FROM regexp_split_to_table(lower(name), '[^[:alnum:]]+') AS word,
       generate_series(2, length(word) - 1) AS n
$$
"""
COLUMNS = {"name": "search_name", "receiving": "receiving_agency_id",
           "processing": "processing_agency_id"}  # fmt: skip


def _replace(schema_editor, create: str, expression: str, drop: str) -> None:
    # A concurrent build that failed leaves an invalid index behind, which
    # IF NOT EXISTS would keep: built afresh on a rerun, before the old one goes.
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {create}")
    schema_editor.execute("SET maintenance_work_mem = '256MB'")
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {create} ON dossiers_dossier "
        f"USING gin ({expression.format(**COLUMNS)})"
    )
    schema_editor.execute("RESET maintenance_work_mem")
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {drop}")
    # The planner's word frequencies come from the expression's statistics.
    schema_editor.execute("ANALYZE dossiers_dossier")


def prefixes_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    _replace(schema_editor, INDEX, PG_NAME_TOKENS, OLD_INDEX)


def words_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    _replace(schema_editor, OLD_INDEX, OLD_TOKENS, INDEX)
    schema_editor.execute("DROP FUNCTION IF EXISTS tthc_name_prefixes(text)")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("dossiers", "0023_indicator_probe_indexes"),
    ]

    operations = [
        migrations.RunPython(prefixes_index, words_index),
    ]
