"""Finding any dossier at a million dossiers: the staff search, each kind of query.

Data: the dossiers benchmark's generated province (``benchmarks.dossiers``:
1,000,000 dossiers, kept between runs). For each kind — full code, last 4 digits
of a code, the date and number of a code, name as typed with diacritics, the
same name without, its family and given names only ("nguyen an": a common pair,
thousands of dossiers at 1M), phone, ID number, tax code — ``BENCH_SEARCH_QUERIES``
different values are taken from real dossiers the searching officer may see,
and each is searched once (no repeated query warms its own rows): counting
(capped at 1,000) and the first page of 20, read the way the page reads them.
Then the same through the page itself (session, middleware, template, and the
audit row of ID searches).

Two officers: the desk officer of the unit with the most dossiers (one agency's
scope) and a provincial office member (the whole province).

Target: p95 ≤ 100 ms for each kind.
"""

from __future__ import annotations

import os
import random
import statistics
import time

from .harness import count_queries, report, signed_in_client

QUERIES = int(os.environ.get("BENCH_SEARCH_QUERIES", "100"))


def _officers():
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from dossiers.models import Dossier
    from tthc_portal.accounts.roles import Role
    from tthc_portal.agencies.models import Agency, StaffMembership
    from tthc_portal.agencies.selectors import staff_with_role

    busiest = (
        Dossier.objects.values("receiving_agency").annotate(n=Count("pk")).order_by("-n").first()
    )
    agency = Agency.objects.get(pk=busiest["receiving_agency"])
    desk = staff_with_role(agency, Role.DESK_OFFICER).order_by("pk").first()
    office = (
        get_user_model()
        .objects.filter(
            pk__in=StaffMembership.objects.filter(role=Role.PROVINCIAL_STAFF).values("user")
        )
        .order_by("pk")
        .first()
    )
    return [
        (f"desk officer, busiest unit ({agency.code}, {busiest['n']:,} dossiers)", desk),
        ("provincial office (whole province)", office),
    ]


def _samples(user, rng: random.Random) -> dict[str, list[str]]:
    """``QUERIES`` values per kind, from dossiers ``user`` may see."""
    from django.db.models import Max

    from dossiers.models import Dossier, Status
    from dossiers.selectors import dossiers_visible_to
    from tthc_portal.text import fold

    visible = dossiers_visible_to(user, consultations=False).exclude(status=Status.DRAFT)
    top = Dossier.objects.aggregate(m=Max("pk"))["m"]
    kinds: dict[str, list[str]] = {
        "code": [], "last 4 digits": [], "date and number (yymmdd-nnnn)": [],
        "name, accented": [], "name, unaccented": [],
        "family and given name, unaccented": [], "phone": [], "ID number": [],
        "tax code": [],
    }  # fmt: skip
    fields = ("code", "applicant_name", "applicant_phone", "applicant_id_number")
    attempts = 0
    while min(len(v) for v in kinds.values()) < QUERIES and attempts < QUERIES * 50:
        attempts += 1
        row = (
            visible.filter(pk__gte=rng.randrange(1, top + 1), code__isnull=False)
            .order_by("pk")
            .values_list(*fields)
            .first()
        )
        if row is None:
            continue
        code, name, phone, id_number = row
        business = len(id_number) in (10, 13)
        for kind, value in (
            ("code", code), ("last 4 digits", code[-4:]),
            ("date and number (yymmdd-nnnn)", code[-11:]),
            ("name, accented", name), ("name, unaccented", fold(name)),
            ("family and given name, unaccented", _family_and_given(fold(name))),
            ("phone", phone),
            ("ID number" if not business else "tax code", id_number),
        ):  # fmt: skip
            if value and len(kinds[kind]) < QUERIES and value not in kinds[kind]:
                kinds[kind].append(value)
    return kinds


def _family_and_given(name: str) -> str:
    """ "nguyen van an" → "nguyen an": two common words, many more dossiers
    (a person's name; a business name has no middle name to leave out)."""
    words = name.split()
    return f"{words[0]} {words[-1]}" if len(words) == 3 else ""


def _percentiles(samples: list[float]) -> str:
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    return f"median {statistics.median(samples):.1f} ms, p95 {p95:.1f} ms, max {samples[-1]:.0f} ms"


def _selector_run(user_pk: int, text: str) -> tuple[int, int]:
    """What the page reads: the user, the plan, the first ids (count and page), the rows."""
    from django.contrib.auth import get_user_model

    from dossiers.selectors_search import first_result_ids, page_dossiers, search_plan

    user = get_user_model().objects.get(pk=user_pk)
    ids = first_result_ids(user, search_plan(text))
    count, ids = len(ids), ids[:20]
    rows = [(d.code, d.applicant_name, d.procedure_version.name, d.receiving_agency.name,
             d.processing_agency.name if d.processing_agency else "", d.status, d.due_at)
            for d in page_dossiers(ids)]  # fmt: skip
    return count, len(rows)


def _vacuum() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) dossiers_dossier")


def _searches() -> None:
    from django.db import reset_queries
    from django.urls import reverse

    _vacuum()
    url = reverse("dossiers:staff_search")
    for label, user in _officers():
        samples = _samples(user, random.Random(f"search:{user.pk}"))
        client = signed_in_client(user)
        _selector_run(user.pk, "nguyen")  # per-process caches (content types, permissions)
        rows = []
        for kind, values in samples.items():
            if not values:
                rows.append((kind, "no such dossier in this officer's scope"))
                continue
            times, found, counts = [], [], []
            reset_queries()  # the log is a bounded deque: counts taken on a full one are wrong
            with count_queries() as queries:
                _selector_run(user.pk, values[0])
            for value in values:
                start = time.perf_counter()
                count, _shown = _selector_run(user.pk, value)
                times.append((time.perf_counter() - start) * 1000)
                found.append(count)
            page_times = []
            for value in values:
                start = time.perf_counter()
                response = client.get(url, {"q": value})
                page_times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, response.status_code
            reset_queries()
            with count_queries() as page_queries:
                client.get(url, {"q": values[0]})
            counts.append(len(queries.captured_queries))
            missing = sum(1 for n in found if n == 0)
            rows.append((f"{kind} ({len(values)} queries)",
                         f"selector {_percentiles(times)}, {counts[0]} queries; page "
                         f"{_percentiles(page_times)}, {len(page_queries.captured_queries)} "
                         f"queries; found median {statistics.median(found):,.0f}"
                         f"{f', {missing} found nothing' if missing else ''}"))  # fmt: skip
        report(f"Staff search, {label} (target p95 ≤ 100 ms per kind)", rows)


def run() -> None:
    from django.db import connection

    from .dossiers import _celery_in_memory, _ensure_data

    _celery_in_memory()
    started = time.perf_counter()
    prepared = _ensure_data()
    if prepared:
        report("Dossier data (synthetic)", prepared)
    if connection.vendor != "postgresql":
        print("  (SQLite: figures are indicative only; set DATABASE_URL to PostgreSQL)")
    _searches()
    print(f"\n  search benchmarks: {time.perf_counter() - started:.0f} s in all")
