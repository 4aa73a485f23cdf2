"""The dossier lock, compiled once per connection, reads what the ORM reads."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from dossiers.models import Dossier
from dossiers.services.lifecycle import LOCK_RELATED
from dossiers.services.locking import dossier_lock
from dossiers.services.reception import dossier_receive
from tests.dossiers.test_reception import submitted

pytestmark = pytest.mark.django_db


def row(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.fields}


@pytest.mark.parametrize(
    "related", [LOCK_RELATED, ("receiving_agency", "procedure_version__procedure")]
)
def test_the_lock_reads_the_rows_the_orm_reads(users, online_procedure, related):
    waiting = submitted(users, online_procedure)
    received = dossier_receive(
        actor=users["motcua.tuphap"], dossier=submitted(users, online_procedure)
    )
    for pk in (waiting.pk, received.pk, waiting.pk):  # the third call reuses the compiled plan
        with transaction.atomic():
            expected = (
                Dossier.objects.select_for_update(of=("self",)).select_related(*related).get(pk=pk)
            )
            with CaptureQueriesContext(connection) as queries:
                locked = dossier_lock(pk, related)
                assert row(locked) == row(expected)
                assert row(locked.receiving_agency) == row(expected.receiving_agency)
                assert row(locked.procedure_version) == row(expected.procedure_version)
                version, expected_version = locked.procedure_version, expected.procedure_version
                assert row(version.procedure) == row(expected_version.procedure)
                if "processing_agency" in related and expected.processing_agency_id:
                    assert row(locked.processing_agency) == row(expected.processing_agency)
            assert len(queries.captured_queries) == 1  # the related rows came with the lock
            assert locked._state.adding is False and locked._state.db == expected._state.db
            if connection.features.has_select_for_update_of:
                assert "FOR UPDATE" in queries.captured_queries[0]["sql"]


def test_a_missing_dossier_fails_as_with_the_orm(users, online_procedure):
    dossier = submitted(users, online_procedure)
    with transaction.atomic(), pytest.raises(Dossier.DoesNotExist):
        dossier_lock(dossier.pk + 10_000, LOCK_RELATED)
