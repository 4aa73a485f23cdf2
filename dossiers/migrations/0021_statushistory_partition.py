"""Status history partitioned by month on PostgreSQL (issue #17, item 4).

One row per transition of every dossier: the largest append-only table of a
province (several rows a dossier, 1 M dossiers a year). Partitioned by month on
``at``: the primary key becomes ``(id, at)`` at database level while Django keeps
``id``, which stays unique (one identity sequence). No table has a foreign key
into status history (checked in the catalogue when this was written; the
partitioning test fails if one appears), so nothing else changes. The
``(dossier, at)`` index and the foreign keys to the dossier and the actor are
recreated on the parent. Months ahead are created by the daily
``partitions_maintain`` job like the other partitioned tables; old months are
not archived unless ``TTHC_PARTITION_RETENTION`` names the table (a dossier's
history is part of the record kept after its retention, see the README).
SQLite keeps a plain table."""

from django.db import migrations

from tthc_portal.partitioning import PartitionByMonth


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0020_search_tokens")]
    operations = [PartitionByMonth("dossiers_statushistory", "at")]
