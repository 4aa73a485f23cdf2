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

TEMPLATES = [
    (
        "dossier.receive",
        "Hồ sơ đã được tiếp nhận",
        "Hồ sơ {{ code }} đã được tiếp nhận",
        "Kính gửi {{ name }},\n\nHồ sơ {{ code }} ({{ procedure }}) đã được tiếp nhận.\n"
        "Ngày hẹn trả kết quả: {{ due_at|date:'H:i d/m/Y' }}.\n\nTra cứu: {{ site }}/tra-cuu/",
        "Ho so {{ code }} da duoc tiep nhan. Hen tra: {{ due_at|date:'H:i d/m/Y' }}.",
    ),
    (
        "dossier.request_completion",
        "Yêu cầu bổ sung trước khi tiếp nhận",
        "Hồ sơ của bạn cần bổ sung, hoàn thiện",
        "Kính gửi {{ name }},\n\nHồ sơ {{ procedure }} cần bổ sung, hoàn thiện trước khi được "
        "tiếp nhận. Vui lòng xem phiếu yêu cầu bổ sung và nộp lại trên cổng dịch vụ công.",
        "Ho so {{ procedure|truncatechars:40 }} can bo sung. "
        "Vui long xem phieu yeu cau tren cong DVC.",
    ),
    (
        "dossier.refuse",
        "Từ chối tiếp nhận",
        "Hồ sơ không được tiếp nhận",
        "Kính gửi {{ name }},\n\nHồ sơ {{ procedure }} không được tiếp nhận. Lý do: "
        "{{ dossier.refusal_reason }}",
        "Ho so {{ procedure|truncatechars:40 }} khong duoc tiep nhan. Xem ly do tren cong DVC.",
    ),
    (
        "dossier.request_supplement",
        "Yêu cầu bổ sung trong quá trình giải quyết",
        "Hồ sơ {{ code }} cần bổ sung",
        "Kính gửi {{ name }},\n\nHồ sơ {{ code }} cần bổ sung giấy tờ. Thời gian giải quyết tạm "
        "dừng cho đến khi bạn nộp bổ sung.",
        "Ho so {{ code }} can bo sung giay to. Vui long xem tren cong DVC.",
    ),
    (
        "dossier.reject",
        "Không đủ điều kiện giải quyết",
        "Hồ sơ {{ code }} không đủ điều kiện giải quyết",
        "Kính gửi {{ name }},\n\nHồ sơ {{ code }} không đủ điều kiện giải quyết. Vui lòng xem "
        "thông báo trên cổng dịch vụ công.",
        "Ho so {{ code }} khong du dieu kien giai quyet.",
    ),
    (
        "dossier.approve",
        "Đã có kết quả",
        "Hồ sơ {{ code }} đã có kết quả",
        "Kính gửi {{ name }},\n\nHồ sơ {{ code }} đã có kết quả giải quyết.",
        "Ho so {{ code }} da co ket qua.",
    ),
    (
        "dossier.return_result",
        "Đã trả kết quả",
        "Hồ sơ {{ code }} đã trả kết quả",
        "Kính gửi {{ name }},\n\nKết quả hồ sơ {{ code }} đã được trả. Mời bạn đánh giá mức độ "
        "hài lòng trên cổng dịch vụ công.",
        "Ho so {{ code }} da tra ket qua. Moi danh gia muc do hai long.",
    ),
    (
        "dossier.withdraw",
        "Rút hồ sơ",
        "Hồ sơ {{ code }} đã được rút",
        "Kính gửi {{ name }},\n\nYêu cầu rút hồ sơ {{ code }} đã được ghi nhận.",
        "Ho so {{ code }} da duoc rut theo yeu cau.",
    ),
    (
        "dossier.stop",
        "Dừng xử lý",
        "Hồ sơ {{ code }} dừng xử lý",
        "Kính gửi {{ name }},\n\nHồ sơ {{ code }} đã dừng xử lý. Vui lòng xem thông báo.",
        "Ho so {{ code }} dung xu ly.",
    ),
    (
        "dossier.issue_apology",
        "Phiếu xin lỗi và hẹn lại ngày trả",
        "Xin lỗi về việc chậm trả kết quả hồ sơ {{ code }}",
        "Kính gửi {{ name }},\n\nCơ quan giải quyết xin lỗi vì hồ sơ {{ code }} chưa có kết quả "
        "đúng hẹn. Ngày hẹn trả mới: {{ due_at|date:'H:i d/m/Y' }}.",
        "Xin loi: ho so {{ code }} tre hen. Hen tra moi: {{ due_at|date:'H:i d/m/Y' }}.",
    ),
    (
        "processing.due_soon",
        "Hồ sơ sắp đến hạn (gửi lãnh đạo đơn vị)",
        "{{ count }} hồ sơ của {{ agency }} sắp đến hạn trả kết quả",
        "Kính gửi {{ name }},\n\nCác hồ sơ sau của {{ agency }} sắp đến hạn trả kết quả:\n"
        "{{ lines }}\n\nNếu không kịp trả đúng hạn, đề nghị ban hành phiếu xin lỗi và hẹn lại "
        "ngày trả (mẫu 04) chậm nhất 1 ngày làm việc trước hạn: {{ site }}/xu-ly/",
        "{{ count }} ho so cua {{ agency }} sap den han. Xem {{ site }}/xu-ly/",
    ),
    (
        "dossier.payment_requested",
        "Yêu cầu thanh toán phí, lệ phí",
        "Hồ sơ cần thanh toán phí, lệ phí",
        "Kính gửi {{ name }},\n\nHồ sơ {{ procedure }} cần thanh toán phí, lệ phí. Vui lòng thanh "
        "toán trực tuyến trên cổng dịch vụ công.",
        "Ho so can thanh toan phi, le phi tren cong DVC.",
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
