"""factory_boy factories for the shared kernel."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from tthc_portal.accounts.models import UserKind
from tthc_portal.agencies.models import Agency, AgencyKind

PASSWORD = "Mat-khau-thu-2026"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Sở Thử Nghiệm {n}")
    code = factory.Sequence(lambda n: f"000.00.{n % 100:02d}.T{n // 100:02d}")
    kind = AgencyKind.DEPARTMENT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"{n:012d}")
    personal_id_number = factory.LazyAttribute(lambda o: o.username)
    kind = UserKind.CITIZEN
    full_name = factory.Faker("name", locale="vi_VN")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")
    phone = "0912345678"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    username = factory.Sequence(lambda n: f"canbo{n}")
    personal_id_number = None
    kind = UserKind.STAFF


def make_staff(role: str, agency: Agency, **kwargs) -> object:
    """A staff account holding ``role`` in ``agency``, granted through the service."""
    from tthc_portal.agencies.services import membership_grant, roles_sync

    roles_sync()
    user = StaffFactory(**kwargs)
    membership_grant(actor=None, user=user, agency=agency, role=role)
    return user
