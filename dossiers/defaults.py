"""Reference data that is configuration: the dossier code format, the mapping
of internal statuses to the national portal's, and the notification wording.

Used by the data migrations and by ``ensure_defaults`` (seed_demo, and tests
whose database is flushed).
"""

from __future__ import annotations

import datetime

CODE_FORMAT = {
    "valid_from": datetime.date(2018, 1, 1),
    "template": "{agency}-{yymmdd}-{seq}",
    "sequence_digits": 4,
    "source": "Nghị định 61/2018/NĐ-CP Điều 26; Thông tư 01/2018/TT-VPCP Điều 19",
}

# Internal status → national status (national-sync.md §4), many-to-one. ``synced``
# False: sent only for a dossier the hub already knows (a refusal at the counter
# of a dossier submitted on DVCQG; unconfirmed, dossier-lifecycle §2).
NATIONAL = [
    ("submitted", "Mới đăng ký", "1", True),
    ("awaiting_completion", "", "", False),
    ("refused", "Không được tiếp nhận", "3", False),
    ("received", "Được tiếp nhận", "2", True),
    ("in_processing", "Đang xử lý", "4", True),
    ("awaiting_supplement", "Yêu cầu bổ sung giấy tờ", "5", True),
    ("rejected", "Không được tiếp nhận", "3", True),
    ("result_ready", "Đã xử lý xong", "9", True),
    ("returned", "Đã trả kết quả", "10", True),
    ("withdrawn", "Công dân yêu cầu rút hồ sơ", "7", True),
    ("stopped", "Dừng xử lý", "8", True),
]

# Notification wording (Django template syntax), editable in the admin. Every
# message to the applicant names the dossier (its code once there is one, and
# the procedure) and links to it; the context is built by
# ``dossiers.services.applicant_notices.applicant_context``. SMS are written
# with accents: the gateway strips them when TTHC["SMS_ACCENTS"] is off.
# Key, description, subject, e-mail body, SMS body.
TEMPLATES = [
    (
        "dossier.submit",
        "Xác nhận đã nhận hồ sơ nộp trực tuyến",
        "Đã nhận hồ sơ {{ procedure }}",
        "Kính gửi {{ name }},\n\nHồ sơ {{ procedure }} đã được gửi đến {{ agency }} lúc "
        "{{ submitted_at|date:'H:i d/m/Y' }}.\n"
        "{% if code %}Mã hồ sơ: {{ code }}.{% else %}Mã hồ sơ được cấp khi Bộ phận Một cửa "
        "tiếp nhận; ngay từ bây giờ ông/bà theo dõi hồ sơ bằng đường dẫn dưới đây.{% endif %}\n"
        "\nTheo dõi hồ sơ: {{ link }}",
        "Đã nhận hồ sơ {% if code %}{{ code }} {% endif %}({{ procedure|truncatechars:40 }}). "
        "Theo dõi: {{ link }}",
    ),
    (
        "dossier.resubmit",
        "Xác nhận đã nhận hồ sơ nộp lại sau khi bổ sung",
        "Đã nhận hồ sơ {{ procedure }} nộp lại",
        "Kính gửi {{ name }},\n\nHồ sơ {{ procedure }} đã bổ sung, hoàn thiện đã được gửi lại "
        "đến {{ agency }} lúc {{ submitted_at|date:'H:i d/m/Y' }}.\n\n"
        "Theo dõi hồ sơ: {{ link }}",
        "Đã nhận hồ sơ nộp lại ({{ procedure|truncatechars:40 }}). Theo dõi: {{ link }}",
    ),
    (
        "dossier.receive",
        "Hồ sơ đã được tiếp nhận",
        "Hồ sơ {{ code }} đã được tiếp nhận",
        "Kính gửi {{ name }},\n\nHồ sơ {{ code }} ({{ procedure }}) đã được {{ agency }} "
        "tiếp nhận.\nNgày hẹn trả kết quả: {{ due_at|date:'H:i d/m/Y' }}.\n\n"
        "Theo dõi hồ sơ: {{ link }}",
        "Hồ sơ {{ code }} ({{ procedure|truncatechars:40 }}) đã được tiếp nhận. Hẹn trả: "
        "{{ due_at|date:'H:i d/m/Y' }}. Theo dõi: {{ link }}",
    ),
    (
        "dossier.request_completion",
        "Yêu cầu bổ sung trước khi tiếp nhận",
        "Hồ sơ {{ procedure }} cần bổ sung, hoàn thiện",
        "Kính gửi {{ name }},\n\nHồ sơ {{ procedure }} gửi {{ agency }} cần bổ sung, hoàn "
        "thiện trước khi được tiếp nhận. Các nội dung cần bổ sung:\n{{ items_text }}\n"
        "{% if note %}\nHướng dẫn thêm: {{ note }}\n{% endif %}"
        "\nXem phiếu yêu cầu và nộp lại tại: {{ link }}",
        "Hồ sơ {{ procedure|truncatechars:40 }} cần bổ sung: {{ items_short|truncatechars:120 }}. "
        "Xem: {{ link }}",
    ),
    (
        "dossier.refuse",
        "Từ chối tiếp nhận",
        "Hồ sơ {{ procedure }} không được tiếp nhận",
        "Kính gửi {{ name }},\n\nHồ sơ {% if code %}{{ code }} {% endif %}({{ procedure }}) "
        "không được {{ agency }} tiếp nhận.\nLý do: {{ reason }}\n\n"
        "Xem phiếu từ chối tiếp nhận: {{ link }}",
        "Hồ sơ {% if code %}{{ code }} {% endif %}({{ procedure|truncatechars:40 }}) không được "
        "tiếp nhận. Xem lý do: {{ link }}",
    ),
    (
        "dossier.request_supplement",
        "Yêu cầu bổ sung trong quá trình giải quyết",
        "Hồ sơ {{ code }} cần bổ sung",
        "Kính gửi {{ name }},\n\nHồ sơ {{ code }} ({{ procedure }}) cần bổ sung giấy tờ. "
        "Các nội dung cần bổ sung:\n{{ items_text }}\n"
        "{% if note %}\nHướng dẫn thêm: {{ note }}\n{% endif %}"
        "\nThời gian giải quyết tạm dừng cho đến khi ông/bà nộp bổ sung.\n\n"
        "Xem phiếu yêu cầu và nộp bổ sung tại: {{ link }}",
        "Hồ sơ {{ code }} ({{ procedure|truncatechars:40 }}) cần bổ sung: "
        "{{ items_short|truncatechars:120 }}. Xem: {{ link }}",
    ),
    (
        "dossier.reject",
        "Không đủ điều kiện giải quyết",
        "Hồ sơ {{ code }} không đủ điều kiện giải quyết",
        "Kính gửi {{ name }},\n\nHồ sơ {{ code }} ({{ procedure }}) không đủ điều kiện "
        "giải quyết.\n\nXem thông báo và lý do: {{ link }}",
        "Hồ sơ {{ code }} ({{ procedure|truncatechars:40 }}) không đủ điều kiện giải quyết. "
        "Xem: {{ link }}",
    ),
    (
        "dossier.approve",
        "Đã có kết quả",
        "Hồ sơ {{ code }} đã có kết quả",
        "Kính gửi {{ name }},\n\nHồ sơ {{ code }} ({{ procedure }}) đã có kết quả giải quyết."
        "\n\nXem cách nhận kết quả: {{ link }}",
        "Hồ sơ {{ code }} ({{ procedure|truncatechars:40 }}) đã có kết quả. Xem: {{ link }}",
    ),
    (
        "dossier.return_result",
        "Đã trả kết quả",
        "Hồ sơ {{ code }} đã trả kết quả",
        "Kính gửi {{ name }},\n\nKết quả hồ sơ {{ code }} ({{ procedure }}) đã được trả. "
        "Mời ông/bà đánh giá mức độ hài lòng.\n\nXem hồ sơ: {{ link }}",
        "Hồ sơ {{ code }} ({{ procedure|truncatechars:40 }}) đã trả kết quả. Xem: {{ link }}",
    ),
    (
        "dossier.withdraw",
        "Rút hồ sơ",
        "Hồ sơ {{ code|default:procedure }} đã được rút",
        "Kính gửi {{ name }},\n\nYêu cầu rút hồ sơ {% if code %}{{ code }} {% endif %}"
        "({{ procedure }}) gửi {{ agency }} đã được ghi nhận lúc {{ now|date:'H:i d/m/Y' }}.\n"
        "{% if reason %}Lý do rút: {{ reason }}\n{% endif %}"
        "Hồ sơ dừng giải quyết và không thể tiếp tục; nếu cần, ông/bà nộp hồ sơ mới.\n"
        "Các yêu cầu thanh toán chưa thực hiện đã được hủy. Giấy tờ bản gốc đã nộp (nếu có) "
        "được nhận lại tại Bộ phận Một cửa.\n\nXem hồ sơ: {{ link }}",
        "Hồ sơ {% if code %}{{ code }} {% endif %}({{ procedure|truncatechars:40 }}) đã được rút "
        "theo yêu cầu lúc {{ now|date:'H:i d/m/Y' }}. Xem: {{ link }}",
    ),
    (
        "dossier.stop",
        "Dừng xử lý",
        "Hồ sơ {{ code }} dừng xử lý",
        "Kính gửi {{ name }},\n\nHồ sơ {{ code }} ({{ procedure }}) đã dừng xử lý."
        "{% if reason %}\nLý do: {{ reason }}{% endif %}\n\nXem thông báo dừng xử lý: "
        "{{ link }}",
        "Hồ sơ {{ code }} ({{ procedure|truncatechars:40 }}) dừng xử lý. Xem: {{ link }}",
    ),
    (
        "dossier.issue_apology",
        "Phiếu xin lỗi và hẹn lại ngày trả",
        "Xin lỗi về việc chậm trả kết quả hồ sơ {{ code }}",
        "Kính gửi {{ name }},\n\nCơ quan giải quyết xin lỗi vì hồ sơ {{ code }} "
        "({{ procedure }}) chưa có kết quả đúng hẹn"
        "{% if original_due_at %} ({{ original_due_at|date:'H:i d/m/Y' }}){% endif %}."
        "{% if reason %}\nLý do: {{ reason }}{% endif %}\n"
        "Ngày hẹn trả mới: {{ due_at|date:'H:i d/m/Y' }}.\n\nXem phiếu xin lỗi: {{ link }}",
        "Xin lỗi: hồ sơ {{ code }} ({{ procedure|truncatechars:40 }}) trễ hẹn. "
        "Hẹn trả mới: {{ due_at|date:'H:i d/m/Y' }}. Xem: {{ link }}",
    ),
    (
        "processing.due_soon",
        "Hồ sơ sắp đến hạn (gửi lãnh đạo đơn vị)",
        "{{ count }} hồ sơ của {{ agency }} sắp đến hạn trả kết quả",
        "Kính gửi {{ name }},\n\nCác hồ sơ sau của {{ agency }} sắp đến hạn trả kết quả:\n"
        "{{ lines }}\n\nNếu không kịp trả đúng hạn, đề nghị ban hành phiếu xin lỗi và hẹn lại "
        "ngày trả (mẫu 04) chậm nhất 1 ngày làm việc trước hạn: {{ site }}/xu-ly/",
        "{{ count }} hồ sơ của {{ agency }} sắp đến hạn. Xem {{ site }}/xu-ly/",
    ),
    (
        "dossier.payment_requested",
        "Yêu cầu thanh toán phí, lệ phí",
        "Hồ sơ cần thanh toán phí, lệ phí: {{ code|default:procedure }}",
        "Kính gửi {{ name }},\n\nHồ sơ {% if code %}{{ code }} {% endif %}({{ procedure }}) "
        "cần thanh toán phí, lệ phí{% if amount %}: {{ amount }} đồng{% endif %}.\n\n"
        "Thanh toán trực tuyến tại: {{ link }}",
        "Hồ sơ {% if code %}{{ code }} {% endif %}({{ procedure|truncatechars:40 }}) cần thanh "
        "toán{% if amount %} {{ amount }} đồng{% endif %}. Thanh toán: {{ link }}",
    ),
    (
        "dossier.payment_paid",
        "Xác nhận đã thanh toán phí, lệ phí",
        "Đã nhận thanh toán hồ sơ {{ code|default:procedure }}",
        "Kính gửi {{ name }},\n\nĐã nhận {{ amount }} đồng phí, lệ phí của hồ sơ "
        "{% if code %}{{ code }} {% endif %}({{ procedure }}) lúc {{ paid_at|date:'H:i d/m/Y' }}."
        "{% if receipt_no %}\nSố biên lai: {{ receipt_no }}.{% endif %}\n\n"
        "Xem hồ sơ và biên lai: {{ link }}",
        "Đã nhận {{ amount }} đồng phí hồ sơ {% if code %}{{ code }} {% endif %}"
        "({{ procedure|truncatechars:40 }}). Xem: {{ link }}",
    ),
]


def ensure_code_format(model) -> None:
    model.objects.get_or_create(
        valid_from=CODE_FORMAT["valid_from"],
        defaults={k: v for k, v in CODE_FORMAT.items() if k != "valid_from"},
    )


def ensure_status_map(model) -> None:
    for status, label, code, synced in NATIONAL:
        row, created = model.objects.get_or_create(
            status=status,
            defaults={"national_label": label, "national_code": code, "synced": synced},
        )
        if not created and not row.national_code and code:
            # Rows made before the codes were known get them; edited codes stay.
            model.objects.filter(pk=row.pk).update(national_code=code, national_label=label)


def ensure_message_templates(model) -> None:
    for key, description, subject, email_body, sms_body in TEMPLATES:
        model.objects.get_or_create(
            key=key,
            defaults={
                "description": description,
                "subject": subject,
                "email_body": email_body,
                "sms_body": sms_body,
            },
        )


def ensure_defaults() -> None:
    from tthc_portal.notifications.models import MessageTemplate

    from .models import DossierCodeFormat, NationalStatusMap

    ensure_code_format(DossierCodeFormat)
    ensure_status_map(NationalStatusMap)
    ensure_message_templates(MessageTemplate)
