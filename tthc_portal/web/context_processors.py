from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from tthc_portal.agencies.selectors import user_roles

from .navigation import items_for


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_roles": set()}

    roles = SimpleLazyObject(lambda: user_roles(user))
    return {
        "nav_items": SimpleLazyObject(lambda: items_for(set(roles), user.is_applicant)),
        "user_roles": roles,
    }
