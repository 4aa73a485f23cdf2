"""The audit log: what an event records, and that it can only ever grow."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from tests.factories import AgencyFactory, StaffFactory
from tthc_portal.agencies.models import Agency
from tthc_portal.audit.middleware import current_request_id, set_request_id
from tthc_portal.audit.models import AppendOnlyError, AuditEvent
from tthc_portal.audit.selectors import audit_events_for
from tthc_portal.audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_id() -> Iterator[str]:
    """Pretend to be inside a request carrying this id; restore afterwards."""
    value = f"rq-{uuid.uuid4().hex[:12]}"
    set_request_id(value)
    yield value
    set_request_id("")


@pytest.fixture
def event() -> AuditEvent:
    return audit_record(
        actor=None, action="agency.create", target=AgencyFactory(), after={"name": "Sở A"}
    )


def test_audit_record_stores_actor_target_snapshots_and_request_id(request_id: str) -> None:
    actor = StaffFactory()
    agency = AgencyFactory(name="Sở Tư pháp")
    uid = uuid.UUID("12345678-1234-5678-1234-567812345678")

    event = audit_record(
        actor=actor,
        action="agency.rename",
        target=agency,
        before={"name": "Sở Tư pháp cũ", "fee": Decimal("150000.50"), "opened": date(2024, 2, 9)},
        after={
            "name": "Sở Tư pháp",
            "fee": Decimal("0.5"),
            "at": datetime(2026, 1, 2, 8, 30, tzinfo=UTC),
            "ids": [uid, 3],
        },
    )

    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor == actor
    assert stored.actor_repr == str(actor)
    assert stored.action == "agency.rename"
    assert stored.target_type == ContentType.objects.get_for_model(Agency)
    assert stored.target_id == str(agency.pk)
    assert stored.target_repr == str(agency)
    # Dates, decimals, datetimes and UUIDs come back as their JSON strings.
    assert stored.before == {"name": "Sở Tư pháp cũ", "fee": "150000.50", "opened": "2024-02-09"}
    assert stored.after == {
        "name": "Sở Tư pháp",
        "fee": "0.5",
        "at": "2026-01-02T08:30:00Z",
        "ids": [str(uid), 3],
    }
    assert stored.request_id == request_id
    assert stored.at is not None
    assert list(audit_events_for(agency)) == [stored]


def test_audit_record_without_a_person_is_attributed_to_the_system() -> None:
    agency = AgencyFactory()
    for actor in (None, AnonymousUser()):
        event = audit_record(actor=actor, action="agency.sync", target=agency)
        stored = AuditEvent.objects.get(pk=event.pk)
        assert stored.actor is None
        assert stored.actor_repr == "hệ thống"
        assert stored.before is None
        assert stored.after is None
        # Outside a request there is no request id.
        assert current_request_id() == ""
        assert stored.request_id == ""


def test_audit_event_rolls_back_with_the_callers_transaction() -> None:
    agency = AgencyFactory()

    class BusinessRuleBroken(Exception):
        pass

    with pytest.raises(BusinessRuleBroken), transaction.atomic():
        audit_record(actor=None, action="agency.rename", target=agency, after={"name": "X"})
        assert AuditEvent.objects.filter(action="agency.rename").count() == 1
        raise BusinessRuleBroken

    assert not AuditEvent.objects.filter(action="agency.rename").exists()


def test_saving_an_existing_event_is_refused(event: AuditEvent) -> None:
    event.action = "forged"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.save(update_fields=["action"])
    assert AuditEvent.objects.get(pk=event.pk).action == "agency.create"


def test_deleting_an_event_is_refused(event: AuditEvent) -> None:
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_queryset_update_and_delete_are_refused(event: AuditEvent) -> None:
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="forged")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(request_id="")
    event.action = "forged"
    # bulk_update() runs inside atomic(savepoint=False): give it its own block.
    with pytest.raises(AppendOnlyError), transaction.atomic():
        AuditEvent.objects.bulk_update([event], ["action"])

    assert AuditEvent.objects.get(pk=event.pk).action == "agency.create"
    assert AuditEvent.objects.count() == 1


def test_postgres_trigger_refuses_raw_update_and_delete(
    require_postgres: None, event: AuditEvent
) -> None:
    table = AuditEvent._meta.db_table
    update = f"UPDATE {table} SET action = %s WHERE id = %s"  # noqa: S608
    delete = f"DELETE FROM {table} WHERE id = %s"  # noqa: S608
    for sql, params in ((update, ["forged", event.pk]), (delete, [event.pk])):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, params)

    # Inserting is still allowed, and the original row is untouched.
    audit_record(actor=None, action="agency.other", target=AgencyFactory())
    assert AuditEvent.objects.get(pk=event.pk).action == "agency.create"
    assert AuditEvent.objects.count() == 2


@pytest.fixture
def superuser_client(client):
    admin = StaffFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def test_admin_lists_events_for_a_superuser(superuser_client, event: AuditEvent) -> None:
    response = superuser_client.get(reverse("admin:audit_auditevent_changelist"))
    assert response.status_code == 200
    # The sign-in itself is audited too (accounts.signed_in).
    assert response.context["cl"].result_count == AuditEvent.objects.count() == 2
    # No "add" button and no bulk delete action on the changelist.
    assert reverse("admin:audit_auditevent_add") not in response.content.decode()
    assert "delete_selected" not in response.content.decode()

    detail = superuser_client.get(reverse("admin:audit_auditevent_change", args=[event.pk]))
    assert detail.status_code == 200  # viewable, read-only
    assert detail.context["has_change_permission"] is False


def test_admin_refuses_add_change_and_delete(superuser_client, event: AuditEvent) -> None:
    add_url = reverse("admin:audit_auditevent_add")
    assert superuser_client.get(add_url).status_code == 403
    assert superuser_client.post(add_url, {"action": "forged"}).status_code == 403

    change_url = reverse("admin:audit_auditevent_change", args=[event.pk])
    assert superuser_client.post(change_url, {"action": "forged"}).status_code == 403

    delete_url = reverse("admin:audit_auditevent_delete", args=[event.pk])
    assert superuser_client.get(delete_url).status_code == 403
    assert superuser_client.post(delete_url, {"post": "yes"}).status_code == 403

    bulk = superuser_client.post(
        reverse("admin:audit_auditevent_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert bulk.status_code in {200, 302}  # unknown action: nothing happens

    assert AuditEvent.objects.get(pk=event.pk).action == "agency.create"
    assert AuditEvent.objects.exclude(action__startswith="accounts.").count() == 1
