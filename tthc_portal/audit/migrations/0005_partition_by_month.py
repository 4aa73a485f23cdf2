"""Audit events partitioned by month on PostgreSQL (issue #17, item 4).

The append-only trigger is recreated on the partitioned parent, so it holds on
every partition. SQLite keeps a plain table."""

from django.db import migrations

from tthc_portal.partitioning import PartitionByMonth


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_auditevent_via_client")]
    operations = [PartitionByMonth("audit_auditevent", "at")]
