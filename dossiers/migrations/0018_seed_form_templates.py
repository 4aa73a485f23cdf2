"""The Circular 03/2025/TT-VPCP set of one-stop papers as the first dated
version of each form (issue 19 item 0). It applies to dossiers received from
01/7/2025 (dossier-lifecycle.md, "Legal frame"); a dossier received earlier
finds no version and is printed with the portal's built-in template of the
kind, which is this same set (no 2018 templates ship with the portal)."""

from __future__ import annotations

from datetime import date

from django.db import migrations

BASIS = (
    "Thông tư 03/2025/TT-VPCP ngày 15/9/2025 của Văn phòng Chính phủ, Phụ lục I "
    "(áp dụng với hồ sơ tiếp nhận từ ngày 01/7/2025)"
)
DIR = "dossiers/forms/circular_03_2025"
TEMPLATES = {
    "01": "01_receipt.html",
    "02": "02_supplement.html",
    "03": "03_refusal.html",
    "04": "04_apology.html",
    "05": "05_stop_notice.html",
    "06": "06_control_sheet.html",
    "tb": "tb_not_eligible.html",
    "bl": "payment_receipt.html",
    "kq": "kq_result.html",
}


def seed(apps, schema_editor) -> None:
    FormTemplate = apps.get_model("dossiers", "FormTemplate")
    for kind, name in TEMPLATES.items():
        FormTemplate.objects.get_or_create(
            kind=kind,
            valid_from=date(2025, 7, 1),
            defaults={"legal_basis": BASIS, "template_path": f"{DIR}/{name}"},
        )


def unseed(apps, schema_editor) -> None:
    FormTemplate = apps.get_model("dossiers", "FormTemplate")
    FormTemplate.objects.filter(valid_from=date(2025, 7, 1), source="").delete()


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0017_paper_registers_and_form_templates")]

    operations = [migrations.RunPython(seed, unseed)]
