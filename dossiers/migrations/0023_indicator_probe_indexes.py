"""Indexes for the Decision 766 engine's per-dossier look-ups (issue #14).

The engine fills its rows table with, per candidate dossier, its stop time,
component flags, live payments and electronic result. At 1M dossiers these
look-ups were most of the fill (open month: 200,000 probes into every history
partition for the open dossiers, 170,000 component and payment probes each
reading rows from a 720 MB heap):

* ``history_stop_dossier_at``: the few stop / rejection / withdrawal entries
  (23,000 of 6.8 M history rows at 1M). Small enough that the engine hashes
  them once instead of probing the history of each open dossier;
* ``component_dossier_flags``, ``payment_dossier_live``: what the component
  and payment flags read, so the probe never visits the table (index-only);
* ``document_result_file``: result documents with a file, hashed once.

The column lists mirror ``indicators.engine.rows`` (``raw_annotations``): a
change there should change these. PostgreSQL only (SQLite serves tests), and
not in the models' ``Meta``: the history index must be built on the
partitioned parent, which Django's index operations do not know about.
"""

from django.db import migrations

INDEXES = {
    "history_stop_dossier_at": "dossiers_statushistory (dossier_id, at)"
    " WHERE to_status IN ('stopped', 'rejected', 'withdrawn')",
    "component_dossier_flags": "dossiers_dossiercomponent (dossier_id)"
    " INCLUDE (is_reused, from_personal_store, file)",
    "payment_dossier_live": "dossiers_payment (dossier_id)"
    " INCLUDE (status, amount_vnd, gateway_flag)",
    "document_result_file": "dossiers_dossierdocument (dossier_id)"
    " WHERE kind = 'kq' AND file <> ''",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, target in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0022_step_light_from_instants")]

    operations = [migrations.RunPython(create, drop)]
