"""A client's service account holds a role only for its rights: nobody notifies,
assigns or asks it to sign, and it is not listed as staff needing a second factor."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from tests.factories import make_staff
from tthc_portal.accounts.roles import Role
from tthc_portal.accounts.second_factor.selectors import staff_users
from tthc_portal.agencies.selectors import staff_with_role
from tthc_portal.api_clients.services import api_client_create

pytestmark = pytest.mark.django_db


def test_service_account_is_not_picked_for_work(agency) -> None:
    officer = make_staff(Role.DESK_OFFICER, agency)
    issued = api_client_create(
        actor=None, name="Hệ thống một cửa cũ", agency=agency, scopes=["dossiers:read"]
    )
    service = issued.client.service_account
    assert service.memberships.filter(agency=agency, role=Role.DESK_OFFICER).exists()
    assert list(staff_with_role(agency, Role.DESK_OFFICER)) == [officer]
    assert service not in staff_users(get_user_model().objects.all())
