"""The desk queue: what waits at the officer's desks, oldest first, flagged
after 8 working hours, filtered, with a query count that does not grow."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dossiers.models import Channel, Dossier, Status
from dossiers.services.reception import dossier_request_completion
from dossiers.services.submission import component_attach, dossier_create_draft, dossier_submit
from tests.dossiers.conftest import HEALTH
from tests.dossiers.files import make_pdf, upload
from tthc_portal.agencies.models import Agency

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
QUEUE = reverse("dossiers:desk_queue")
ROW = re.compile(r'<tr data-dossier="(\d+)"')


def submit_online(users, procedure, *, name: str = "Nguyễn Văn An") -> Dossier:
    """A citizen's online dossier, complete and submitted, through the services."""
    citizen = users["001085012345"]
    dossier = dossier_create_draft(actor=citizen, procedure=procedure)
    for requirement in procedure.current_version.components.filter(required=True):
        component_attach(
            actor=citizen, dossier=dossier, requirement_id=requirement.pk,
            upload=upload(f"tp{requirement.order}.pdf", make_pdf()),
        )  # fmt: skip
    dossier = dossier_submit(actor=citizen, dossier=dossier)
    if name != dossier.applicant_name:
        Dossier.objects.filter(pk=dossier.pk).update(applicant_name=name)
    return dossier


def set_waiting(dossier: Dossier, submitted_at: datetime, due: datetime | None = None) -> None:
    Dossier.objects.filter(pk=dossier.pk).update(
        submitted_at=submitted_at, reception_due_at=due or submitted_at + timedelta(days=30)
    )


def listed(response) -> list[int]:
    return [int(pk) for pk in ROW.findall(response.content.decode())]


def agency(code: str) -> Agency:
    return Agency.objects.get(code=code)


def test_queue_lists_the_agencys_waiting_dossiers_oldest_first(client, users, online_procedure):
    now = timezone.now()
    newest = submit_online(users, online_procedure, name="Người nộp mới nhất")
    oldest = submit_online(users, online_procedure, name="Người nộp cũ nhất")
    middle = submit_online(users, online_procedure, name="Người nộp ở giữa")
    set_waiting(newest, now - timedelta(hours=1))
    set_waiting(oldest, now - timedelta(days=3))
    set_waiting(middle, now - timedelta(days=2))
    asked = submit_online(users, online_procedure)
    set_waiting(asked, now - timedelta(days=1))
    requirement = online_procedure.current_version.components.first()
    dossier_request_completion(
        actor=users["motcua.tuphap"], dossier=asked,
        items=[{"requirement": requirement.pk, "name": requirement.name, "reason": "Ảnh mờ"}],
    )  # fmt: skip
    elsewhere = submit_online(users, online_procedure)
    Dossier.objects.filter(pk=elsewhere.pk).update(receiving_agency=agency(HEALTH))
    draft = dossier_create_draft(actor=users["001085012345"], procedure=online_procedure)

    client.force_login(users["motcua.tuphap"])
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert listed(response) == [oldest.pk, middle.pk, asked.pk, newest.pk]
    assert elsewhere.pk not in listed(response) and draft.pk not in listed(response)
    page = response.content.decode()
    assert "Người nộp cũ nhất" in page and "Bổ nhiệm và cấp thẻ giám định viên tư pháp" in page
    assert reverse("dossiers:desk_check", args=[oldest.pk]) in page
    summary = response.context["summary"]
    assert (summary.waiting, summary.awaiting_completion) == (3, 1)

    only_asked = client.get(QUEUE, {"trang_thai": Status.AWAITING_COMPLETION})
    assert listed(only_asked) == [asked.pk]
    # Channel and procedure filters.
    Dossier.objects.filter(pk=middle.pk).update(channel=Channel.POSTAL)
    assert listed(client.get(QUEUE, {"kenh": Channel.POSTAL})) == [middle.pk]
    assert len(listed(client.get(QUEUE, {"q": "1.001122"}))) == 4
    assert len(listed(client.get(QUEUE, {"q": "giam dinh vien"}))) == 4
    assert listed(client.get(QUEUE, {"q": "khai sinh"})) == []


def test_friday_16h_is_flagged_after_eight_working_hours(
    client, users, online_procedure, monkeypatch
):
    friday = datetime(2025, 3, 7, 16, 0, tzinfo=TZ)
    monkeypatch.setattr(timezone, "now", lambda: friday)
    dossier = submit_online(users, online_procedure)
    # Computed by the submission service: Fri 16–17 + Mon 08–12 + 13–16 = 8 h.
    assert dossier.submitted_at == friday
    assert dossier.reception_due_at == datetime(2025, 3, 10, 16, 0, tzinfo=TZ)

    monkeypatch.setattr(timezone, "now", lambda: datetime(2025, 3, 10, 15, 30, tzinfo=TZ))
    client.force_login(users["motcua.tuphap"])  # sessions last 8 hours: log in "on Monday"
    before = client.get(QUEUE)
    (row,) = before.context["rows"]
    assert not row.overdue and row.waiting_hours == pytest.approx(7.5)
    assert "Quá 8 giờ làm việc" not in before.content.decode()
    assert before.context["summary"].overdue == 0
    assert listed(client.get(QUEUE, {"qua_han": "1"})) == []

    monkeypatch.setattr(timezone, "now", lambda: datetime(2025, 3, 10, 16, 1, tzinfo=TZ))
    # 31 minutes without a request signs staff out (idle timeout): sign in again.
    client.force_login(users["motcua.tuphap"])
    after = client.get(QUEUE)
    (row,) = after.context["rows"]
    assert row.overdue and row.waiting_hours == pytest.approx(8 + 1 / 60)
    assert 'data-flag="overdue"' in after.content.decode()
    assert "Quá 8 giờ làm việc" in after.content.decode()
    assert after.context["summary"].overdue == 1
    assert listed(client.get(QUEUE, {"qua_han": "1"})) == [dossier.pk]


def test_over_eight_hours_filter_and_summary(client, users, online_procedure):
    now = timezone.now()
    late = submit_online(users, online_procedure)
    fresh = submit_online(users, online_procedure)
    set_waiting(late, now - timedelta(days=5), due=now - timedelta(hours=1))
    set_waiting(fresh, now - timedelta(minutes=5), due=now + timedelta(hours=8))
    client.force_login(users["motcua.tuphap"])

    response = client.get(QUEUE, {"qua_han": "on"})
    assert listed(response) == [late.pk]
    summary = response.context["summary"]  # over the whole queue, not the filtered page
    assert (summary.waiting, summary.overdue) == (2, 1)
    page = response.content.decode()
    assert re.search(r'data-count="waiting">2<', page)
    assert re.search(r'data-count="overdue">1<', page)


def test_query_count_does_not_depend_on_the_number_of_rows(client, users, online_procedure):
    template = submit_online(users, online_procedure)
    now = timezone.now()

    def add(count: int) -> None:
        Dossier.objects.bulk_create(
            Dossier(
                procedure_version=template.procedure_version, channel=Channel.ONLINE,
                status=Status.SUBMITTED, applicant=template.applicant,
                applicant_name=f"Người nộp {i}", applicant_id_number="001085012345",
                receiving_agency=template.receiving_agency,
                submitted_at=now - timedelta(hours=i + 1),
                reception_due_at=now - timedelta(hours=i) if i % 2 else now + timedelta(hours=8),
            )
            for i in range(count)
        )  # fmt: skip

    add(2)
    client.force_login(users["motcua.tuphap"])
    client.get(QUEUE)  # warm the calendar and the session
    with CaptureQueriesContext(connection) as few:
        response = client.get(QUEUE)
    assert len(response.context["rows"]) == 3

    add(27)
    with CaptureQueriesContext(connection) as many:
        response = client.get(QUEUE)
    assert len(response.context["rows"]) == 25  # paginated
    assert response.context["page"].paginator.count == 30
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(listed(client.get(QUEUE, {"trang": 2}))) == 5
