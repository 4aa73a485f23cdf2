"""Bearer tokens of integration clients (being built: issue 18, item 12)."""

from __future__ import annotations

from rest_framework.authentication import BaseAuthentication


class ClientTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        return None
