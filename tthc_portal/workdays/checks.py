"""``check --deploy`` warns when a year's official holidays are missing."""

from __future__ import annotations

from django.core import checks
from django.db import DatabaseError


# Deploy-only, so the query runs on `check --deploy` and never on other commands.
@checks.register("tthc", deploy=True)
def check_holiday_years(app_configs=None, databases=None, **kwargs) -> list[checks.CheckMessage]:
    from .official import calendar_missing_years

    try:
        missing = calendar_missing_years()
    except DatabaseError:
        return []  # not migrated yet: `migrate` installs the calendar
    return [
        checks.Warning(
            f"No public holidays are recorded for {year}: deadlines that cross "
            f"{year}'s holidays will be computed too early.",
            hint=(
                "Install the official calendar for that year (manage.py workdays load "
                "--file <file>) or enter its days on the working calendar page."
            ),
            id="tthc.W101",
        )
        for year in missing
    ]
