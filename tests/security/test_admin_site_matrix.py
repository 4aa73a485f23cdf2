"""The admin site (``/quan-tri/``), every URL from the resolver.

Only staff accounts flagged ``is_staff`` (administrators) may use it: any other
role gets no 2xx on any admin URL. An agency administrator may use it, but no
admin page may show a dossier or PAKN of an agency outside theirs.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.security import matrix
from tests.security.objects import actor_build
from tests.security.routes import routes_admin as _routes_admin

# Without ``is_staff`` every role meets the same admin_view check, so one
# visitor and one staff member without the flag stand for all of them.
ROLES = {
    "anonymous": None,
    "desk officer (Justice)": "motcua.tuphap",
    "agency administrator (Health)": "quantri.yte",
}
KNOWN_LEAKS: dict[tuple[str, str], str] = {}  # (URL name, role) → note; none open
# The admin's own sign-in and sign-out pages are for everyone.
PUBLIC = {"admin:login", "admin:logout"}
FILLERS = {"object_id": "1", "content_type_id": "1", "url": "khong-co", "id": "1", "pk": "1"}


def routes_admin():
    # Unnamed admin patterns only redirect old object URLs to the change page.
    return [route for route in _routes_admin() if not route.name.startswith("admin:route:")]


def _path(route) -> str:
    kwargs = {}
    for kwarg in route.kwargs:
        if kwarg == "app_label":
            kwargs[kwarg] = re.search(r"\(\?P<app_label>([\w]+)", route.route).group(1)
        else:
            kwargs[kwarg] = FILLERS[kwarg]
    return reverse(route.name, kwargs=kwargs)


def test_every_admin_url_can_be_requested() -> None:
    problems = []
    for route in routes_admin():
        try:
            _path(route)
        except (KeyError, NoReverseMatch, AttributeError) as error:
            problems.append(f"{route.route} ({route.name}): add a filler for its kwargs ({error})")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", list(ROLES))
def test_admin_site_is_for_administrators_only(role: str, world) -> None:
    user = world.users[ROLES[role]] if ROLES[role] else None
    client = Client()
    if user is not None:
        client.force_login(user)
    actor = actor_build(role, user)
    markers = matrix.markers_for(actor)
    may_use = user is not None and user.is_staff
    failures, tried = [], 0
    for route in routes_admin():
        url = _path(route)
        tried += 1
        with matrix.writes_recorded(connection) as writes:
            response = client.get(url)
        where = f"GET {url} ({route.name}) as {role}"
        status = response.status_code
        if status >= 500:
            failures.append(f"{where}: HTTP {status}")
        elif 200 <= status < 300 and not may_use and route.name not in PUBLIC:
            failures.append(f"{where}: HTTP {status} (not an administrator)")
        elif 200 <= status < 300:
            body = matrix.body_text(response)
            leaked = sorted({label for marker, label in markers.items() if marker in body})
            if leaked:
                note = KNOWN_LEAKS.get((route.name, role), "")
                failures.append(
                    f"{where}: shows {', '.join(leaked[:5])}" + (f"\n    -> {note}" if note else "")
                )
        if writes:
            failures.append(f"{where}: wrote to {sorted(set(writes))}")
    print(f"\nadmin site, {role}: {tried} requests, {len(failures)} failures")
    assert not failures, f"{role}: {len(failures)} of {tried}:\n" + "\n".join(failures)
