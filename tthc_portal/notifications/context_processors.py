"""The unread-notices badge in the header."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from .staff_notices_selectors import staff_may_receive, staff_notices_unread_count


def staff_notices(request) -> dict:
    """``staff_notices_url`` and ``staff_notices_unread``, for staff only.

    The count is a callable the template resolves once (inside ``{% with %}``):
    a page that never renders the header spends no query, and anonymous
    visitors and citizens never do.
    """
    user = getattr(request, "user", None)
    if user is None or not staff_may_receive(user):
        return {}
    try:
        url = reverse("notifications:inbox")
    except NoReverseMatch:  # the inbox is not mounted (a site without it)
        return {}
    counted: list[int] = []

    def unread() -> int:
        if not counted:
            counted.append(staff_notices_unread_count(user))
        return counted[0]

    return {"staff_notices_url": url, "staff_notices_unread": unread}
