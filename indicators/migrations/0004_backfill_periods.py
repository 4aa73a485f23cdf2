"""Every stored result gets its period; criteria get their data source."""

import calendar
import datetime

from django.db import migrations

SOURCES = {
    "1.1": "catalogue",
    "1.2": "catalogue",
    "1.3": "catalogue",
    "1.4": "flags",
    "3.1": "catalogue",
    "3.2": "catalogue",
    "3.3": "flags",
    "3.5": "catalogue",
    "3.5b": "catalogue",
    "4.5a": "flags",
    "4.5b": "flags",
    "4.6": "unavailable",
}


def _describe(start, end):
    """(label, kind, reporting_15th) of stored dates, as the period labels name them."""
    fifteenth = start.day == 15 and end.day == 14
    whole_months = start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]
    if not (fifteenth or whole_months):
        return f"{start:%Y%m%d}-{end:%m%d}", "month", False
    months = (end.year - start.year) * 12 + end.month - start.month + (0 if fifteenth else 1)
    if months == 12 and end.month == 12:
        return f"{end.year}", "year", fifteenth
    if months == 3 and end.month % 3 == 0:
        return f"{end.year}-Q{end.month // 3}", "quarter", fifteenth
    return f"{end:%Y-%m}", "month", fifteenth


def forwards(apps, schema_editor):
    Criterion = apps.get_model("indicators", "Criterion")
    for code, source in SOURCES.items():
        Criterion.objects.filter(code=code).update(source=source)
    Result = apps.get_model("indicators", "IndicatorResult")
    Period = apps.get_model("indicators", "ReportPeriod")
    rows = Result.objects.values_list("period_start", "period_end", "rule_set_id").distinct()
    now = datetime.datetime.now(datetime.timezone.utc)
    for start, end, rule_set_id in rows:
        label, kind, fifteenth = _describe(start, end)
        period, _ = Period.objects.get_or_create(
            start=start,
            end=end,
            defaults={
                "label": label,
                "kind": kind,
                "reporting_15th": fifteenth,
                "rule_set_id": rule_set_id,
                "computed_at": now,
            },
        )
        Result.objects.filter(period_start=start, period_end=end).update(period=period)


class Migration(migrations.Migration):
    dependencies = [("indicators", "0003_periods")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
