"""Sign in with a username, a 12-digit personal ID or a tax code."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Q


def account_find(identifier: str) -> AbstractBaseUser | None:
    """The account an identifier names: username (any letter case), personal ID or tax code.

    Shared with the sign-in lockout (``accounts.lockout``), which must resolve
    every spelling to the same account this backend would sign in.
    """
    identifier = identifier.strip()
    if not identifier:
        return None
    return (
        get_user_model()
        ._default_manager.filter(
            Q(username__iexact=identifier)
            | Q(personal_id_number=identifier)
            | Q(tax_code=identifier)
        )
        .order_by("pk")
        .first()
    )


class IdentifierBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = account_find(username)
        if user is None:
            # Same cost as a real check, so timing does not reveal accounts.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
