"""Publishing a period in the background (issue #14): recompute, freeze the
failing items, then mark the period published — in ONE final transaction.

At 1M dossiers a publication takes minutes, longer than a web request may
last, so the "Công bố" button queues a ``RecomputeRun`` of kind ``publish``
that the worker carries out (``periods.run_execute``) while the page polls
its progress. Counting and listing happen outside any transaction, with
progress; storing the results and the frozen items and flipping the period
to published happen together under the period lock, after re-checking that
nothing changed its state meanwhile. Until that commit the period is open and
has no frozen items; a failure rolls it all back and leaves the run failed
with a Vietnamese message, after which publishing again works.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tthc_portal.agencies.selectors import province_root
from tthc_portal.audit.services import audit_record
from tthc_portal.web.public_cache import INDICATORS, public_pages_invalidate

from ..models import (
    ACTIVE_RUN_STATUSES,
    PeriodStatus,
    RecomputeRun,
    ReportPeriod,
    RunKind,
    RunStatus,
)
from . import IndicatorError, frozen

logger = logging.getLogger(__name__)

Progress = Callable[[int, str], None]
# Share of the bar the engine's counting takes; listing and storing take the rest.
COMPUTE_SHARE = 0.8


def _require_publish(actor) -> None:
    """Publishing is the province's (``publish_indicators`` on the province root)."""
    province = province_root()
    if (
        actor is None
        or province is None
        or not actor.has_perm("agencies.publish_indicators", province)
    ):
        raise PermissionDenied("publish_indicators")


def _require_ended(period: ReportPeriod) -> None:
    if period.end >= timezone.localdate():
        raise IndicatorError(
            _("Kỳ %(period)s chưa kết thúc (đến hết ngày %(end)s): chưa thể công bố.")
            % {"period": period.title, "end": f"{period.end:%d/%m/%Y}"}
        )


def period_publish_async(*, actor, period: ReportPeriod) -> RecomputeRun:
    """Queue the publication of ``period``; the page polls the returned run.

    A publication already queued or running is returned instead of a second
    one (the period row is locked, and at most one active run per period is a
    database constraint), so two clicks on "Công bố" make one run."""
    return _queue(actor, period, inline=False)


def _queue(actor, period: ReportPeriod, *, inline: bool) -> RecomputeRun:
    """The publication run of ``period``: a new one, sent to the worker after
    commit unless it is to run ``inline``; the active one if already asked for."""
    from ..tasks import recompute_period_task
    from .periods import _lock_open

    _require_publish(actor)
    with transaction.atomic():
        period = _lock_open(period)
        _require_ended(period)
        active = period.runs.filter(status__in=ACTIVE_RUN_STATUSES).first()
        if active is not None:
            if active.kind == RunKind.PUBLISH and not inline:
                return active
            if active.kind == RunKind.PUBLISH:
                raise IndicatorError(_("Kỳ này đang được công bố, vui lòng chờ trong giây lát."))
            raise IndicatorError(
                _("Kỳ này đang được tính lại; vui lòng công bố sau khi tính xong.")
            )
        run = RecomputeRun.objects.create(
            period=period,
            kind=RunKind.PUBLISH,
            requested_by=actor,
            message=_("Đang chờ đến lượt công bố."),
        )
        audit_record(actor=actor, action="indicator_period.publish_queued", target=period)
        if not inline:
            # robust: with the broker down the page still answers; the run stays
            # queued and recompute_runs_requeue sends it once the broker is back.
            transaction.on_commit(lambda: recompute_period_task.delay(run.pk), robust=True)
    return run


def period_publish(*, actor, period: ReportPeriod) -> ReportPeriod:
    """Publish now, in the caller's process (tests and commands): the same run
    and the same steps as the background path. Raises the run's message if it fails."""
    from .periods import run_execute

    run = _queue(actor, period, inline=True)
    run = run_execute(run_id=run.pk)
    if run.status != RunStatus.DONE:
        raise IndicatorError(run.message)
    return ReportPeriod.objects.select_related("published_by").get(pk=period.pk)


def publication_execute(run: RecomputeRun, progress: Progress) -> None:
    """The worker's part of a publication run (claimed by ``run_execute``)."""
    from .periods import _finish, _lock_open, _published_error, _results_replace, period_compute

    period = run.period
    if period.is_published:
        raise _published_error(period)
    collector = frozen.DossierCollector(period)
    collector.progress = lambda percent, message: progress(int(percent * COMPUTE_SHARE), message)
    results = period_compute(period, None, collector.progress, on_rows=collector)
    progress(int(100 * COMPUTE_SHARE) + 2, _("Đang lập danh sách các mục mất điểm."))
    rows = frozen.cases_collect(period, collector)
    progress(
        int(100 * COMPUTE_SHARE) + 10,
        _("Đang lưu %(n)s mục mất điểm và công bố kỳ.") % {"n": f"{len(rows):,}".replace(",", ".")},
    )
    with transaction.atomic():
        period = _lock_open(period)  # refuses if someone published it meanwhile
        claimed = RecomputeRun.objects.select_for_update().get(pk=run.pk)
        if claimed.status != RunStatus.RUNNING:
            raise IndicatorError(
                _("Lượt công bố đã bị hủy (quá thời gian chờ); vui lòng công bố lại.")
            )
        _require_ended(period)
        try:
            _require_publish(run.requested_by)
        except PermissionDenied:
            raise IndicatorError(
                _("Người yêu cầu không còn quyền công bố kết quả chỉ số 766.")
            ) from None
        count = _results_replace(period, results, None)
        frozen.cases_store(period, rows)
        period.status = PeriodStatus.PUBLISHED
        period.published_at = timezone.now()
        period.published_by = run.requested_by
        period.cases_frozen_at = period.published_at
        period.save(update_fields=["status", "published_at", "published_by", "cases_frozen_at"])
        _finish(run, count)
        run.message = _(
            "Đã công bố kết quả %(period)s; số liệu của kỳ đã được chốt "
            "(%(n)s kết quả, %(m)s mục mất điểm)."
        ) % {"period": period.title, "n": count, "m": len(rows)}
        run.save(update_fields=["message"])
        total = sum(r.score for r in period.results.filter(agency__isnull=True).only("score"))
        audit_record(
            actor=run.requested_by,
            action="indicator_period.publish",
            target=period,
            before={"status": PeriodStatus.OPEN},
            after={
                "status": PeriodStatus.PUBLISHED,
                "province_total": total,
                "run": run.pk,
                "frozen_cases": len(rows),
            },
        )
        # The public 766 report pages are cached until a period is published.
        transaction.on_commit(lambda: public_pages_invalidate(INDICATORS))


__all__ = ["period_publish", "period_publish_async", "publication_execute"]
