"""Name search by words (issue 15): a GIN index on the folded name's words.

The trigram index of 0015 made a common Vietnamese name slow to find at a
million dossiers: "Nguyễn Văn An" has no rare trigram ("ngu", "guy", "van",
"an " are in most rows), so every search read most of the index and then
most of the table. Its words are another matter: "an" is a given name in a
few rows out of a hundred, and the index walks the rarest word's list.

The index is on an expression of ``search_name`` and the two agency columns
(``search_keys.PG_NAME_TOKENS``),
so there is no column to fill: building it reads the table once (about a
minute at 1M rows), CONCURRENTLY so receptions carry on meanwhile. The
trigram index is dropped: nothing searches inside a word any more, and it
was the costliest index to keep on every insert. SQLite has neither index
(``NameTokensMatch`` reads each name there).

Not atomic: CREATE INDEX CONCURRENTLY cannot run in a transaction.
"""

from django.db import migrations

# The expression as this migration built it (``search_keys.PG_NAME_TOKENS``
# then); 0024 replaces the index with one that also holds word prefixes.
PG_NAME_TOKENS = (
    "(to_tsvector('simple'::regconfig, regexp_replace({name}, '[^[:alnum:]]+', ' ', 'g')) || "
    "array_to_tsvector(array_remove(ARRAY['@r' || {receiving}::text, "
    "'@p' || {processing}::text], NULL)))"
)

INDEX = "dossier_search_name_words"
TRIGRAM_INDEX = "dossier_search_name_trgm"


def words_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    expression = PG_NAME_TOKENS.format(
        name="search_name", receiving="receiving_agency_id", processing="processing_agency_id"
    )
    # A GIN index builds much faster with room to sort in (the default 64 MB
    # spills to disk at 1M rows); this session only.
    schema_editor.execute("SET maintenance_work_mem = '256MB'")
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} ON dossiers_dossier "
        f"USING gin ({expression})"
    )
    schema_editor.execute("RESET maintenance_work_mem")
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {TRIGRAM_INDEX}")
    # The planner's word frequencies come from the expression's statistics:
    # without them it cannot tell "nguyen" (most rows) from "an" (few).
    schema_editor.execute("ANALYZE dossiers_dossier")


def trigram_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {TRIGRAM_INDEX} ON dossiers_dossier "
        "USING gin (search_name gin_trgm_ops)"
    )
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("dossiers", "0019_stored_due_soon"),
    ]

    operations = [
        migrations.RunPython(words_index, trigram_index),
    ]
