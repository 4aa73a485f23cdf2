"""Synthetic dossiers at a province's scale (shared/domain/scale.md §3).

``generate()`` is what ``manage.py generate_dossiers`` and the benchmarks call.
It makes sure the organisation (units, officers with their real role groups)
and the catalogue exist, then writes dossiers in batches with everything the
services would have written: status history per transition, workflow steps
with their due times and timeliness, clock pauses and supplement requests,
apologies, payments, components, results, codes and day sequences.
Running it again adds more dossiers; codes continue the day sequences.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Max
from django.utils import timezone

from . import profile
from .catalogue import ensure_catalogue, load_catalogue
from .clock import WorkingClock
from .maker import Maker
from .organisation import ensure_agencies, ensure_citizens, ensure_officers
from .rows import TABLES, Placeholder, RowWriter
from .sink import IdBlock, Sink

FATES = ("open", "submitted", "result_ready", *(name for name, _ in profile.OUTCOMES))


@dataclass
class Result:
    dossiers: int = 0
    rows: int = 0
    seconds: float = 0.0
    first_id: int | None = None
    last_id: int | None = None
    counts: dict[str, int] = field(default_factory=dict)


def plan_fates(count: int, open_share: float, rng: random.Random, only: str | None) -> list[str]:
    """Exact shares (largest remainder), shuffled: small runs still show every state."""
    if only:
        return [only] * count
    rest = 1 - open_share - profile.SUBMITTED_SHARE - profile.RESULT_READY_SHARE
    total = sum(w for _, w in profile.OUTCOMES)
    shares = [("open", open_share), ("submitted", profile.SUBMITTED_SHARE),
              ("result_ready", profile.RESULT_READY_SHARE),
              *((name, rest * w / total) for name, w in profile.OUTCOMES)]  # fmt: skip
    exact = [(name, share * count) for name, share in shares]
    counts = {name: int(value) for name, value in exact}
    left = count - sum(counts.values())
    for name, _value in sorted(exact, key=lambda e: e[1] - int(e[1]), reverse=True)[:left]:
        counts[name] += 1
    fates = [name for name, n in counts.items() for _ in range(n)]
    rng.shuffle(fates)
    return fates


def _tet_factors(clock: WorkingClock) -> dict[date, float]:
    """The quiet weeks before Tết and the rush in the first week back (§3.3)."""
    factors: dict[date, float] = {}
    calendar = clock.calendar
    for year in range(clock.days[0].year, clock.days[-1].year + 1):
        run, best = [], []
        day = date(year, 1, 10)
        while day <= date(year, 2, 28):
            if not calendar.is_working_day(day):
                run.append(day)
            else:
                best, run = (run if len(run) > len(best) else best), []
            day += timedelta(days=1)
        best = run if len(run) > len(best) else best
        if len(best) < 5:
            continue
        for offset in range(1, 22):
            factors[best[0] - timedelta(days=offset)] = profile.TET_MONTH_FACTOR
        after = [d for d in clock.days if d > best[-1]][:5]
        for d in after:
            factors[d] = profile.AFTER_TET_FACTOR
    return factors


def arrival_days(clock: WorkingClock, first: date, today: date, count: int,
                 rng: random.Random) -> list[int]:  # fmt: skip
    """Working-day indices of receipt, weighted by weekday, December and Tết; sorted."""
    tet = _tet_factors(clock)
    indices, weights = [], []
    for index, day in enumerate(clock.days):
        if first <= day < today:
            factor = profile.WEEKDAY_FACTORS[day.weekday()] if day.weekday() < 5 else 1.0
            if day.month == 12:
                factor *= profile.DECEMBER_FACTOR
            indices.append(index)
            weights.append(factor * tet.get(day, 1.0))
    if not indices:
        return []
    return sorted(rng.choices(indices, weights=weights, k=count))


def _placeholders() -> dict[str, Placeholder]:
    """Two small real PDFs every generated file row points at (no per-row files)."""
    import hashlib

    result = {}
    for key, title in (("component", "Giay to mau"), ("result", "Ket qua mau")):
        path = f"generated/{key}.pdf"
        if not default_storage.exists(path):
            default_storage.save(path, ContentFile(_tiny_pdf(title)))
        with default_storage.open(path, "rb") as handle:
            content = handle.read()
        result[key] = Placeholder(path, len(content), hashlib.sha256(content).hexdigest())
    return result


def _tiny_pdf(text: str) -> bytes:
    stream = f"BT /F1 18 Tf 72 760 Td ({text} - du lieu sinh tu dong) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)  # fmt: skip
    return bytes(out)


def _ensure_calendar(first_year: int, last_year: int, log) -> None:
    from tthc_portal.workdays import services
    from tthc_portal.workdays.models import CalendarException

    if not CalendarException.objects.exists():
        log(f"  calendar: {services.calendar_load_file()} official entries loaded")
    filled = services.calendar_fill_from_package(list(range(first_year, last_year + 1)))
    if filled:
        log(f"  calendar: {filled} generic holidays added for years the official file lacks")


def generate(*, count: int, seed: int = 42, open_share: float = 0.04, years: float = 1,
             batch: int = 50_000, departments: int = profile.DEPARTMENTS,
             communes: int = profile.COMMUNES, procedures: int = profile.PROCEDURES,
             only: str | None = None, now: datetime | None = None,
             log: Callable[[str], None] = print) -> Result:  # fmt: skip
    from dossiers.models import DailySequence, Dossier, DossierCodeFormat, DossierStep
    from tthc_portal.workdays.services import get_calendar

    if only is not None and only not in FATES:
        raise ValueError(f"unknown dossier state {only!r}; choose from {', '.join(FATES)}")
    started = time.perf_counter()
    now = now or timezone.now()
    today = timezone.localdate(now)
    first = today - timedelta(days=round(365 * years))
    # Different runs must not repeat each other's random identifiers.
    rng = random.Random(f"{seed}:{Dossier.objects.aggregate(m=Max('pk'))['m']}")
    log("Preparing the province, the catalogue and the calendar…")
    _ensure_calendar(first.year - 1, today.year + 2, log)
    calendar = get_calendar()
    province, department_agencies, commune_agencies = ensure_agencies(departments, communes)
    organisation = ensure_officers(province, department_agencies, commune_agencies,
                                   random.Random(seed), log)  # fmt: skip
    ensure_catalogue(procedures, department_agencies, log)
    catalogue = load_catalogue(procedures)
    wanted = int(count * 0.5 * profile.CITIZENS_PER_ONLINE_DOSSIER)
    ensure_citizens(organisation, min(profile.MAX_CITIZENS, max(20, wanted)),
                    random.Random(seed + 1), log)  # fmt: skip
    clock = WorkingClock(calendar, first - timedelta(days=400), today + timedelta(days=800))
    clock.self_check(random.Random(seed))
    agency_ids = [u.id for u in (*organisation.departments, *organisation.communes)]
    sequences = {
        (agency, day): value
        for agency, day, value in DailySequence.objects.filter(
            agency_id__in=agency_ids, day__gte=first - timedelta(days=400)
        ).values_list("agency_id", "day", "last_value")
    }
    code_formats = list(
        DossierCodeFormat.objects.order_by("-valid_from").values_list(
            "valid_from", "template", "sequence_digits"
        )
    )
    if not code_formats:
        raise RuntimeError("No dossier code format is configured (DossierCodeFormat).")
    sink = Sink()
    writer = RowWriter(clock, now, code_formats, sequences, _placeholders(), rng)
    block = max(1, min(batch, count))
    maker = Maker(clock=clock, calendar=calendar, organisation=organisation,
                  catalogue=catalogue, writer=writer, rng=rng, now=now,
                  dossier_ids=IdBlock(sink, Dossier, block),
                  step_ids=IdBlock(sink, DossierStep, block * 6))  # fmt: skip
    fates = plan_fates(count, open_share, rng, only)
    dated = [f for f in fates if f not in ("open", "submitted", "result_ready")]
    days = iter(arrival_days(clock, first, today, len(dated), rng))
    items = [(fate, next(days)) for fate in dated]
    items += [(fate, None) for fate in fates if fate in ("open", "submitted", "result_ready")]
    result = Result()
    log(f"Generating {count:,} dossiers in batches of {block:,} "
        f"({'COPY' if sink.postgres else 'bulk insert'}; {len(catalogue):,} procedures, "
        f"{len(agency_ids)} units)…")  # fmt: skip
    batches = (len(items) + block - 1) // block
    try:
        for number in range(batches):
            tick = time.perf_counter()
            for fate, day in items[number * block : (number + 1) * block]:
                maker.make(fate, day)
            rows = sum(len(r) for r in writer.rows.values())
            dossiers = len(writer.rows[Dossier])
            ids = [r[0] for r in writer.rows[Dossier]]
            result.first_id = min(ids) if result.first_id is None else result.first_id
            result.last_id = max(ids)
            sink.write(writer.tables(), dict(writer.touched))
            writer.reset()
            result.dossiers += dossiers
            result.rows += rows
            spent = time.perf_counter() - tick
            rate = f"{rows / spent:,.0f} rows/s, {dossiers / spent:,.0f} dossiers/s"
            log(f"  batch {number + 1}/{batches}: {dossiers:,} dossiers, {rows:,} rows "
                f"in {spent:.1f} s ({rate})")  # fmt: skip
    finally:
        sink.close()
    # The rows are COPYed without the instants the sweep compares with the
    # clock: stored now, for every open row, exactly as the services do.
    from dossiers.services.deadlines_backfill import due_soon_backfill

    tick = time.perf_counter()
    filled = due_soon_backfill(calendar)
    log(f"  due-soon instants: {filled[0]:,} open dossiers, {filled[1]:,} open steps "
        f"in {time.perf_counter() - tick:.1f} s")  # fmt: skip
    sink.analyze([model for model, _ in TABLES] + [DailySequence])
    result.seconds = time.perf_counter() - started
    result.counts = dict(maker.counts)
    log(f"Done: {result.dossiers:,} dossiers and {result.rows:,} rows in {result.seconds:.1f} s "
        f"({result.rows / max(result.seconds, 1e-9):,.0f} rows/s overall).")  # fmt: skip
    return result
