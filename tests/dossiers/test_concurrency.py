"""Concurrent desk work on PostgreSQL: codes never collide, conflicting actions
on one dossier resolve to exactly one winner."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from dossiers.models import Dossier, Status, StatusHistory
from dossiers.services import DossierError
from dossiers.services.reception import (
    dossier_receive,
    dossier_refuse,
    dossier_request_completion,
)
from tests.dossiers.test_reception import submitted
from tests.support.concurrency import run_together

# serialized_rollback: an earlier live-server test may have flushed the data
# migrations created (permissions, reference rows); restore them first.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.postgres,
]
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def test_twenty_parallel_receptions_get_consecutive_distinct_codes(
    require_postgres, users, online_procedure
):
    assert connection.vendor == "postgresql"
    dossiers = [submitted(users, online_procedure) for _ in range(20)]
    officer = users["motcua.tuphap"]
    day = datetime(2025, 6, 2, 9, 30, tzinfo=TZ)
    results = run_together(
        [lambda d=d: dossier_receive(actor=officer, dossier=d, at=day).code for d in dossiers]
    )
    assert [kind for kind, _ in results] == ["ok"] * 20, results
    codes = sorted(code for _, code in results)
    assert codes == [f"000.00.10.H99-250602-{n:04d}" for n in range(1, 21)]
    assert Dossier.objects.filter(status=Status.RECEIVED).count() == 20


def test_conflicting_actions_on_one_dossier_have_exactly_one_winner(
    require_postgres, users, online_procedure
):
    dossier = submitted(users, online_procedure)
    officer = users["motcua.tuphap"]
    requirement = online_procedure.current_version.components.first()
    jobs = (
        [lambda: dossier_receive(actor=officer, dossier=dossier).status] * 4
        + [lambda: dossier_refuse(actor=officer, dossier=dossier, reason="Sai thẩm quyền").status]
        * 3
        + [
            lambda: (
                dossier_request_completion(
                    actor=officer,
                    dossier=dossier,
                    items=[
                        {"requirement": requirement.pk, "name": "Đơn", "reason": "Thiếu chữ ký"}
                    ],
                ).status
            )
        ]
        * 3
    )
    results = run_together(jobs)
    outcomes = Counter(kind for kind, _ in results)
    assert outcomes == {"ok": 1, "error": 9}, results
    for kind, value in results:
        if kind == "error":
            assert isinstance(value, DossierError) and not isinstance(value, PermissionDenied)
    winner = next(value for kind, value in results if kind == "ok")
    dossier.refresh_from_db()
    assert dossier.status == winner
    history = list(StatusHistory.objects.filter(dossier=dossier).order_by("pk"))
    assert history[0].action == "submit"
    assert len(history) == 2 and history[1].to_status == winner
    # Only a received dossier has a code, and the daily sequence has no gap.
    if winner == Status.RECEIVED:
        assert dossier.code.endswith("-0001")
    else:
        assert dossier.code is None
