"""``check --deploy --database default``: the receipt provider target in the
database is not the local simulator (the settings' address is tthc.E006 of
tthc_portal/web/checks.py; ``receipts_demo`` writes the target from it, but an
administrator may edit the row afterwards)."""

from __future__ import annotations

from django.core import checks
from django.db import DatabaseError

from tthc_portal.web.checks import DEMO_FLAG, demo_parts_allowed, is_loopback_url


@checks.register(checks.Tags.database, deploy=True)
def receipt_simulator_target_check(app_configs=None, databases=None, **kwargs):
    if not databases or demo_parts_allowed():
        return []
    from integrations.models import Target

    try:
        targets = list(
            Target.objects.filter(kind="receipts", is_active=True).values_list("code", "base_url")
        )
    except DatabaseError:
        return []  # not migrated yet: nothing can be issued either
    return [
        checks.Error(
            f"The active receipt provider target {code!r} is this machine ({url}): the local "
            "receipt simulator, whose receipts never reach the tax authority.",
            hint=f"Point the target at the provider's service in the admin, or set "
            f"{DEMO_FLAG}=true on a demonstration instance.",
            id="receipts.E001",
        )
        for code, url in targets
        if is_loopback_url(url)
    ]
