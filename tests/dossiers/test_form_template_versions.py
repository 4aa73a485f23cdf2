"""One-stop form templates are dated versions (issue 19 item 0): the Circular
03/2025 set is seeded by migration, a paper is printed with the version in
force on its dossier's reception day, and an administrator adds a new version
in the admin — checked in a sandbox (no ``load``, no ``debug``, no template
outside the forms) and rendered to a PDF before it is saved."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.test import RequestFactory

import dossiers.admin_forms  # noqa: F401  (registers the admin; dossiers/admin.py imports it)
from dossiers.models import DocumentKind, DossierDocument
from dossiers.models.documents import FormTemplate
from dossiers.services.form_templates import form_template_delete, form_template_save
from dossiers.services.pdf import render_html
from tests.dossiers import processing as flow
from tests.dossiers.processing import received
from tthc_portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
clock = flow.clock
workflow_procedure = flow.workflow_procedure
BASE = "dossiers/forms/circular_03_2025/_base.html"
NEW_RECEIPT = (
    '{% extends "' + BASE + '" %}{% block content %}'
    "<p>MẪU 01 MỚI: {{ applicant.name }} – {{ dossier.code }}</p>"
    "{% for row in components %}<p>{{ row.name }}</p>{% endfor %}{% endblock %}"
)
TODAY = date(2025, 3, 10)


def _values(**overrides) -> dict:
    return {
        "kind": DocumentKind.RECEIPT,
        "valid_from": date(2025, 3, 20),
        "legal_basis": "Thông tư sửa đổi (thử nghiệm)",
        "source": NEW_RECEIPT,
        **overrides,
    }


def _receipt(dossier) -> DossierDocument:
    return DossierDocument.objects.select_related("dossier").get(
        dossier=dossier, kind=DocumentKind.RECEIPT
    )


def test_the_circular_03_2025_set_is_seeded() -> None:
    seeded = FormTemplate.objects.filter(valid_from=date(2025, 7, 1))
    assert set(seeded.values_list("kind", flat=True)) == {
        "01", "02", "03", "04", "05", "06", "tb", "bl", "kq"
    }  # fmt: skip
    assert all("03/2025/TT-VPCP" in row.legal_basis and row.template_path for row in seeded)


def test_a_paper_uses_the_version_in_force_on_reception(users, workflow_procedure, clock):
    form_template_save(None, actor=users["lanhdao.tuphap"], values=_values(), today=TODAY)
    before = received(users, workflow_procedure, clock, 2025, 3, 19, 9, 0)
    after = received(users, workflow_procedure, clock, 2025, 3, 20, 9, 0)
    old_html = render_html(_receipt(before))
    new_html = render_html(_receipt(after))
    assert "MẪU 01 MỚI" not in old_html and "GIẤY TIẾP NHẬN" in old_html.upper()
    assert f"MẪU 01 MỚI: Nguyễn Văn An – {after.code}" in new_html
    assert "Đơn đề nghị" in new_html  # the fixed context of the kind
    # From 01/07/2025 the seeded Circular 03/2025 version is the latest in force.
    later = received(users, workflow_procedure, clock, 2025, 7, 2, 9, 0)
    assert "MẪU 01 MỚI" not in render_html(_receipt(later))
    assert AuditEvent.objects.filter(action="dossiers.form_template_added").count() == 1


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{% load static %}<p>x</p>", "load"),
        ("{% debug %}", "debug"),
        ('{% include "dossiers/documents/status.html" %}', "mẫu giấy tờ có sẵn"),
        ('{% extends "base.html" %}', "mẫu giấy tờ có sẵn"),
        ('{% include "dossiers/forms/../base.html" %}', "mẫu giấy tờ có sẵn"),
        ("{% if %}", "Mẫu không hợp lệ"),
    ],
)
def test_unsafe_or_broken_templates_are_refused(users, source: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        form_template_save(None, actor=users["lanhdao.tuphap"], values=_values(source=source),
                           today=TODAY)  # fmt: skip
    assert message in " ".join(caught.value.messages)
    assert not FormTemplate.objects.filter(valid_from=date(2025, 3, 20)).exists()


def test_versions_in_force_are_history(users) -> None:
    actor = users["lanhdao.tuphap"]
    with pytest.raises(ValidationError, match="từ ngày mai"):
        form_template_save(None, actor=actor, values=_values(valid_from=TODAY), today=TODAY)
    seeded = FormTemplate.objects.get(kind=DocumentKind.RECEIPT, valid_from=date(2025, 7, 1))
    with pytest.raises(ValidationError, match="đã áp dụng"):
        form_template_save(seeded, actor=actor, values=_values(), today=date(2025, 8, 1))
    with pytest.raises(ValidationError):
        form_template_delete(seeded, actor=actor, today=date(2025, 8, 1))
    future = form_template_save(None, actor=actor, values=_values(), today=TODAY)
    form_template_delete(future, actor=actor, today=TODAY)
    assert not FormTemplate.objects.filter(pk=future.pk).exists()


def test_the_admin_checks_through_the_service(users) -> None:
    from tests.factories import UserFactory

    model_admin = site._registry[FormTemplate]
    request = RequestFactory().post("/quan-tri/")
    request.user = UserFactory(is_superuser=True, is_staff=True)
    form_class = model_admin.get_form(request, None)
    bad = form_class(data={**_values(valid_from="2099-01-01"), "source": "{% load static %}"})
    assert not bad.is_valid() and "source" in bad.errors
    good = form_class(data={**_values(valid_from="2099-01-01")})
    assert good.is_valid(), good.errors
    obj = good.save(commit=False)
    model_admin.save_model(request, obj, good, change=False)
    assert FormTemplate.objects.get(pk=obj.pk).source == NEW_RECEIPT
    seeded = FormTemplate.objects.filter(valid_from=date(2025, 7, 1)).first()
    assert not model_admin.has_change_permission(request, seeded)
    assert not model_admin.has_delete_permission(request, seeded)
