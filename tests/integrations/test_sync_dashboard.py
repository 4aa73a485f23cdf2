"""The provincial office's sync dashboard (/lien-thong/): every figure of
item 7 on one page, refused to anyone else, a fixed number of queries whatever
the number of rows, and the one-click resync repairing a difference."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from integrations.models import (
    Difference,
    EventKind,
    NationalFigure,
    ReconciliationRun,
    SyncEvent,
    SyncTask,
    UnmappedItem,
)
from integrations.reconcile import reconcile_run
from integrations.reconcile.figures import current_month
from tests.dossiers.conftest import JUSTICE
from tests.dossiers.processing import in_processing
from tests.integrations.recon_helpers import synced_scene
from tests.integrations.sync_helpers import drain_all

pytestmark = pytest.mark.django_db
URL = reverse("integrations:sync_dashboard")


def _dead_letter(national_hub, users, procedure, clock):
    """A progress event the hub refuses: a dead letter and its officer task."""
    hub = national_hub.control
    hub.faults(hub.rule("tien-do", "validation", count=1))
    clock.set(2025, 3, 10, 9, 0)
    dossier = in_processing(users, procedure, clock, 2025, 3, 10, 9, 0)
    drain_all()
    return dossier


def _figures(scene, agency, received: int) -> None:
    key, *_rest = current_month(timezone.localdate())
    for name, value in (("SoHoSoTiepNhan", received), ("SoHoSoDongBo", 4), ("1.4", "57.14")):
        NationalFigure.objects.create(
            target=scene.target, agency=agency, unit_code=agency.code, period=key, key=name,
            value=value, fetched_at=timezone.now(),
        )  # fmt: skip


def test_the_office_sees_backlog_breaker_dead_letters_differences_and_units(
    client, national_hub, users, workflow_procedure, clock, province
):
    scene = synced_scene(national_hub, users, workflow_procedure, clock)
    dead = _dead_letter(national_hub, users, workflow_procedure, clock)
    national_hub.control.drop(scene.received.code)
    run = reconcile_run(scene.target)
    assert run.differences == 1
    clock.set(2025, 3, 11, 9, 0)
    waiting = in_processing(users, workflow_procedure, clock, 2025, 3, 11, 9, 0)  # not drained
    UnmappedItem.objects.create(target=scene.target, kind="procedure", value="9.999999",
                                direction="in")  # fmt: skip
    _figures(scene, province[JUSTICE], received=7)
    clock.set(2025, 3, 11, 11, 30)
    client.force_login(users["vanphong"])
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    pending = SyncEvent.objects.filter(dossier=waiting, status="pending").count()
    assert f'data-figure="backlog">{pending}<' in html
    assert 'data-figure="oldest">2' in html  # "2 giờ, 30 phút" since 9:00
    assert 'data-breaker="closed"' in html
    assert f'data-task="{SyncTask.objects.get(dossier=dead).pk}"' in html
    assert dead.code in html
    assert 'data-kind="missing"' in html and scene.received.code in html
    assert "9.999999" in html
    # Justice received six dossiers this month; five were acknowledged (the last is queued).
    row = html.split(f'data-unit="{province[JUSTICE].code}"')[1].split("</tr>")[0]
    cells = [c.split("</td>")[0].split(">")[-1] for c in row.split("<td")[1:]]
    assert cells[:4] == ["6", "5", "7", "4"]
    assert cells[4] == "71,43%" or cells[4] == "71.43%"  # 5 / max(7, 5)
    assert "57,14%" in cells[5] or "57.14%" in cells[5]


def test_only_the_provincial_office_may_see_or_resync(client, users, province):
    assert client.get(URL).status_code == 302  # to the login page
    for username in ("motcua.tuphap", "lanhdao.tuphap", "001085012345"):
        client.force_login(users[username])
        assert client.get(URL).status_code == 403, username
        url = reverse("integrations:difference_resync", args=[1])
        assert client.post(url).status_code == 403, username


def test_query_count_does_not_grow_with_rows(
    client, national_hub, users, workflow_procedure, clock, province, django_assert_max_num_queries
):
    scene = synced_scene(national_hub, users, workflow_procedure, clock)
    national_hub.control.drop(scene.received.code)
    run = reconcile_run(scene.target)
    # One row in every list to start with (an empty page is not even queried).
    SyncTask.objects.create(dossier=scene.other, agency_id=scene.other.receiving_agency_id,
                            operation="progress", message="Lỗi")  # fmt: skip
    client.force_login(users["vanphong"])
    client.get(URL)  # warm per-process caches (status map, targets)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    dossiers = [scene.processing, scene.withdrawn, scene.other]
    now = timezone.now()
    for i in range(30):
        dossier = dossiers[i % 3]
        SyncTask.objects.create(dossier=dossier, agency_id=dossier.receiving_agency_id,
                                operation="progress", message=f"Lỗi {i}")  # fmt: skip
        Difference.objects.create(run=run, dossier=dossier, code=dossier.code, kind="dates",
                                  field=f"F{i}")  # fmt: skip
        UnmappedItem.objects.create(target=scene.target, kind="unit", value=f"U{i}",
                                    direction="out")  # fmt: skip
        SyncEvent.objects.create(
            target=scene.target, dossier=dossier, kind=EventKind.PROGRESS, seq=100 + i,
            national_status=4, occurred_at=now, next_attempt_at=now,
            error_class=["", "timeout", "down"][i % 3],
        )  # fmt: skip
        NationalFigure.objects.create(
            target=scene.target, unit_code=f"000.{i:02d}.99.H99", period=current_month()[0],
            key="SoHoSoTiepNhan", value=i, fetched_at=now - datetime.timedelta(minutes=i),
        )  # fmt: skip
    ReconciliationRun.objects.create(target=scene.target, started_at=now - datetime.timedelta(1))
    assert queries() == few
    with django_assert_max_num_queries(few):
        client.get(URL)


def test_one_click_resync_repairs_the_difference(
    client, national_hub, users, workflow_procedure, clock
):
    scene = synced_scene(national_hub, users, workflow_procedure, clock)
    national_hub.control.drop(scene.other.code)
    run = reconcile_run(scene.target)
    difference = Difference.objects.get(run=run)
    client.force_login(users["vanphong"])
    response = client.post(reverse("integrations:difference_resync", args=[difference.pk]))
    assert response.status_code == 302 and response.url.endswith("#doi-soat")
    difference.refresh_from_db()
    assert difference.resynced_by == users["vanphong"] and difference.resynced_at
    page = client.get(URL).content.decode()
    assert "Đã đồng bộ lại lúc" in page
    drain_all()
    assert national_hub.control.dossier(scene.other.code) is not None
    assert reconcile_run(scene.target).differences == 0
