"""Audit rows written straight into the partitioned table (partition tests)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import connection


def audit_event_insert(at: str) -> int:
    """One audit event at ``at``, by SQL (the service stamps the current time)."""
    kind = ContentType.objects.get_for_model(ContentType)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (at, actor_repr, action, target_type_id, target_id,"
            " target_repr, request_id, via_client)"
            " VALUES (%s, '', 'test.event', %s, '1', '', '', '') RETURNING id",
            [at, kind.pk],
        )
        return cursor.fetchone()[0]
