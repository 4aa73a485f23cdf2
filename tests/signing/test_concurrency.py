"""Concurrent issuers on PostgreSQL: one root, one active certificate per
agency, whoever gets there first."""

from __future__ import annotations

import pytest

from tests.factories import AgencyFactory
from tests.support.concurrency import run_together
from tthc_portal.audit.models import AuditEvent
from tthc_portal.signing.models import AgencyCertificate, CertificateAuthority
from tthc_portal.signing.services import agency_certificate_issue, ca_ensure_root

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.postgres,
]


def test_parallel_root_creation_makes_one_root(require_postgres):
    results = run_together([lambda: ca_ensure_root().pk for _ in range(4)])

    assert [kind for kind, _ in results] == ["ok"] * 4, results
    assert len({pk for _, pk in results}) == 1
    assert CertificateAuthority.objects.count() == 1


def test_parallel_issuance_gives_one_certificate(require_postgres):
    agency = AgencyFactory(name="Sở Song Song")
    ca_ensure_root()

    results = run_together([lambda: agency_certificate_issue(agency).pk for _ in range(4)])

    assert [kind for kind, _ in results] == ["ok"] * 4, results
    assert len({pk for _, pk in results}) == 1
    assert AgencyCertificate.objects.filter(agency=agency).count() == 1
    assert AuditEvent.objects.filter(action="signing.certificate_issue").count() == 1


def test_parallel_renewal_of_an_expiring_root_makes_one_new_root(require_postgres):
    old = ca_ensure_root()
    CertificateAuthority.objects.filter(pk=old.pk).update(not_after=old.created_at)

    results = run_together([lambda: ca_ensure_root().pk for _ in range(4)])

    assert [kind for kind, _ in results] == ["ok"] * 4, results
    [new_pk] = {pk for _, pk in results}
    assert new_pk != old.pk
    assert CertificateAuthority.objects.count() == 2
    assert list(
        CertificateAuthority.objects.filter(is_active=True).values_list("pk", flat=True)
    ) == [new_pk]
