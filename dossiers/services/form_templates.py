"""Dated versions of the papers' templates, as an administrator adds them when
the Ministry of Justice re-issues the one-stop forms (issue 19 item 0).

Like the dossier-code formats: a version already in force is history (papers
of dossiers received under it are reprinted with it), so it is read-only, and
a new one starts tomorrow at the earliest. Every change is audited.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tthc_portal.audit.services import audit_record, model_snapshot

from ..models.documents import FormTemplate
from .pdf.registry import FORMS

FORM_TEMPLATE_FIELDS = ["kind", "valid_from", "legal_basis", "source"]


def form_template_check_values(
    values: dict, *, today: date, editing_valid_from: date | None
) -> dict[str, str]:
    """Errors by field; the template text is compiled and rendered to a PDF
    in the sandbox (``pdf.templates``) before anything is saved."""
    from .pdf.templates import form_template_check

    errors: dict[str, str] = {}
    if values.get("kind") not in FORMS:
        errors["kind"] = _("Loại giấy tờ này không có mẫu in.")
    valid_from = values.get("valid_from")
    if editing_valid_from is not None and editing_valid_from <= today:
        errors["valid_from"] = _("Mẫu này đã áp dụng nên không sửa được; hãy thêm một mẫu mới.")
    elif valid_from is not None and valid_from <= today:
        errors["valid_from"] = _("Mẫu mới chỉ áp dụng từ ngày mai trở đi.")
    source = (values.get("source") or "").strip()
    if not source:
        errors["source"] = _("Hãy nhập nội dung mẫu.")
    elif "kind" not in errors:
        try:
            form_template_check(source, values["kind"])
        except ValidationError as exc:
            errors["source"] = " ".join(exc.messages)
    return errors


@transaction.atomic
def form_template_save(
    version: FormTemplate | None, *, actor, values: dict, today: date | None = None
) -> FormTemplate:
    """Add a dated version, or change one not yet in force; audited."""
    today = today or timezone.localdate()
    if version is not None:
        version = FormTemplate.objects.select_for_update().get(pk=version.pk)
    errors = form_template_check_values(
        values, today=today, editing_valid_from=version.valid_from if version else None
    )
    if errors:
        raise ValidationError(errors)
    before = model_snapshot(version, FORM_TEMPLATE_FIELDS) if version else None
    version = version or FormTemplate()
    for field in FORM_TEMPLATE_FIELDS:
        setattr(version, field, values[field])
    version.template_path = ""
    version.save()
    audit_record(
        actor=actor,
        action="dossiers.form_template_changed" if before else "dossiers.form_template_added",
        target=version,
        before=before,
        after=model_snapshot(version, FORM_TEMPLATE_FIELDS),
    )
    return version


@transaction.atomic
def form_template_delete(version: FormTemplate, *, actor, today: date | None = None) -> None:
    today = today or timezone.localdate()
    version = FormTemplate.objects.select_for_update().get(pk=version.pk)
    if version.valid_from <= today:
        raise ValidationError(_("Mẫu đã áp dụng không xoá được."))
    audit_record(
        actor=actor,
        action="dossiers.form_template_deleted",
        target=version,
        before=model_snapshot(version, FORM_TEMPLATE_FIELDS),
    )
    version.delete()
