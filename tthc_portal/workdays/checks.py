"""``check --deploy`` warns when a year's official holidays are missing."""

from __future__ import annotations

from django.core import checks


# Deploy-only, so the query runs on `check --deploy` and never on other commands.
@checks.register("tthc", deploy=True)
def check_holiday_years(app_configs=None, databases=None, **kwargs) -> list[checks.CheckMessage]:
    from .official import calendar_missing_years

    try:
        missing = calendar_missing_years()
    except Exception:  # a check must not crash `check`: no database, nothing to say
        return []
    return [
        checks.Warning(
            f"No announced public holidays are recorded for {year}: deadlines that cross "
            f"{year}'s holidays may be computed wrongly.",
            hint=(
                "Install the official calendar for that year (manage.py workdays load "
                "--file <file>) or enter its days on the working calendar page."
            ),
            id="tthc.W101",
        )
        for year in missing
    ]
