"""``{% dossier_outcome dossier %}``: the outcome block of the citizen's dossier
page (apology, signed result and its signature check, stop notice, withdrawal
link), read through the casework selectors so the page view stays as it is."""

from __future__ import annotations

from django import template

from ..models import Dossier, Status
from ..selectors_casework import WITHDRAWABLE, dossier_apology, signed_result_report, stop_notice

register = template.Library()
RESULT_STATUSES = (Status.RESULT_READY, Status.RETURNED, Status.ARCHIVED)


@register.inclusion_tag("dossiers/citizen/_result.html", takes_context=True)
def dossier_outcome(context: template.Context, dossier: Dossier) -> dict:
    stopped = dossier.status in (Status.WITHDRAWN, Status.STOPPED)
    return {
        # The stop notice's retry button posts a form.
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
        "dossier": dossier,
        "apology": dossier_apology(dossier),
        "signed": signed_result_report(dossier) if dossier.status in RESULT_STATUSES else None,
        "stop_notice": stop_notice(dossier) if stopped else None,
        "can_withdraw": dossier.status in WITHDRAWABLE,
    }
