"""Entering the 1085 inventory and plans through the pages, within each user's scope."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from procedures.models import Procedure, ProcedureVersion, SimplificationPlan
from procedures.services.simplification import internal_procedure_register
from tests.procedures.factories import FieldFactory
from tests.support.province import HEALTH, JUSTICE
from tthc_portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def register(users, agency, name: str) -> Procedure:
    return internal_procedure_register(
        actor=users["vanphong"], agency=agency, name=name, internal_scope="between_bodies",
        field=FieldFactory(), level="province",
    ).procedure  # fmt: skip


def test_provincial_staff_enter_internal_procedures_and_plans_for_any_unit(client, province, users):
    client.force_login(users["vanphong"])
    url = reverse("procedures:internal_procedures")
    response = client.post(
        url,
        {"agency": province[JUSTICE].pk, "code": "", "name": "Thẩm định dự thảo văn bản nội bộ",
         "internal_scope": "within_body", "field": FieldFactory().pk, "level": "province"},
        follow=True,
    )  # fmt: skip
    assert "Đã thêm thủ tục nội bộ" in response.content.decode()
    version = ProcedureVersion.objects.get(name="Thẩm định dự thảo văn bản nội bộ")
    assert version.is_internal and version.implementing_agency == province[JUSTICE]
    assert "Thẩm định dự thảo văn bản nội bộ" in client.get(url).content.decode()

    progress = reverse("procedures:simplification")
    form = {"procedure": version.procedure_id, "agency": province[JUSTICE].pk,
            "cost_before_vnd": "3000000", "cost_after_vnd": "2000000",
            "approval_decision": "15/QĐ-UBND", "approved_on": "2024-06-01"}  # fmt: skip
    assert "Đã lưu phương án" in client.post(progress, form, follow=True).content.decode()
    plan = SimplificationPlan.objects.get(procedure=version.procedure)
    # Editing the same plan: carried out, with the date the deadline is judged on.
    edited = client.post(
        f"{progress}?phuong_an={plan.pk}", {**form, "implemented_on": "2024-09-20"}, follow=True
    )
    assert "Đã lưu phương án" in edited.content.decode()
    plan.refresh_from_db()
    assert plan.implemented and plan.implemented_on == date(2024, 9, 20)
    assert AuditEvent.objects.filter(action="simplification_plan.update").exists()
    # A second plan for the same procedure is refused in Vietnamese; the input stays.
    again = client.post(progress, {**form, "cost_after_vnd": "1000000"})
    text = again.content.decode()
    assert "Thủ tục này đã có phương án đơn giản hóa" in text and 'value="1000000"' in text
    assert SimplificationPlan.objects.filter(procedure=version.procedure).count() == 1
    abolish = client.post(progress, {**form, "abolish": "on", "procedure": register(
        users, province[JUSTICE], "Thủ tục nội bộ bãi bỏ").pk})  # fmt: skip
    assert "chi phí tuân thủ sau phải bằng 0" in abolish.content.decode()


def test_a_unit_cannot_see_or_edit_another_units_plan(client, province, users):
    health_proc = register(users, province[HEALTH], "Thủ tục nội bộ của Sở Y tế")
    plan = SimplificationPlan.objects.create(
        procedure=health_proc, agency=province[HEALTH], cost_before_vnd=100, cost_after_vnd=50
    )
    client.force_login(users["chuyenvien.tuphap"])
    progress = reverse("procedures:simplification")
    page = client.get(progress).content.decode()
    assert "Thủ tục nội bộ của Sở Y tế" not in page
    assert client.get(progress, {"phuong_an": plan.pk}).status_code == 404
    posted = client.post(
        f"{progress}?phuong_an={plan.pk}",
        {"procedure": health_proc.pk, "agency": province[JUSTICE].pk,
         "cost_before_vnd": "100", "cost_after_vnd": "0"},
    )  # fmt: skip
    assert posted.status_code == 404
    plan.refresh_from_db()
    assert (plan.agency_id, plan.cost_after_vnd) == (province[HEALTH].pk, 50)
    inventory = client.get(reverse("procedures:internal_procedures")).content.decode()
    assert "Thủ tục nội bộ của Sở Y tế" not in inventory
    # The unit's drafter may not file a procedure under another unit either.
    refused = client.post(
        reverse("procedures:internal_procedures"),
        {"agency": province[HEALTH].pk, "name": "Lấn sang đơn vị khác",
         "internal_scope": "within_body", "field": FieldFactory().pk, "level": "province"},
    )  # fmt: skip
    assert refused.status_code == 200
    assert not ProcedureVersion.objects.filter(name="Lấn sang đơn vị khác").exists()


def test_a_citizen_gets_no_form_and_cannot_post(client, province, users):
    citizen = next(u for u in users.values() if u.username == "001085012345")
    client.force_login(citizen)
    page = client.get(reverse("procedures:simplification"))
    assert page.status_code == 200 and page.context["form"] is None
    assert client.post(reverse("procedures:simplification"), {}).status_code == 403
    assert client.post(reverse("procedures:internal_procedures"), {}).status_code == 403
