"""The publication workspace pages, driven as staff would through the forms."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from portal_site.demo import seed_accounts, seed_agencies, seed_procedures
from procedures.demo import seed_publication_tasks
from procedures.models import (
    MinistryDecision,
    Procedure,
    PublicationTask,
    SimplificationPlan,
    TaskStatus,
    VersionStatus,
)

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 10)


@pytest.fixture
def demo(holiday_calendar):
    agencies = seed_agencies()
    seed_accounts(agencies)
    seed_procedures()
    seed_publication_tasks(today=TODAY)
    return agencies


def login(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_board_shows_every_state_to_provincial_staff(client, demo, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: TODAY)
    html = login(client, "vanphong").get(reverse("procedures:board")).content.decode()
    for number in ["1201/QĐ-BYT", "1245/QĐ-BYT", "88/QĐ-BTP", "1260/QĐ-BYT", "61/QĐ-BTP"]:
        assert number in html
    for state in ['data-state="overdue"', 'data-state="late"', 'data-state="on_time"']:
        assert state in html
    overdue = client.get(reverse("procedures:board"), {"trang_thai": "overdue"}).content.decode()
    assert "1201/QĐ-BYT" in overdue and "61/QĐ-BTP" not in overdue


def test_board_is_scoped_to_the_users_agency(client, demo):
    html = login(client, "chuyenvien.tuphap").get(reverse("procedures:board")).content.decode()
    assert "88/QĐ-BTP" in html
    assert "1201/QĐ-BYT" not in html
    other = PublicationTask.objects.get(ministry_decision__number="1201/QĐ-BYT")
    assert client.get(reverse("procedures:task", args=[other.pk])).status_code == 404


def test_citizen_sees_no_tasks_and_cannot_record(client, demo):
    login(client, "001085012345")
    assert "1201/QĐ-BYT" not in client.get(reverse("procedures:board")).content.decode()
    assert client.get(reverse("procedures:decision_create")).status_code == 403


def test_recording_a_decision_through_the_form(client, demo):
    login(client, "vanphong")
    health = demo["000.00.11.H99"]
    response = client.post(
        reverse("procedures:decision_create"),
        {
            "number": "3574/QĐ-BYT",
            "decision_date": "2025-11-19",
            "issuing_body": "Bộ Y tế",
            "legal_basis_effective_date": "",
            "summary": "",
            "items-TOTAL_FORMS": "2",
            "items-INITIAL_FORMS": "0",
            "items-MIN_NUM_FORMS": "1",
            "items-MAX_NUM_FORMS": "1000",
            "items-0-procedure_code": "1.013815",
            "items-0-procedure_name": "",
            "items-0-change_type": "amended",
            "items-0-responsible_agency": health.pk,
            "items-1-procedure_code": "",
            "items-1-procedure_name": "Thủ tục mới về thiết bị y tế",
            "items-1-change_type": "new",
            "items-1-responsible_agency": health.pk,
        },
        follow=True,
    )
    assert "Đã ghi nhận quyết định 3574/QĐ-BYT" in response.content.decode()
    task = MinistryDecision.objects.get(number="3574/QĐ-BYT").tasks.get()
    assert (task.list_due, task.workflow_due) == (date(2025, 11, 25), date(2025, 11, 28))
    assert task.items.count() == 2


def test_decision_form_shows_errors_and_keeps_input(client, demo):
    login(client, "vanphong")
    response = client.post(
        reverse("procedures:decision_create"),
        {"number": "", "decision_date": "không phải ngày", "issuing_body": "Bộ Y tế",
         "items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "1",
         "items-MAX_NUM_FORMS": "1000", "items-0-change_type": "amended",
         "items-0-procedure_code": "1.013815", "items-0-responsible_agency": ""},
    )  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 200
    assert "Trường này là bắt buộc" in html or "This field is required" in html
    assert 'value="1.013815"' in html
    assert not MinistryDecision.objects.filter(issuing_body="Bộ Y tế", number="").exists()


def test_draft_edit_submit_approve_and_decide_through_pages(client, demo):
    task = PublicationTask.objects.get(ministry_decision__number="1245/QĐ-BYT")
    version = task.items.get().version
    assert version.status == VersionStatus.DRAFT
    login(client, "chuyenvien.yte")
    page = client.get(reverse("procedures:version", args=[version.pk]))
    assert page.status_code == 200 and 'data-testid="version-form"' in page.content.decode()
    form = page.context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({"applicant_types": ["citizen"], "field": version.field_id, "submit": "1"})
    data["implementing_agency"] = version.implementing_agency_id or ""
    for key in ("cutoff_time",):
        data.pop(key, None)
    for relation, formset in page.context["formsets"].items():
        rows = formset.initial or []
        data[f"{relation}-TOTAL_FORMS"] = str(len(rows))
        data[f"{relation}-INITIAL_FORMS"] = str(len(rows))
        data[f"{relation}-MIN_NUM_FORMS"] = "0"
        data[f"{relation}-MAX_NUM_FORMS"] = "1000"
        for i, row in enumerate(rows):
            for key, value in row.items():
                if value in (None, "") or key == "form_template":
                    continue
                data[f"{relation}-{i}-{key}"] = "on" if value is True else value
            if relation == "steps" and row.get("counted") is False:
                data.pop(f"{relation}-{i}-counted", None)
    data = {k: v for k, v in data.items() if v is not False}
    response = client.post(reverse("procedures:version", args=[version.pk]), data, follow=True)
    assert "Đã trình lãnh đạo phê duyệt." in response.content.decode()
    version.refresh_from_db()
    assert version.status == VersionStatus.SUBMITTED

    login(client, "lanhdao.yte")
    page = client.get(reverse("procedures:version", args=[version.pk])).content.decode()
    assert 'data-testid="approve"' in page
    client.post(reverse("procedures:version_action", args=[version.pk, "approve"]), {"note": ""})
    task.refresh_from_db()
    assert task.status == TaskStatus.APPROVED

    login(client, "vanphong")
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("procedures:task_decide", args=[task.pk]),
        # The demo's ministry decision is a few days old: the chairman signs today.
        {"number": "2001/QĐ-UBND", "decision_date": today, "effective_date": today},
        follow=True,
    )
    assert "Đã ghi nhận quyết định công bố" in response.content.decode()
    procedure = Procedure.objects.get(code="1.013817")
    assert procedure.current_version_id == version.pk


def test_unbalanced_workflow_message_is_shown(client, demo):
    task = PublicationTask.objects.get(ministry_decision__number="1245/QĐ-BYT")
    version = task.items.get().version
    steps = version.steps.all()
    step = steps.get(order=2)
    step.budget += 1
    step.save()
    login(client, "chuyenvien.yte")
    response = client.post(
        reverse("procedures:version_action", args=[version.pk, "submit"]), follow=True
    )
    html = response.content.decode()
    assert "không bằng thời hạn giải quyết" in html
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


def test_other_department_cannot_open_the_version(client, demo):
    version = (
        PublicationTask.objects.get(ministry_decision__number="1245/QĐ-BYT").items.get().version
    )
    login(client, "chuyenvien.tuphap")
    assert client.get(reverse("procedures:version", args=[version.pk])).status_code == 404


def test_simplification_progress_against_twenty_percent(client, demo):
    from procedures.services.versions import version_create_draft

    health = demo["000.00.11.H99"]
    specialist = get_user_model().objects.get(username="chuyenvien.yte")
    field = Procedure.objects.get(code="1.013814").current_version.field
    procedures = []
    for i in range(5):
        version = version_create_draft(
            actor=specialist, code=f"3.00000{i}",
            content={"name": f"TTHC nội bộ {i}", "field": field, "level": "province",
                     "implementing_agency": health, "is_internal": True},
        )  # fmt: skip
        procedures.append(version.procedure)
    login(client, "chuyenvien.yte")
    client.post(
        reverse("procedures:simplification"),
        {"procedure": procedures[0].pk, "agency": health.pk, "abolish": "on",
         "cost_before_vnd": "1000000", "cost_after_vnd": "0"},
    )  # fmt: skip
    client.post(
        reverse("procedures:simplification"),
        {"procedure": procedures[1].pk, "agency": health.pk, "cost_before_vnd": "1000000",
         "cost_after_vnd": "900000"},
    )  # fmt: skip
    assert SimplificationPlan.objects.count() == 2
    rows = {
        r.agency.code: r
        for r in client.get(reverse("procedures:simplification")).context["progress"].rows
    }
    row = rows[health.code]
    assert row.internal == 5
    assert row.count.planned_percent == 20  # 1 of 5 abolished in the plans
    assert round(row.cost.planned_percent) == 55  # 2,000,000 → 900,000
    # Neither plan is carried out yet: nothing is achieved.
    assert row.count.achieved_percent == 0 and row.cost.achieved_percent == 0
    bad = client.post(
        reverse("procedures:simplification"),
        {"procedure": procedures[2].pk, "agency": health.pk, "cost_before_vnd": "100",
         "cost_after_vnd": "200"},
    )  # fmt: skip
    assert "Chi phí sau không được lớn hơn chi phí trước." in bad.content.decode()
