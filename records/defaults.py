"""The province's default retention periods, used where a procedure version has no
``RetentionRule`` of its own.

Unconfirmed (desk-operations §4): the sector periods were not found; 5–10 years
is the usual range for ordinary one-stop dossiers. A deployment overrides them in
``settings.TTHC`` (``RECORDS_DOSSIER_YEARS``, ``RECORDS_RESULT_YEARS`` with 0 =
permanent, ``RECORDS_REMOVAL_MONTHS``) until the Department of Home Affairs
confirms the periods; the values below apply when the settings name none."""

from __future__ import annotations

from django.conf import settings

DOSSIER_YEARS = 10
RESULT_YEARS = 0  # permanent: results often create a lasting status
# A dossier the reviewer took off a list is not proposed again for this long.
REMOVAL_MONTHS = 12


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, "TTHC", {}).get(name, default))


def dossier_years() -> int:
    return _setting("RECORDS_DOSSIER_YEARS", DOSSIER_YEARS)


def result_years() -> int | None:
    """None: results are kept permanently."""
    return _setting("RECORDS_RESULT_YEARS", RESULT_YEARS) or None


def removal_months() -> int:
    return _setting("RECORDS_REMOVAL_MONTHS", REMOVAL_MONTHS)
