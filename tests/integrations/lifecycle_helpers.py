"""Dossiers moved through the real lifecycle services, for the sync tests."""

from __future__ import annotations

from dossiers.models import Dossier
from dossiers.services.closing import dossier_withdraw
from dossiers.services.decisions import supplement_draft, supplement_issue
from dossiers.services.processing import step_complete
from dossiers.services.submission import dossier_supplement
from tests.dossiers.processing import in_processing

ITEMS = [{"name": "Bản sao quyết định bổ nhiệm", "reason": "Bản sao không rõ nét"}]


def supplemented_then_withdrawn(users, procedure, clock, day: int = 3) -> Dossier:
    """submitted (1) → received (2) → in processing (4) → supplement (5) → back (4)
    → withdrawn (7), each at its own minute."""
    dossier = in_processing(users, procedure, clock, 2025, 3, day, 9, 0)
    clock.set(2025, 3, day, 9, 30)
    step_complete(
        actor=users["lanhdao.tuphap"], step=dossier.current_step,
        assignee=users["chuyenvien.tuphap"],
    )  # fmt: skip
    clock.set(2025, 3, day, 10, 0)
    request = supplement_draft(actor=users["chuyenvien.tuphap"], dossier=dossier, items=ITEMS)
    clock.set(2025, 3, day, 10, 15)
    supplement_issue(actor=users["lanhdao.tuphap"], request=request)
    clock.set(2025, 3, day, 14, 0)
    dossier = dossier_supplement(
        actor=users["001085012345"], dossier=Dossier.objects.get(pk=dossier.pk)
    )
    clock.set(2025, 3, day, 15, 0)
    return dossier_withdraw(
        actor=users["001085012345"], dossier=dossier, reason="Không còn nhu cầu",
        channel="Cổng dịch vụ công",
    )  # fmt: skip
