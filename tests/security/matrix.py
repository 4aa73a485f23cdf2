"""Running the matrix for one role: cases, requests, the verdict on each."""

from __future__ import annotations

import re
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import product

from django.urls import reverse

from tests.security import objects
from tests.security.objects import Actor, Obj
from tests.security.routes import (
    ADMINISTRATOR,
    APPLICANT,
    GET_ONLY,
    OFFICE,
    PUBLIC,
    SIGNED_IN,
    STAFF,
    UNNAMED_PATHS,
    Route,
)

# Bookkeeping a request may write whatever it is refused: the session, the
# sign-in session's last-seen time, the audit log, the lockout counters.
IGNORED_TABLES = re.compile(r"^(django_session|audit_auditevent|accounts_signinsession|axes_\w+)$")
# Machine endpoints that log every message they receive, valid or not.
LOGGED_BY_ROUTE = {
    "integrations:paygov_notify": {"integrations_paymentmessage"},
    "integrations:inbound_push": {"integrations_inboundmessage"},
}
WRITE_SQL = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([\w.]+)"?', re.IGNORECASE)
# Per kind, how many foreign objects of distinct status a URL is tried with.
# Per URL, how many foreign objects it is tried with; successive URLs take the
# next ones of the role's pool (all statuses, both sides), so the whole pool is
# covered many times over without trying every URL with every object.
PER_URL: dict[str, int] = {}
DEFAULT_PER_URL = 1


@dataclass
class Outcome:
    tried: int = 0
    failures: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    foreign_reads: int = 0  # GETs naming an object foreign to the role
    foreign_writes: int = 0  # POSTs naming an object the role may not change
    kinds: dict[str, set] = field(default_factory=dict)  # kind -> foreign objects tried


@dataclass(frozen=True)
class Case:
    route: Route
    kwargs: dict
    obj: Obj | None  # the owned object the URL names, if any


@contextmanager
def writes_recorded(connection):
    """Every INSERT/UPDATE/DELETE that touched a row, by table."""
    seen: list[str] = []

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        match = WRITE_SQL.match(sql)
        if match and not IGNORED_TABLES.match(match.group(1)):
            rowcount = getattr(context["cursor"], "rowcount", -1)
            if rowcount != 0:
                seen.append(match.group(1))
        return result

    with connection.execute_wrapper(wrapper):
        yield seen


def allowed(actor: Actor, access: str) -> bool:
    user = actor.user
    if access == PUBLIC:
        return True
    if user is None:
        return False
    if actor.superuser:
        return True
    staff = user.kind == "staff"
    if access == SIGNED_IN:
        return True
    if access == APPLICANT:
        return not staff
    if access == STAFF:
        return staff
    if access == OFFICE:
        return bool(actor.scopes.get(objects.OFFICE))
    if access == ADMINISTRATOR:
        return bool(actor.scopes.get(objects.ADMINISTER))
    return False  # MACHINE: never through a browser session


def cases_for(actor: Actor, routes: list[Route], foreign_only: bool = True) -> list[Case]:
    """Each URL once per foreign object (or once, with public values, when it names none)."""
    cache: dict = {}
    turn: dict[str, int] = {}
    out = []
    for route in routes:
        kinds = {kwarg: route.kind_of(kwarg) for kwarg in route.kwargs}
        owned = [k for k in dict.fromkeys(kinds.values()) if k not in objects.SECONDARY]
        candidates: list[list[Obj]] = []
        for kind in owned:
            key = (kind, route.name if kind == "action" else "")
            if key not in cache:
                cache[key] = objects.provide(kind, route.name)
            objs = cache[key]
            if not objs:
                raise AssertionError(
                    f"{route.route} ({route.name}): the data set holds no object of kind "
                    f"{kind!r}; add one in tests/security/world.py"
                )
            if objs and not objs[0].public and foreign_only:
                objs = [o for o in objs if o.foreign_to_read(actor) or o.foreign_to_write(actor)]
                objs = _rotate(objs, kind, turn, PER_URL.get(kind, DEFAULT_PER_URL))
            elif objs and not objs[0].public:
                objs = objs[:1]
            candidates.append(objs)
        extras = [
            objects.provide(kind, route.name)
            for kind in dict.fromkeys(kinds.values())
            if kind in ("fmt", "action")
        ]
        for combo in product(*candidates, *extras):
            values: dict = {}
            for obj in reversed(combo):
                values.update(obj.values)
            owner = next((o for o in combo if not o.public), None)
            kwargs = {kwarg: values[kwarg] for kwarg in route.kwargs}
            out.append(Case(route=route, kwargs=kwargs, obj=owner))
    return out


def _rotate(objs: list[Obj], kind: str, turn: dict, count: int) -> list[Obj]:
    if len(objs) <= count:
        return objs
    start = turn.get(kind, 0)
    turn[kind] = start + count
    return [objs[(start + i) % len(objs)] for i in range(count)]


def markers_for(actor: Actor) -> dict[str, str]:
    """Text of objects foreign to ``actor`` that must appear on none of its pages."""
    out = {}
    for kind in ("dossier", "pakn"):
        for obj in objects.provide(kind, ""):
            if obj.foreign_to_read(actor):
                for marker in obj.markers:
                    out[marker] = obj.label
    return out


def body_text(response) -> str:
    if getattr(response, "streaming", False):
        return ""
    kind = response.get("Content-Type", "")
    if not any(t in kind for t in ("text/", "json", "csv")):
        return ""
    return response.content.decode("utf-8", "replace")


def run_case(client, connection, actor: Actor, case: Case, method: str, markers, outcome) -> None:
    from django.db import transaction

    route, obj = case.route, case.obj
    if route.name.startswith("route:"):
        url = UNNAMED_PATHS[route.name]
    else:
        url = reverse(route.name, kwargs=case.kwargs)
    where = f"{method.upper()} {url} ({route.name}) as {actor.key}"
    if obj is not None:
        where += f" on {obj.label}"
    outcome.tried += 1
    started = time.monotonic()
    with transaction.atomic(), writes_recorded(connection) as writes:
        response = getattr(client, method)(url)
        transaction.set_rollback(True)  # the next case sees the data set unchanged
    outcome.timings[route.name] = outcome.timings.get(route.name, 0.0) + time.monotonic() - started
    status = response.status_code
    if status >= 500:
        outcome.failures.append(f"{where}: HTTP {status}")
        return
    if status == 429:
        outcome.failures.append(f"{where}: throttled (429), the case was not checked")
        return
    writes = [table for table in writes if table not in LOGGED_BY_ROUTE.get(route.name, ())]
    may_use = allowed(actor, _access(route))
    foreign_read = obj is not None and obj.foreign_to_read(actor)
    foreign_write = obj is not None and obj.foreign_to_write(actor)
    if foreign_read and method == "get":
        outcome.foreign_reads += 1
    if foreign_write and method == "post":
        outcome.foreign_writes += 1
    if foreign_read or foreign_write:
        outcome.kinds.setdefault(obj.kind, set()).add(obj.label)
    ok_2xx = 200 <= status < 300
    if ok_2xx and (not may_use or (foreign_read and method == "get")):
        reason = "not allowed to use this URL" if not may_use else "foreign object"
        outcome.failures.append(f"{where}: HTTP {status} ({reason})")
    if ok_2xx and method == "post" and foreign_read:
        outcome.failures.append(f"{where}: POST answered HTTP {status} on a foreign object")
    if writes and (not may_use or foreign_write):
        outcome.failures.append(f"{where}: wrote to {sorted(set(writes))} (HTTP {status})")
    if ok_2xx and markers:
        body = body_text(response)
        leaked = sorted({label for marker, label in markers.items() if marker in body})
        if leaked:
            outcome.failures.append(f"{where}: HTTP {status} shows {', '.join(leaked[:5])}")


def _access(route: Route) -> str:
    from tests.security.routes import ACCESS

    return ACCESS[route.name]


def role_run(client, connection, actor: Actor, routes: list[Route]) -> Outcome:
    outcome = Outcome()
    markers = markers_for(actor)
    for case in cases_for(actor, routes):
        run_case(client, connection, actor, case, "get", markers, outcome)
        if case.route.name not in GET_ONLY:
            run_case(client, connection, actor, case, "post", markers, outcome)
    return outcome
