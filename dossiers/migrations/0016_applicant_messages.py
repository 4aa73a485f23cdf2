"""Applicant messages name the dossier and link to it; the supplement request
lists what is missing; the withdrawal says what follows; SMS are written with
accents (the gateway strips them when TTHC["SMS_ACCENTS"] is off). New: the
submission and payment confirmations.

A field is updated only while it still holds the wording shipped before (below);
one an administrator edited is kept. Missing templates are created.
"""

from django.db import migrations

# (subject, email_body, sms_body) as shipped by 0003 and 0006.
OLD = {
    "dossier.receive": (
        "Hồ sơ {{ code }} đã được tiếp nhận",
        "Kính gửi {{ name }},\n"
        "\n"
        "Hồ sơ {{ code }} ({{ procedure }}) đã được tiếp nhận.\n"
        "Ngày hẹn trả kết quả: {{ due_at|date:'H:i d/m/Y' }}.\n"
        "\n"
        "Tra cứu: {{ site }}/tra-cuu/",
        "Ho so {{ code }} da duoc tiep nhan. Hen tra: {{ due_at|date:'H:i d/m/Y' }}.",
    ),
    "dossier.request_completion": (
        "Hồ sơ của bạn cần bổ sung, hoàn thiện",
        "Kính gửi {{ name }},\n"
        "\n"
        "Hồ sơ {{ procedure }} cần bổ sung, hoàn thiện trước khi được "
        "tiếp nhận. Vui lòng xem phiếu yêu cầu bổ sung và nộp lại trên "
        "cổng dịch vụ công.",
        "Ho so {{ procedure|truncatechars:40 }} can bo sung. Vui long "
        "xem phieu yeu cau tren cong DVC.",
    ),
    "dossier.refuse": (
        "Hồ sơ không được tiếp nhận",
        "Kính gửi {{ name }},\n"
        "\n"
        "Hồ sơ {{ procedure }} không được tiếp nhận. Lý do: {{ "
        "dossier.refusal_reason }}",
        "Ho so {{ procedure|truncatechars:40 }} khong duoc tiep nhan. Xem ly do tren cong DVC.",
    ),
    "dossier.request_supplement": (
        "Hồ sơ {{ code }} cần bổ sung",
        "Kính gửi {{ name }},\n"
        "\n"
        "Hồ sơ {{ code }} cần bổ sung giấy tờ. Thời gian giải quyết "
        "tạm dừng cho đến khi bạn nộp bổ sung.",
        "Ho so {{ code }} can bo sung giay to. Vui long xem tren cong DVC.",
    ),
    "dossier.reject": (
        "Hồ sơ {{ code }} không đủ điều kiện giải quyết",
        "Kính gửi {{ name }},\n"
        "\n"
        "Hồ sơ {{ code }} không đủ điều kiện giải quyết. Vui lòng xem thông báo "
        "trên cổng dịch vụ công.",
        "Ho so {{ code }} khong du dieu kien giai quyet.",
    ),
    "dossier.approve": (
        "Hồ sơ {{ code }} đã có kết quả",
        "Kính gửi {{ name }},\n\nHồ sơ {{ code }} đã có kết quả giải quyết.",
        "Ho so {{ code }} da co ket qua.",
    ),
    "dossier.return_result": (
        "Hồ sơ {{ code }} đã trả kết quả",
        "Kính gửi {{ name }},\n"
        "\n"
        "Kết quả hồ sơ {{ code }} đã được trả. Mời bạn đánh giá mức độ hài "
        "lòng trên cổng dịch vụ công.",
        "Ho so {{ code }} da tra ket qua. Moi danh gia muc do hai long.",
    ),
    "dossier.withdraw": (
        "Hồ sơ {{ code }} đã được rút",
        "Kính gửi {{ name }},\n\nYêu cầu rút hồ sơ {{ code }} đã được ghi nhận.",
        "Ho so {{ code }} da duoc rut theo yeu cau.",
    ),
    "dossier.stop": (
        "Hồ sơ {{ code }} dừng xử lý",
        "Kính gửi {{ name }},\n\nHồ sơ {{ code }} đã dừng xử lý. Vui lòng xem thông báo.",
        "Ho so {{ code }} dung xu ly.",
    ),
    "dossier.issue_apology": (
        "Xin lỗi về việc chậm trả kết quả hồ sơ {{ code }}",
        "Kính gửi {{ name }},\n"
        "\n"
        "Cơ quan giải quyết xin lỗi vì hồ sơ {{ code }} chưa có kết quả "
        "đúng hẹn. Ngày hẹn trả mới: {{ due_at|date:'H:i d/m/Y' }}.",
        "Xin loi: ho so {{ code }} tre hen. Hen tra moi: {{ due_at|date:'H:i d/m/Y' }}.",
    ),
    "processing.due_soon": (
        "{{ count }} hồ sơ của {{ agency }} sắp đến hạn trả kết quả",
        "Kính gửi {{ name }},\n"
        "\n"
        "Các hồ sơ sau của {{ agency }} sắp đến hạn trả kết quả:\n"
        "{{ lines }}\n"
        "\n"
        "Nếu không kịp trả đúng hạn, đề nghị ban hành phiếu xin lỗi và hẹn "
        "lại ngày trả (mẫu 04) chậm nhất 1 ngày làm việc trước hạn: {{ site "
        "}}/xu-ly/",
        "{{ count }} ho so cua {{ agency }} sap den han. Xem {{ site }}/xu-ly/",
    ),
    "dossier.payment_requested": (
        "Hồ sơ cần thanh toán phí, lệ phí",
        "Kính gửi {{ name }},\n"
        "\n"
        "Hồ sơ {{ procedure }} cần thanh toán phí, lệ phí. Vui lòng "
        "thanh toán trực tuyến trên cổng dịch vụ công.",
        "Ho so can thanh toan phi, le phi tren cong DVC.",
    ),
}

FIELDS = ("subject", "email_body", "sms_body")


def _new():
    from dossiers.defaults import TEMPLATES

    return {key: (subject, email, sms) for key, _d, subject, email, sms in TEMPLATES}


def _swap(apps, source: dict, target: dict) -> None:
    template_model = apps.get_model("notifications", "MessageTemplate")
    for key, before in source.items():
        after = target.get(key)
        if after is None:
            continue
        for field, old_text, new_text in zip(FIELDS, before, after, strict=True):
            if old_text != new_text:
                template_model.objects.filter(key=key, **{field: old_text}).update(
                    **{field: new_text}
                )


def forwards(apps, schema_editor):
    from dossiers.defaults import ensure_message_templates

    _swap(apps, OLD, _new())
    ensure_message_templates(apps.get_model("notifications", "MessageTemplate"))


def backwards(apps, schema_editor):
    _swap(apps, _new(), OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0015_search_keys"),
        ("notifications", "0002_messagetemplate"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
