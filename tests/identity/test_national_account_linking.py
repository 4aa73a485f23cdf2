"""Accounts from the national sign-on: the identifier is the only key.

The first sign-in links to the account with the same personal ID (or tax
code) or creates one; different identifiers never merge, whatever else they
share; a changed claim updates the profile with an audit event.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import StaffFactory, UserFactory
from tthc_portal.accounts.models import User, UserKind
from tthc_portal.accounts.oidc.claims import IdentityError, identity_from_claims
from tthc_portal.accounts.oidc.services import account_link_national
from tthc_portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def claims(**overrides) -> dict:
    base = {
        "sub": "VNEID-001085012345",
        "LoaiTaiKhoan": "1",
        "SoDinhDanh": "001085012345",
        "HoVaTen": "Nguyễn Văn An",
        "NgayThangNamSinh": "15/03/1985",
        "SoDienThoai": "0912345678",
        "ThuDienTu": "an.nguyen@demo.tthc.local",
        "TechID": "VNEID-001085012345",
        "loAs": "2",
    }
    return {**base, **overrides}


def test_claims_map_to_a_citizen_identity() -> None:
    identity = identity_from_claims(claims())

    assert identity.kind == UserKind.CITIZEN
    assert identity.personal_id_number == "001085012345"
    assert identity.birth_date == date(1985, 3, 15)
    assert identity.assurance_level == "2"
    assert identity.vneid_verified is True
    assert identity.national_account_id == "VNEID-001085012345"


def test_an_account_without_level_of_assurance_is_not_vneid() -> None:
    identity = identity_from_claims(claims(loAs=""))
    assert identity.vneid_verified is False


def test_business_claims_map_to_an_organisation() -> None:
    identity = identity_from_claims(
        {
            "sub": "DN-0101234567",
            "LoaiTaiKhoan": "2",
            "MaSoThue": "0101234567",
            "TenDoanhNghiep": "Công ty TNHH Demo",
            "HoVaTen": "Lê Văn Doanh",
            "loAs": "2",
        }
    )
    assert identity.kind == UserKind.ORGANISATION
    assert identity.tax_code == "0101234567"
    assert identity.full_name == "Công ty TNHH Demo"
    assert identity.personal_id_number is None


@pytest.mark.parametrize(
    "bad",
    [{"SoDinhDanh": "12345"}, {"SoDinhDanh": ""}, {"LoaiTaiKhoan": "9"}, {"sub": ""}],
)
def test_claims_without_a_usable_identifier_are_refused(bad: dict) -> None:
    with pytest.raises(IdentityError):
        identity_from_claims(claims(**bad))


def test_first_sign_in_creates_the_account_without_a_password() -> None:
    user = account_link_national(identity_from_claims(claims()))

    assert user.kind == UserKind.CITIZEN
    assert user.username == "001085012345"
    assert user.full_name == "Nguyễn Văn An"
    assert not user.has_usable_password()
    assert AuditEvent.objects.filter(
        action="accounts.created_from_national_sso", target_id=str(user.pk)
    ).exists()


def test_same_identifier_links_to_the_existing_account() -> None:
    existing = UserFactory(
        username="nguyenvanan", personal_id_number="001085012345", full_name="N V An"
    )

    user = account_link_national(identity_from_claims(claims()))

    assert user.pk == existing.pk
    assert User.objects.filter(personal_id_number="001085012345").count() == 1
    assert existing.pk == user.pk and user.has_usable_password()  # local password kept


def test_different_identifiers_never_merge_even_with_the_same_name_email_and_phone() -> None:
    other = UserFactory(
        username="036190004567",
        personal_id_number="036190004567",
        full_name="Nguyễn Văn An",
        email="an.nguyen@demo.tthc.local",
        phone="0912345678",
    )

    user = account_link_national(identity_from_claims(claims()))

    assert user.pk != other.pk
    other.refresh_from_db()
    assert other.personal_id_number == "036190004567"
    assert User.objects.filter(kind=UserKind.CITIZEN).count() == 2


def test_a_username_taken_by_another_account_gets_a_suffix_not_a_merge() -> None:
    squatter = UserFactory(username="001085012345", personal_id_number="036190004567")

    user = account_link_national(identity_from_claims(claims()))

    assert user.pk != squatter.pk
    assert user.username == "001085012345-2"


def test_changed_claims_update_the_profile_with_an_audit_event() -> None:
    user = account_link_national(identity_from_claims(claims()))

    account_link_national(identity_from_claims(claims(SoDienThoai="0987654321", loAs="1")))

    user.refresh_from_db()
    assert user.phone == "0987654321"
    assert user.assurance_level == "1"
    event = AuditEvent.objects.get(
        action="accounts.profile_updated_from_national_sso", target_id=str(user.pk)
    )
    assert event.before == {"phone": "0912345678", "assurance_level": "2"}
    assert event.after == {"phone": "0987654321", "assurance_level": "1"}


def test_unchanged_claims_write_no_audit_event() -> None:
    account_link_national(identity_from_claims(claims()))
    account_link_national(identity_from_claims(claims()))
    assert not AuditEvent.objects.filter(action="accounts.profile_updated_from_national_sso")


def test_a_staff_identifier_is_never_linked_to_a_citizen_sign_in() -> None:
    StaffFactory(username="canbo", personal_id_number="001085012345")

    with pytest.raises(IdentityError):
        account_link_national(identity_from_claims(claims()))


def test_a_locked_account_stays_locked() -> None:
    UserFactory(username="001085012345", personal_id_number="001085012345", is_active=False)

    with pytest.raises(IdentityError):
        account_link_national(identity_from_claims(claims()))
