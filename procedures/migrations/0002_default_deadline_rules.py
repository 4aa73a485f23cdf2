"""Default publication deadline rules; provinces edit them as dated rows."""

import datetime

from django.db import migrations

DEFAULTS = [
    ("list", "ministry_decision", 4, "Hưng Yên: công văn Sở VHTTDL (5/2024), 1030/UBND-PVHCC&KSTT"),
    ("workflow", "ministry_decision", 7, "Hưng Yên: công văn Sở VHTTDL (5/2024)"),
    ("decision", "legal_basis_effective", -5, "Quyết định 766/QĐ-TTg, chỉ số 1.1"),
    ("posting", "chairman_decision", 5, "Quyết định 766/QĐ-TTg, chỉ số 1.2"),
    ("lock", "chairman_decision", 5, "Quảng Trị: Quyết định 2715/QĐ-UBND"),
]


def forwards(apps, schema_editor):
    rule = apps.get_model("procedures", "PublicationDeadlineRule")
    for key, anchor, offset, source in DEFAULTS:
        rule.objects.get_or_create(
            key=key,
            valid_from=datetime.date(2020, 1, 1),
            defaults={"anchor": anchor, "offset_working_days": offset, "source": source},
        )


class Migration(migrations.Migration):
    dependencies = [("procedures", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
