"""Celery tasks stay thin: they call a service."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="indicators.tasks.compute_current_period")
def compute_current_period_task() -> int:
    """Beat job (nightly): recompute and store the open month for every unit."""
    from django.utils import timezone

    from tthc_portal.agencies.models import Agency

    from . import engine
    from .models import IndexRuleSet
    from .periods import month_period

    today = timezone.localdate()
    rule_set = IndexRuleSet.in_force(today)
    label = f"{today:%Y-%m}"
    if rule_set.period_start_day > 1 and today.day >= rule_set.period_start_day:
        # 15th–14th periods are named after the month they end in.
        label = f"{today.year + (today.month == 12)}-{today.month % 12 + 1:02d}"
    start, end = month_period(label, rule_set.period_start_day)
    ids = list(Agency.objects.filter(is_active=True).values_list("pk", flat=True))
    return engine.store(engine.compute(start, end, ids), start, end, rule_set)
