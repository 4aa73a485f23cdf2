"""Admin of the catalogue: pages load with bounded queries; only drafts are editable."""

from __future__ import annotations

import io
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from procedures.models import (
    Procedure,
    ProcedureVersion,
    PublicationDeadlineRule,
    SimplificationPlan,
    VersionStatus,
)
from procedures.services.publication import ItemInput, ministry_decision_record
from procedures.services.versions import version_create_draft
from tests.factories import StaffFactory
from tthc_portal.agencies.models import Agency
from tthc_portal.audit.models import AuditEvent
from tthc_portal.text import fold

pytestmark = pytest.mark.django_db

MAX_QUERIES = 20
MODELS = (
    "field",
    "procedure",
    "procedureversion",
    "publicationdeadlinerule",
    "ministrydecision",
    "publicationtask",
    "simplificationplan",
)


@pytest.fixture
def demo(holiday_calendar):
    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())
    office = get_user_model().objects.get(username="vanphong")
    health = Agency.objects.get(code="000.00.11.H99")
    decision = ministry_decision_record(
        actor=office,
        number="3574/QĐ-BYT",
        decision_date=date(2025, 11, 19),
        issuing_body="Bộ Y tế",
        legal_basis_effective_date=None,
        summary="",
        items=[
            ItemInput(change_type="amended", responsible_agency=health, procedure_code=code)
            for code in ("1.013871", "1.013876")
        ],
    )
    SimplificationPlan.objects.create(
        procedure=Procedure.objects.order_by("pk").first(),
        agency=health,
        cost_before_vnd=1_000_000,
        cost_after_vnd=700_000,
    )
    return SimpleNamespace(
        admin=get_user_model().objects.get(username="quantri"), task=decision.tasks.get()
    )


@pytest.fixture
def admin_client(client, demo):
    client.force_login(demo.admin)
    return client


def admin_url(model: str, action: str = "changelist", *args: Any) -> str:
    return reverse(f"admin:procedures_{model}_{action}", args=args)


def get_counted(client, url: str) -> tuple[Any, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries.captured_queries)


def test_changelists_load_with_bounded_queries(admin_client):
    for model in MODELS:
        response, queries = get_counted(admin_client, admin_url(model))
        assert response.status_code == 200, model
        assert queries <= MAX_QUERIES, f"{model}: {queries} queries"

    # The procedure list shows each current version and searches code and name.
    response, queries = get_counted(admin_client, admin_url("procedure") + "?q=1.004122")
    assert queries <= MAX_QUERIES
    content = response.content.decode()
    assert "Cấp giấy phép hành nghề khoan nước dưới đất" in content
    assert "Tài nguyên nước" in content
    # Folded names make the search diacritic-insensitive.
    response = admin_client.get(admin_url("procedure") + "?q=khoan+nuoc+duoi+dat")
    assert "Cấp giấy phép hành nghề khoan nước dưới đất" in response.content.decode()


def test_change_pages_load_with_bounded_queries_and_records_stay_read_only(admin_client, demo):
    version = ProcedureVersion.objects.filter(steps__isnull=False).distinct().first()
    task = demo.task
    pages = [
        admin_url("procedureversion", "change", version.pk),
        admin_url("procedure", "change", version.procedure_id),
        admin_url("publicationtask", "change", task.pk),
        admin_url("ministrydecision", "change", task.ministry_decision_id),
        admin_url("publicationdeadlinerule", "add"),
        admin_url("simplificationplan", "add"),
    ]
    for url in pages:
        response, queries = get_counted(admin_client, url)
        assert response.status_code == 200, url
        assert queries <= MAX_QUERIES, f"{url}: {queries} queries"

    # Decisions and tasks are records of the services: no add, no edit.
    assert admin_client.get(admin_url("ministrydecision", "add")).status_code == 403
    assert admin_client.get(admin_url("publicationtask", "add")).status_code == 403
    content = admin_client.get(admin_url("publicationtask", "change", task.pk)).content.decode()
    assert 'name="_save"' not in content
    assert 'name="list_due"' not in content
    assert "3574/QĐ-BYT" in content


def test_published_version_change_view_is_read_only(admin_client):
    version = Procedure.objects.get(code="1.004122").current_version
    assert version.status == VersionStatus.PUBLISHED
    url = admin_url("procedureversion", "change", version.pk)
    response = admin_client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="_save"' not in content
    assert 'name="name"' not in content
    assert 'name="steps-0-budget"' not in content
    assert version.name in content

    response = admin_client.post(url, {"name": "Tên đã sửa"})
    assert response.status_code == 403
    version.refresh_from_db()
    assert version.name == "Cấp giấy phép hành nghề khoan nước dưới đất"
    # Versions are created by the publication chain, never added here.
    assert admin_client.get(admin_url("procedureversion", "add")).status_code == 403


def _form_data(response) -> dict[str, Any]:
    """What the browser would post back: the admin form and its inlines, unchanged."""
    data: dict[str, Any] = {}

    def put(form) -> None:
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None or value is False:
                continue
            if value is True:
                data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            elif hasattr(value, "url") or type(value).__name__ == "FieldFile":
                continue
            else:
                data[key] = str(value)

    put(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        put(formset.management_form)
        for form in formset.forms:
            put(form)
    return data


def test_draft_edits_go_through_the_service(admin_client, demo):
    published = Procedure.objects.get(code="1.004122").current_version
    draft = version_create_draft(actor=demo.admin, base=published)
    draft.steps.create(order=1, name="Tiếp nhận", actor_role="desk_officer", budget=1)
    url = admin_url("procedureversion", "change", draft.pk)
    response, queries = get_counted(admin_client, url)
    assert queries <= MAX_QUERIES
    assert 'name="_save"' in response.content.decode()

    data = _form_data(response)
    data["name"] = "Cấp giấy phép hành nghề khoan nước dưới đất (sửa đổi)"
    data["time_limit"] = "20"
    data["steps-0-budget"] = "2"
    data["_save"] = "Lưu"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    draft.refresh_from_db()
    assert draft.name.endswith("(sửa đổi)")
    assert draft.time_limit == 20
    assert [(s.order, s.budget) for s in draft.steps.all()] == [(1, 2)]
    # Derived columns and the audit trail come from version_update.
    assert "sua doi" in draft.search_text
    assert draft.name_folded == fold(draft.name)
    assert AuditEvent.objects.filter(
        action="procedure_version.update", target_id=str(draft.pk)
    ).exists()
    published.refresh_from_db()
    assert published.time_limit == 22
    assert published.name == "Cấp giấy phép hành nghề khoan nước dưới đất"


def test_deadline_rules_are_editable_and_validated(client):
    client.force_login(StaffFactory(is_superuser=True, is_staff=True))
    admin_client = client
    url = admin_url("publicationdeadlinerule", "add")
    base = {
        "key": "list",
        "anchor": "ministry_decision",
        "offset_working_days": "3",
        "source": "Quyết định mới của UBND tỉnh",
    }
    response = admin_client.post(
        url, {**base, "valid_from": "2027-01-01", "valid_to": "2026-01-01"}
    )
    assert response.status_code == 200
    assert "Ngày kết thúc áp dụng phải sau ngày bắt đầu." in response.content.decode()

    response = admin_client.post(url, {**base, "valid_from": "2027-01-01"})
    assert response.status_code == 302
    rule = PublicationDeadlineRule.objects.get(valid_from=date(2027, 1, 1))
    assert rule.offset_working_days == 3
