"""Default priority classes and the reminder wording; all editable in the admin.

Elderly (Law on the Elderly 39/2009, Art. 2) and persons with disabilities
(Law 51/2010) are legal; the other classes are unconfirmed — configuration."""

from __future__ import annotations

PRIORITY_CLASSES = [
    # code, label, legal basis, evidence, weight
    ("nguoi-cao-tuoi", "Người cao tuổi (từ đủ 60 tuổi)", "Luật Người cao tuổi 39/2009/QH12, Điều 2",
     "Căn cước", 2),
    ("nguoi-khuyet-tat", "Người khuyết tật", "Luật Người khuyết tật 51/2010/QH12",
     "Giấy xác nhận khuyết tật", 3),
    ("phu-nu-mang-thai", "Phụ nữ mang thai", "Chưa xác nhận – cấu hình của trung tâm", "", 2),
    ("tre-em-duoi-6", "Người đi cùng trẻ em dưới 6 tuổi", "Chưa xác nhận – cấu hình của trung tâm",
     "", 1),
    ("nguoi-co-cong", "Người có công với cách mạng", "Chưa xác nhận – cấu hình của trung tâm",
     "Giấy chứng nhận người có công", 2),
]  # fmt: skip

MESSAGE_TEMPLATES = [
    (
        "queueing.appointment_reminder",
        "Nhắc lịch hẹn tại Trung tâm Phục vụ hành chính công (một ngày trước)",
        "Nhắc lịch hẹn {{ day }} tại {{ centre }}",
        "Kính gửi {{ person }},\n\nÔng/bà có lịch hẹn ngày {{ day }}, "
        "từ {{ start }} đến {{ end }}, "
        "nhóm dịch vụ {{ group }} tại {{ centre }}{% if address %} ({{ address }}){% endif %}."
        "{% if procedure %}\nThủ tục: {{ procedure }}.{% endif %}\n\n"
        "Mã đặt lịch: {{ code }}. Khi đến, vui lòng nhập mã này tại ki-ốt để lấy số thứ tự.\n"
        "Nếu không đến được, vui lòng hủy lịch trên Cổng dịch vụ công.",
        "Nhac lich hen {{ day }} {{ start }}-{{ end }} tai {{ centre }}. Ma dat lich {{ code }}: "
        "nhap tai ki-ot de lay so.",
    ),
]


def ensure_priority_classes(model) -> None:
    for code, label, basis, evidence, weight in PRIORITY_CLASSES:
        model.objects.get_or_create(
            code=code,
            defaults={"label": label, "legal_basis": basis, "evidence": evidence, "weight": weight},
        )


def ensure_message_templates(template_model) -> None:
    for key, description, subject, email_body, sms_body in MESSAGE_TEMPLATES:
        template_model.objects.get_or_create(
            key=key,
            defaults={"description": description, "subject": subject,
                      "email_body": email_body, "sms_body": sms_body},
        )  # fmt: skip


def ensure_all() -> None:
    """With the current models (tests, a database flushed by live_server)."""
    from tthc_portal.notifications.models import MessageTemplate

    from .models import PriorityClass

    ensure_priority_classes(PriorityClass)
    ensure_message_templates(MessageTemplate)
