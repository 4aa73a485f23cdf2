"""The national sync log (every call to an outside system) partitioned by month
on PostgreSQL (issue #17, item 4). SQLite keeps a plain table."""

from django.db import migrations

from tthc_portal.partitioning import PartitionByMonth


class Migration(migrations.Migration):
    dependencies = [("integrations", "0003_target_kind_receipts")]
    operations = [PartitionByMonth("integrations_syncattempt", "at")]
