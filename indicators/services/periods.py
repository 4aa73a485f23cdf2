"""Report periods: open, compute (now or in the background), publish and freeze.

A period's results are replaced by every recomputation while it is open.
Publishing freezes them: recomputation is refused from then on and nothing
here writes to a published period's rows again (indicators-766.md §5).
"""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.selectors import period_bounds
from tthc_portal.agencies.models import Agency
from tthc_portal.agencies.selectors import province_root
from tthc_portal.audit.services import audit_record

from .. import engine
from ..models import (
    ACTIVE_RUN_STATUSES,
    IndexRuleSet,
    IndicatorResult,
    RecomputeRun,
    ReportPeriod,
    RunKind,
    RunStatus,
)
from ..periods import (
    containing_labels,
    current_month_label,
    parse_label,
    previous_label,
    previous_month_label,
)
from . import IndicatorError

logger = logging.getLogger(__name__)

# A queued or running computation older than this is taken as dead (worker lost).
STALE_RUN = datetime.timedelta(hours=2)
BULK_BATCH = 1000
RECENT_DAYS = 31


# --- opening ------------------------------------------------------------------------------------


def period_get_or_create(label: str, *, reporting_15th: bool = False) -> ReportPeriod:
    """The period named ``label`` ("2025-05", "2025-Q2", "2025"), opened with the
    rule set in force on its first day if it does not exist yet."""
    try:
        normal, kind, start, end = parse_label(label, reporting_15th=reporting_15th)
    except ValueError:
        raise IndicatorError(
            _(
                "Kỳ “%(label)s” không hợp lệ: nhập tháng (ví dụ 2025-05), "
                "quý (2025-Q2) hoặc năm (2025)."
            )
            % {"label": label}
        ) from None
    existing = ReportPeriod.objects.filter(label=normal, reporting_15th=reporting_15th).first()
    if existing is not None:
        return existing
    try:
        rule_set = IndexRuleSet.in_force(start)
    except IndexRuleSet.DoesNotExist:
        raise IndicatorError(
            _("Chưa có bộ chỉ số 766 áp dụng cho kỳ bắt đầu ngày %(day)s.")
            % {"day": f"{start:%d/%m/%Y}"}
        ) from None
    period, _created = ReportPeriod.objects.get_or_create(
        label=normal,
        reporting_15th=reporting_15th,
        defaults={"kind": kind, "start": start, "end": end, "rule_set": rule_set},
    )
    return period


def period_current(
    today: datetime.date | None = None, *, reporting_15th: bool | None = None
) -> ReportPeriod:
    """The month period containing ``today`` (15th–14th if the rule set says so)."""
    today = today or timezone.localdate()
    if reporting_15th is None:
        reporting_15th = IndexRuleSet.in_force(today).period_start_day > 1
    return period_get_or_create(
        current_month_label(today, reporting_15th=reporting_15th), reporting_15th=reporting_15th
    )


def periods_to_refresh(
    today: datetime.date | None = None, *, kinds: tuple[str, ...] = ("month", "quarter", "year")
) -> list[ReportPeriod]:
    """The periods the nightly job recomputes (issue #14, item 9): for each kind
    — month, quarter, year — the one containing ``today`` and, for a month after
    its end, the one before it, oldest first within a kind.
    Published periods are included; the caller skips them."""
    today = today or timezone.localdate()
    reporting_15th = IndexRuleSet.in_force(today).period_start_day > 1
    found = []
    labels = containing_labels(today, reporting_15th=reporting_15th)
    for label in (labels[kind] for kind in kinds):
        before = previous_label(label)
        # The period before stops moving a month after its end (the month before
        # always qualifies); later corrections show as deltas.
        _label, _kind, _start, end = parse_label(before, reporting_15th=reporting_15th)
        for name in [before] * ((today - end).days <= RECENT_DAYS) + [label]:
            try:
                found.append(period_get_or_create(name, reporting_15th=reporting_15th))
            except IndicatorError:  # no rule set in force then: nothing to compute
                logger.info("No 766 rule set for period %s", name)
    return found


def period_previous(period: ReportPeriod) -> ReportPeriod:
    """The month before a month period (same variant)."""
    return period_get_or_create(
        previous_month_label(period.label), reporting_15th=period.reporting_15th
    )


# --- guards -------------------------------------------------------------------------------------


def _require_view(actor, agency: Agency | None) -> None:
    """Computing is open to the system (``actor=None``) and to whoever may view
    the unit's indicators (the province root for a whole-province run)."""
    if actor is None:
        return
    target = agency or province_root()
    if target is None or not actor.has_perm("agencies.view_indicators", target):
        raise PermissionDenied("view_indicators")


def _published_error(period: ReportPeriod) -> IndicatorError:
    if period.published_at is None:
        return IndicatorError(
            _("Kỳ %(period)s đã được công bố: số liệu đã chốt, không thể tính lại.")
            % {"period": period.title}
        )
    return IndicatorError(
        _("Kỳ %(period)s đã được công bố lúc %(when)s: số liệu đã chốt, không thể tính lại.")
        % {
            "period": period.title,
            "when": f"{timezone.localtime(period.published_at):%H:%M %d/%m/%Y}",
        }
    )


def _lock_open(period: ReportPeriod) -> ReportPeriod:
    """Lock the period row; refuse if published; retire runs a lost worker left behind."""
    period = ReportPeriod.objects.select_for_update().get(pk=period.pk)
    if period.is_published:
        raise _published_error(period)
    RecomputeRun.objects.filter(
        period=period,
        status__in=ACTIVE_RUN_STATUSES,
        created_at__lt=timezone.now() - STALE_RUN,
    ).update(
        status=RunStatus.FAILED,
        finished_at=timezone.now(),
        message=_("Quá thời gian chờ: lượt tính đã bị hủy."),
    )
    return period


# --- computing and storing ----------------------------------------------------------------------


def _scope_for(agency: Agency | None) -> engine.Scope:
    """Whole province: every active unit and the province row. One unit: it and
    the active units under it (the province row is left alone)."""
    if agency is None:
        return engine.resolve_scope(None)
    ids = Agency.objects.filter(path__startswith=agency.path, is_active=True).values_list(
        "pk", flat=True
    )
    return engine.resolve_scope(list(ids))


def period_compute(
    period: ReportPeriod,
    agency: Agency | None = None,
    progress: engine.Progress | None = None,
    *,
    now: datetime.datetime | None = None,
    on_rows=None,
) -> list[engine.CriterionResult]:
    """Compute without storing (whole province with its row, or one unit and its
    subtree): the score now (open items judged at ``min(now, period end)``),
    each result carrying the forecast at the period end."""
    scope = _scope_for(agency)
    inputs = engine.gather(
        period.start,
        period.end,
        scope,
        rule_set=period.rule_set,
        kind=period.kind,
        now=now or timezone.now(),
        progress=progress,
        on_rows=on_rows,
    )
    if hasattr(on_rows, "take_inputs"):  # publication freezes its lists from these
        on_rows.take_inputs(inputs, scope)
    return engine.score_both(inputs, scope, province=agency is None)


def _results_replace(
    period: ReportPeriod, results: list[engine.CriterionResult], agency: Agency | None
) -> int:
    """Replace the period's rows for the computed units. Caller holds the period
    lock and has checked that it is open."""
    now = timezone.now()
    _since, until = period_bounds(period.start, period.end)
    rows = IndicatorResult.objects.filter(period=period)
    if agency is not None:
        rows = rows.filter(agency_id__in={r.agency_id for r in results})
    rows.delete()
    IndicatorResult.objects.bulk_create(
        (
            IndicatorResult(
                period=period,
                rule_set_id=period.rule_set_id,
                period_start=period.start,
                period_end=period.end,
                agency_id=r.agency_id,
                criterion_code=r.code,
                group_code=r.group_code,
                numerator=r.numerator,
                denominator=r.denominator,
                ratio=r.ratio,
                score=r.score,
                max_points=r.max_points,
                observable=r.observable,
                source=r.source,
                note=r.note[:255],
                computed_at=now,
                judged_at=min(now, until),
                forecast_numerator=r.forecast_numerator,
                forecast_ratio=r.forecast_ratio,
                forecast_score=r.forecast_score,
            )
            for r in results
        ),
        batch_size=BULK_BATCH,
    )
    period.computed_at = now
    period.save(update_fields=["computed_at"])
    return len(results)


def _finish(run: RecomputeRun, count: int) -> None:
    run.status = RunStatus.DONE
    run.progress = 100
    run.results_count = count
    run.finished_at = timezone.now()
    run.message = _("Đã tính xong %(n)s kết quả.") % {"n": count}
    run.save(update_fields=["status", "progress", "results_count", "finished_at", "message"])


@transaction.atomic
def period_recompute(*, actor, period: ReportPeriod, agency: Agency | None = None) -> RecomputeRun:
    """Compute and store now, in one transaction (the nightly job and the command)."""
    _require_view(actor, agency)
    period = _lock_open(period)
    if period.runs.filter(status__in=ACTIVE_RUN_STATUSES).exists():
        raise IndicatorError(_("Kỳ này đang được tính lại, vui lòng chờ trong giây lát."))
    run = RecomputeRun.objects.create(
        period=period,
        agency=agency,
        status=RunStatus.RUNNING,
        requested_by=actor,
        started_at=timezone.now(),
    )
    count = _results_replace(period, period_compute(period, agency), agency)
    _finish(run, count)
    audit_record(
        actor=actor,
        action="indicator_period.recompute",
        target=period,
        after={"agency": agency.code if agency else None, "results": count},
    )
    return run


def period_recompute_async(*, actor, period: ReportPeriod) -> RecomputeRun:
    """Queue a whole-province computation; the page polls the returned run.
    A computation already queued or running is returned instead of a second one."""
    from ..tasks import recompute_period_task

    _require_view(actor, None)
    with transaction.atomic():
        period = _lock_open(period)
        active = period.runs.filter(status__in=ACTIVE_RUN_STATUSES).first()
        if active is not None and active.kind == RunKind.PUBLISH:
            raise IndicatorError(_("Kỳ này đang được công bố, vui lòng chờ trong giây lát."))
        if active is not None:
            return active
        run = RecomputeRun.objects.create(
            period=period, requested_by=actor, message=_("Đang chờ đến lượt tính.")
        )
        audit_record(actor=actor, action="indicator_period.recompute_queued", target=period)
        # robust: with the broker down the page still answers and the run stays
        # queued; recompute_runs_requeue sends it once the broker is back.
        transaction.on_commit(lambda: recompute_period_task.delay(run.pk), robust=True)
    return run


def recompute_runs_requeue(*, older_than_seconds: int = 120) -> list[int]:
    """Send again the queued runs nobody has taken after ``older_than_seconds``
    (their dispatch was lost: broker down, worker killed). Idempotent: a run is
    only ever executed by the caller that wins ``run_execute``'s claim.
    Runs older than STALE_RUN are left to ``_lock_open``, which retires them."""
    from ..tasks import recompute_period_task

    now = timezone.now()
    ids = list(
        RecomputeRun.objects.filter(
            status=RunStatus.QUEUED,
            created_at__lt=now - datetime.timedelta(seconds=older_than_seconds),
            created_at__gte=now - STALE_RUN,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    sent = []
    for run_id in ids:
        try:
            recompute_period_task.delay(run_id)
        except Exception:  # broker still down: the next sweep tries again
            logger.warning("Recompute run %s not sent: broker unavailable", run_id, exc_info=True)
            break
        sent.append(run_id)
    return sent


def run_execute(*, run_id: int) -> RecomputeRun:
    """Carry out a queued run (the Celery task): counts outside any transaction,
    updating ``progress`` as it goes, then stores under the period lock."""
    taken = RecomputeRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING,
        started_at=timezone.now(),
        progress=1,
        message=_("Đang bắt đầu tính."),
    )
    run = RecomputeRun.objects.select_related("period__rule_set", "agency").get(pk=run_id)
    if not taken:
        return run  # already taken by another worker, or finished

    def progress(percent: int, message: str) -> None:
        RecomputeRun.objects.filter(pk=run_id).update(
            progress=max(1, min(percent, 99)), message=str(message)[:500]
        )

    try:
        if run.period.is_published:
            raise _published_error(run.period)
        if run.kind == RunKind.PUBLISH:
            from .publication import publication_execute

            publication_execute(run, progress)
            run.refresh_from_db()
            return run
        results = period_compute(run.period, run.agency, progress)
        progress(95, _("Đang lưu kết quả."))
        with transaction.atomic():
            period = _lock_open(run.period)
            count = _results_replace(period, results, run.agency)
            _finish(run, count)
            audit_record(
                actor=run.requested_by,
                action="indicator_period.recompute",
                target=period,
                after={"run": run.pk, "results": count},
            )
    except IndicatorError as exc:
        _fail(run_id, exc.message)
    except Exception:
        if run.kind == RunKind.PUBLISH:
            _fail(
                run_id,
                _(
                    "Lỗi hệ thống khi công bố; kỳ vẫn chưa được công bố, có thể công bố lại. "
                    "Quản trị viên đã được ghi nhận."
                ),
            )
        else:
            _fail(run_id, _("Lỗi hệ thống khi tính chỉ số; quản trị viên đã được ghi nhận."))
        raise
    run.refresh_from_db()
    return run


def _fail(run_id: int, message: str) -> None:
    RecomputeRun.objects.filter(pk=run_id).update(
        status=RunStatus.FAILED, finished_at=timezone.now(), message=str(message)[:500]
    )


# --- publishing ---------------------------------------------------------------------------------


def period_publish(*, actor, period: ReportPeriod) -> ReportPeriod:
    """Freeze the period's figures now, in this process (tests and commands).

    The page publishes in the background (``publication.period_publish_async``);
    both compute the whole province once more and store, with the frozen
    scores, the items behind them (``FrozenCase``) in one final transaction.
    Only a period that has ended can be published."""
    from .publication import period_publish as publish_now

    return publish_now(actor=actor, period=period)
