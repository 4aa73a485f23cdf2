"""The invitation now carries a one-time link: say so in its wording.

Only a template still holding the wording shipped in 0002 is updated; one an
administrator has edited is left alone (the link works with either wording).
"""

from django.db import migrations

KEY = "feedback.rating_invite"
OLD_EMAIL = (
    "Kính gửi {{ name }},\n\nHồ sơ {{ code }} ({{ procedure }}) đã được giải quyết xong. "
    "Mời ông/bà đánh giá mức độ hài lòng (9 tiêu chí, mỗi tiêu chí 0–2 điểm) tại:\n"
    "{{ link }}\n\nÔng/bà cũng có thể đánh giá tại ki-ốt của Bộ phận Một cửa bằng mã hồ sơ.\n"
    "Trân trọng cảm ơn."
)
OLD_SMS = "Ho so {{ code }} da giai quyet xong. Moi danh gia muc do hai long: {{ link }}"


def _new_wording():
    from feedback.defaults import MESSAGE_TEMPLATES

    row = next(row for row in MESSAGE_TEMPLATES if row[0] == KEY)
    return row[3], row[4]


def forwards(apps, schema_editor):
    template_model = apps.get_model("notifications", "MessageTemplate")
    email_body, sms_body = _new_wording()
    template_model.objects.filter(key=KEY, email_body=OLD_EMAIL).update(email_body=email_body)
    template_model.objects.filter(key=KEY, sms_body=OLD_SMS).update(sms_body=sms_body)


def backwards(apps, schema_editor):
    template_model = apps.get_model("notifications", "MessageTemplate")
    email_body, sms_body = _new_wording()
    template_model.objects.filter(key=KEY, email_body=email_body).update(email_body=OLD_EMAIL)
    template_model.objects.filter(key=KEY, sms_body=sms_body).update(sms_body=OLD_SMS)


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0003_rating_link"),
        ("notifications", "0002_messagetemplate"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
