"""Each demo applicant has a phone number of their own.

The kiosk and the public lookup identify a dossier by its code and the
applicant's phone; with one shared number, any demo citizen could rate or look
up another's dossier.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from portal_site import demo
from tthc_portal.accounts.models import UserKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded_applicants():
    demo.seed_accounts(demo.seed_agencies())
    return (
        get_user_model()
        .objects.exclude(kind=UserKind.STAFF)
        .filter(username__in=[spec.username for spec in demo.ACCOUNTS if not spec.role])
    )


def test_every_demo_applicant_has_a_distinct_phone(seeded_applicants) -> None:
    phones = {user.username: user.phone for user in seeded_applicants}

    assert len(phones) == len([spec for spec in demo.ACCOUNTS if not spec.role]) >= 3
    assert all(phones.values())
    assert len(set(phones.values())) == len(phones)
    # Other tests and the README use this one.
    assert phones["001085012345"] == "0912345678"


def test_reseeding_gives_accounts_from_the_old_shared_number_their_own(seeded_applicants):
    user_model = get_user_model()
    user_model.objects.filter(username="036190004567").update(phone="0912345678")

    demo.seed_accounts(demo.seed_agencies())

    phones = list(
        user_model.objects.filter(pk__in=seeded_applicants).values_list("phone", flat=True)
    )
    assert len(set(phones)) == len(phones)


def test_reseeding_keeps_a_number_the_user_changed(seeded_applicants) -> None:
    user_model = get_user_model()
    user_model.objects.filter(username="036190004567").update(phone="0977000111")

    demo.seed_accounts(demo.seed_agencies())

    assert user_model.objects.get(username="036190004567").phone == "0977000111"
