"""Catalogue and publication data around the worked example's commune.

Procedures (besides the example's "fee" and "free", both the commune's own,
partial online, for citizens):

* ``offline``: the commune's, no online service, missing its steps (1.3);
* ``generic``: commune level without a named agency (every commune's), full
  online, fee-bearing, no dossier;
* ``department``: a department's, partial online, fee-bearing;
* ``internal``: an internal procedure (never counted).

Publication decisions dated in the period 15/03–14/04/2025 (1.1, 1.2):

* task 1, decided 20/03 (due 25/03), posted 21/03 (due 27/03): "fee", code X.1 — on time;
* task 2, decided 01/04 (due 28/03: late), posted 10/04 (due 08/04: late): "fee" again
  (late once ⇒ late for the period), "free";
* task 3, decided 10/04 (no legal-basis date), not posted (due 17/04): "offline";
* a standardised item (not a publication change for 1.1).
"""

from __future__ import annotations

from datetime import date

import pytest

from procedures.models import (
    ChangeType,
    Level,
    MinistryDecision,
    OnlineLevel,
    PublicationItem,
    PublicationTask,
)
from tests.factories import AgencyFactory, UserFactory
from tests.procedures.factories import published_procedure


@pytest.fixture
def catalogue_example(commune, procedures):
    department = AgencyFactory(name="Sở Thử", parent=commune.parent)
    made = {
        "fee": procedures["fee"].procedure,
        "free": procedures["free"].procedure,
        "offline": published_procedure(
            implementing_agency=commune, online_level=OnlineLevel.NONE, fees=0, steps_text=""
        ),
        "generic": published_procedure(
            implementing_agency=None,
            implementing_agency_text="UBND cấp xã",
            level=Level.COMMUNE,
            online_level=OnlineLevel.FULL,
            full_online_eligible=True,
            fees=[{"name": "Lệ phí", "amount_vnd": 20_000}],
        ),
        "department": published_procedure(
            implementing_agency=department, fees=[{"name": "Phí", "amount_vnd": 100_000}]
        ),
        "internal": published_procedure(implementing_agency=commune, is_internal=True),
    }
    clerk = UserFactory()
    decision = MinistryDecision.objects.create(
        number="1/QĐ-BTP", decision_date=date(2025, 3, 1), issuing_body="Bộ", recorded_by=clerk
    )

    def task(decided, decision_due, posted, posting_due, items):
        t = PublicationTask.objects.create(
            ministry_decision=decision,
            agency=commune.parent,
            list_due=decided,
            workflow_due=decided,
            chairman_decision_date=decided,
            decision_due=decision_due,
            posted_on=posted,
            posting_due=posting_due,
            status="published" if posted else "approved",
        )
        for procedure, change, code in items:
            PublicationItem.objects.create(
                ministry_decision=decision,
                task=t,
                procedure=procedure,
                procedure_code=code,
                procedure_name="Thủ tục",
                change_type=change,
                responsible_agency=commune.parent,
            )
        return t

    task(
        date(2025, 3, 20),
        date(2025, 3, 25),
        date(2025, 3, 21),
        date(2025, 3, 27),
        [(made["fee"], ChangeType.NEW, ""), (None, ChangeType.NEW, "X.1")],
    )
    task(
        date(2025, 4, 1),
        date(2025, 3, 28),
        date(2025, 4, 10),
        date(2025, 4, 8),
        [
            (made["fee"], ChangeType.AMENDED, ""),
            (made["free"], ChangeType.AMENDED, ""),
            (made["department"], ChangeType.STANDARDISED, ""),
        ],
    )
    task(
        date(2025, 4, 10),
        None,
        None,
        date(2025, 4, 17),
        [(made["offline"], ChangeType.ABOLISHED, "")],
    )
    return {**made, "department_unit": department}
