"""`manage.py signing_setup` and the demo seed hook."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.factories import AgencyFactory
from tthc_portal.signing.demo import seed_signing
from tthc_portal.signing.models import AgencyCertificate, CertificateAuthority

pytestmark = pytest.mark.django_db


def _run(*args, **options) -> str:
    out = StringIO()
    call_command("signing_setup", *args, stdout=out, **options)
    return out.getvalue()


def test_first_run_creates_everything_then_nothing():
    AgencyFactory(name="Sở Một")
    AgencyFactory(name="Sở Hai")
    AgencyFactory(name="Xã Cũ", is_active=False)

    first = _run()
    second = _run()

    assert "Demo Root CA" in first and "(vừa tạo)" in first
    assert "Chứng thư cơ quan: 2 cấp mới, 0 đã có (2 cơ quan)." in first
    assert "(đã có)" in second
    assert "Chứng thư cơ quan: 0 cấp mới, 2 đã có (2 cơ quan)." in second
    assert CertificateAuthority.objects.count() == 1
    assert AgencyCertificate.objects.count() == 2


def test_force_for_one_agency_reissues_only_that_one():
    one = AgencyFactory(name="Sở Một")
    two = AgencyFactory(name="Sở Hai")
    _run()
    before = dict(AgencyCertificate.objects.values_list("agency_id", "serial"))

    out = _run("--force", "--agency", one.code)

    after = dict(AgencyCertificate.objects.active().values_list("agency_id", "serial"))
    assert after[one.pk] != before[one.pk] and after[two.pk] == before[two.pk]
    assert one.code in out and after[one.pk][:16] in out


def test_unknown_agency_code_is_an_error():
    with pytest.raises(CommandError, match=r"000\.99\.99\.X00"):
        _run("--agency", "000.99.99.X00")


def test_seed_signing_is_idempotent():
    AgencyFactory(name="Sở Một")

    first = seed_signing()
    second = seed_signing()

    assert first["root_created"] and first["issued"] == 1
    assert not second["root_created"] and second["issued"] == 0
    assert first["root"].pk == second["root"].pk
