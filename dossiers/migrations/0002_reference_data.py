"""Reference data that is configuration: the dossier code format and the
mapping of internal statuses to the national portal's status set."""

import datetime

from django.db import migrations

NATIONAL = [
    ("submitted", "Chờ tiếp nhận", True),
    ("awaiting_completion", "", False),
    ("refused", "Từ chối", False),
    ("received", "Đã tiếp nhận", True),
    ("in_processing", "Đang xử lý", True),
    ("awaiting_supplement", "Yêu cầu bổ sung", True),
    ("rejected", "Từ chối", True),
    ("result_ready", "Đã xử lý xong", True),
    ("returned", "Đã trả kết quả", True),
    ("withdrawn", "Công dân yêu cầu rút hồ sơ", True),
    ("stopped", "Dừng xử lý", True),
]


def forwards(apps, schema_editor):
    fmt = apps.get_model("dossiers", "DossierCodeFormat")
    fmt.objects.get_or_create(
        valid_from=datetime.date(2018, 1, 1),
        defaults={
            "template": "{agency}-{yymmdd}-{seq}",
            "sequence_digits": 4,
            "source": "Nghị định 61/2018/NĐ-CP Điều 26; Thông tư 01/2018/TT-VPCP Điều 19",
        },
    )
    mapping = apps.get_model("dossiers", "NationalStatusMap")
    for status, label, synced in NATIONAL:
        mapping.objects.get_or_create(
            status=status, defaults={"national_label": label, "synced": synced}
        )


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
