"""Sign in with a username, a 12-digit personal ID or a tax code."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q


class IdentifierBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        identifier = username.strip()
        user_model = get_user_model()
        user = (
            user_model._default_manager.filter(
                Q(username__iexact=identifier)
                | Q(personal_id_number=identifier)
                | Q(tax_code=identifier)
            )
            .order_by("pk")
            .first()
        )
        if user is None:
            # Same cost as a real check, so timing does not reveal accounts.
            user_model().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
