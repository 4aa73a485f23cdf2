"""Room for heap-only updates, and autovacuum, on the two tables the deadline
sweep writes to every day.

The sweep's flags are in no index, so flipping one is a HOT update — if the
row's page has room for the new version. A freshly loaded page has none:
fillfactor 85 keeps 15% of each new page free (measured at 1M dossiers:
41,000 step flags took 3.3 s as ordinary updates through 16 indexes).

Autovacuum: PostgreSQL's default waits for 20% of a table to be dead:
on a province's 4 million step rows that is 800,000 stale versions, which the
worklists' index scans then wade through (measured at 1M dossiers: the busiest
unit's badges took 82 ms before a vacuum, 35 ms after). 2% keeps them lean.
"""

from django.db import migrations

TABLES = ("dossiers_dossier", "dossiers_dossierstep")


def tune(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(
            f"ALTER TABLE {table} SET (fillfactor = 85, autovacuum_vacuum_scale_factor = 0.02, "
            "autovacuum_analyze_scale_factor = 0.02)"
        )


def untune(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(
            f"ALTER TABLE {table} RESET (fillfactor, autovacuum_vacuum_scale_factor, "
            "autovacuum_analyze_scale_factor)"
        )


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0009_sweep_indexes_and_paused_steps")]

    operations = [migrations.RunPython(tune, untune)]
