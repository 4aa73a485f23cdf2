"""Redis (cache, broker, results) stops under a running portal (issue 18, item 3).

A redis-server started here backs the cache and Celery. With it up, the core
pages work; with it stopped, no page for any role answers 500 — the calendar
comes from the database, counters fail closed (503, Vietnamese), reception goes
through — and the jobs queued meanwhile are sent once it is back.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from dossiers.models import Dossier, Status
from indicators.models import RecomputeRun, RunStatus
from indicators.services import periods as indicator_periods
from tests.dossiers.test_desk_queue import submit_online
from tests.faults.redis_process import RedisProcess, celery_on
from tthc_portal.cache_safety import ResilientRedisCache, redis_caches
from tthc_portal.notifications.models import OutboxMessage, OutboxStatus
from tthc_portal.notifications.tasks import outbox_flush
from tthc_portal.workdays import services as workdays

pytestmark = pytest.mark.django_db

CITIZEN, DESK, SPECIALIST, HEAD = (
    "001085012345",
    "motcua.tuphap",
    "chuyenvien.tuphap",
    "lanhdao.tuphap",
)
OFFICE, ADMIN = "vanphong", "quantri"
PAGES = ["/", "/thu-tuc/", "/tra-cuu/", "/bang-dieu-khien/", "/ho-so/", "/mot-cua/",
         "/mot-cua/tra-ket-qua/", "/xu-ly/", "/lich-lam-viec/", "/chi-so-766/"]  # fmt: skip
ROLES = [None, CITIZEN, DESK, SPECIALIST, HEAD, OFFICE, ADMIN]


@pytest.fixture
def redis_server(tmp_path, settings):
    server = RedisProcess(tmp_path)
    server.start()
    # cooldown 0: the test decides when Redis is back, not a timer.
    settings.CACHES = redis_caches(server.url, timeout=0.5, cooldown=0)
    ResilientRedisCache._down_until.clear()
    workdays.calendar_forget_local()
    try:
        with celery_on(server.url):
            yield server
    finally:
        server.stop()
        workdays.calendar_forget_local()


def client_for(users, login: str | None) -> Client:
    client = Client(raise_request_exception=False)
    if login:
        client.force_login(users[login])
    return client


def api_for(users, login: str | None) -> APIClient:
    client = APIClient()
    client.raise_request_exception = False
    if login:
        client.force_authenticate(users[login])
    return client


def queued(server: RedisProcess) -> int:
    """Jobs waiting in the broker, over every job queue (tthc_portal/celery.py)."""
    from tthc_portal.celery import LEGACY_QUEUE, QUEUES

    client = server.client()
    return sum(client.llen(name) for name in (*QUEUES, LEGACY_QUEUE))


def check_core_pages(users, online_procedure, dossier: Dossier, *, up: bool) -> None:
    """Every role, every core page: never a 500; counters answer 503 while down."""
    for role in ROLES:
        client = client_for(users, role)
        for page in PAGES:
            response = client.get(page)
            assert response.status_code < 500, (role, page, response.status_code)

    anonymous = Client(raise_request_exception=False)
    code_form = anonymous.post("/tra-cuu/", {"code": dossier.code or "X", "last4": "1234"})
    qr = anonymous.get(reverse("dossiers:lookup_token", args=[dossier.lookup_token]))
    api = api_for(users, None)
    api_lookup = api.post("/api/lookup/", {"code": "X-1", "last4": "1234"}, format="json")
    catalogue_api = api.get("/api/catalogue/procedures/")
    own_api = api_for(users, CITIZEN).get("/api/dossiers/")
    counters = {"form": code_form, "qr": qr, "api lookup": api_lookup, "own dossiers": own_api}
    for label, response in counters.items():
        expected = {200, 404} if up else {503}
        assert response.status_code in expected, (label, response.status_code)
    assert "tạm thời" in (qr.content.decode() if not up else "tạm thời")
    # DRF's own AnonRateThrottle on the catalogue API (procedures/api) is not ours.
    assert catalogue_api.status_code < 500 or catalogue_api.status_code == 503


def test_every_core_page_survives_a_redis_outage_and_jobs_follow(
    redis_server, users, online_procedure, django_capture_on_commit_callbacks
):
    # The test runs in one transaction: run each request's after-commit work
    # (the .delay() calls) when the request is over, as a real commit would.
    def committed(request):
        with django_capture_on_commit_callbacks(execute=True):
            return request()

    received_before = submit_online(users, online_procedure)
    desk = client_for(users, DESK)
    receive = reverse("dossiers:desk_receive", args=[received_before.pk])
    assert committed(lambda: desk.post(receive)).status_code == 302
    received_before.refresh_from_db()
    assert received_before.status == Status.RECEIVED
    check_core_pages(users, online_procedure, received_before, up=True)
    assert queued(redis_server) > 0  # the jobs of that reception went through Redis
    redis_server.client().delete("celery")

    last_message = OutboxMessage.objects.order_by("pk").values_list("pk", flat=True).last() or 0
    redis_server.stop()
    check_core_pages(users, online_procedure, received_before, up=False)

    # Desk reception, web and API, with the broker and cache gone.
    web, by_api = submit_online(users, online_procedure), submit_online(users, online_procedure)
    assert desk.get(reverse("dossiers:desk_check", args=[web.pk])).status_code == 200
    response = committed(lambda: desk.post(reverse("dossiers:desk_receive", args=[web.pk])))
    assert response.status_code == 302, response.status_code
    web.refresh_from_db()
    assert web.status == Status.RECEIVED and web.due_at is not None  # calendar from the DB
    api_receive = api_for(users, DESK).post(f"/api/desk/dossiers/{by_api.pk}/receive/")
    assert api_receive.status_code == 503  # its throttle cannot count: fails closed
    assert "tạm thời" in api_receive.json()["detail"]

    # A 766 recompute asked for meanwhile: the page answers, the run waits.
    period = indicator_periods.period_current()
    office = client_for(users, OFFICE)
    recompute = reverse("indicators:recompute", args=[period.pk])
    assert committed(lambda: office.post(recompute)).status_code < 500
    run = RecomputeRun.objects.get(period=period)
    assert run.status == RunStatus.QUEUED

    during = OutboxMessage.objects.filter(pk__gt=last_message)
    assert during.filter(
        status=OutboxStatus.PENDING
    ).exists()  # the reception's messages: never queued, kept in the outbox

    # Redis is back: the sweeps send what could not be queued.
    redis_server.start()
    assert outbox_flush.delay().id  # the beat job reaches the broker again
    assert indicator_periods.recompute_runs_requeue(older_than_seconds=0) == [run.pk]
    assert queued(redis_server) == 2
    outbox_flush.apply()  # what the worker does with the flush
    assert not during.exclude(status=OutboxStatus.SENT).exists()
    assert any(web.code in message.body for message in mail.outbox)
    indicator_periods.run_execute(run_id=run.pk)  # what the worker does with the run
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    check_core_pages(users, online_procedure, web, up=True)
