"""Default configuration rows, seeded by a data migration and editable in the admin.

Every value here is marked "unconfirmed — keep configurable" (or "confirmed
for the index") in feedback.md; none of them is read from code elsewhere.
Functions take model classes so the migration can pass historical models.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

VALID_FROM = datetime.date(2018, 1, 1)
SOURCE_RATING = (
    "Nghị định 61/2018/NĐ-CP Điều 31; Thông tư 01/2018/TT-VPCP Chương III; "
    "thang điểm và xếp loại theo một phần mềm địa phương (chưa xác nhận — cấu hình được)"
)
POINTS = {"0": "0 điểm – Không đạt", "1": "1 điểm – Đạt một phần", "2": "2 điểm – Tốt"}

# (code, label, prefill, rubric, labels)
CRITERIA = [
    (
        "c1_total_time",
        "Tổng thời gian giải quyết hồ sơ so với quy định",
        "timeliness",
        {"early": 2, "on_time": 2, "late_with_apology": 1, "late": 0},
        {
            "0": "Trễ hạn, không có phiếu xin lỗi",
            "1": "Trễ hạn, có phiếu xin lỗi",
            "2": "Sớm hoặc đúng hạn",
        },
    ),
    (
        "c2_time_per_agency",
        "Thời gian thực hiện tại từng cơ quan, kể cả cơ quan phối hợp",
        "timeliness",
        {"early": 2, "on_time": 2, "late_with_apology": 1, "late": 0},
        {
            "0": "Có cơ quan trễ hạn",
            "1": "Trễ hạn, có phiếu xin lỗi",
            "2": "Các cơ quan đều đúng hạn",
        },
    ),
    (
        "c3_contacts_needed",
        "Số lần phải liên hệ nơi tiếp nhận để hoàn thiện hồ sơ (kể cả trực tuyến)",
        "contacts",
        {"thresholds": [[1, 2], [2, 1]], "otherwise": 0},
        {"0": "Từ 3 lần trở lên", "1": "2 lần", "2": "1 lần"},
    ),
    (
        "c4_agencies_contacted",
        "Số cơ quan, đơn vị phải liên hệ",
        "agencies",
        {"thresholds": [[1, 2], [2, 1]], "otherwise": 0, "count_coordinating": False},
        {"0": "Từ 3 cơ quan trở lên", "1": "2 cơ quan", "2": "1 cơ quan"},
    ),
    (
        "c5_one_stop_compliance",
        "Thực hiện tiếp nhận, giải quyết, trả kết quả tại Bộ phận Một cửa",
        "none",
        {},
        POINTS,
    ),
    ("c6_publicity", "Công khai thủ tục hành chính", "none", {}, POINTS),
    (
        "c7_attitude",
        "Thái độ của cán bộ khi hướng dẫn, tiếp nhận, giải quyết hồ sơ",
        "none",
        {},
        POINTS,
    ),
    (
        "c8_feedback_response",
        "Tiếp thu, giải trình ý kiến phản ánh, kiến nghị của người dân",
        "none",
        {},
        POINTS,
    ),
    (
        "c9_online_service",
        "Tiến độ, chất lượng cung cấp dịch vụ công trực tuyến",
        "none",
        {},
        POINTS,
    ),
]

# feedback.md: the proposed unambiguous default (15 is Xuất sắc).
BANDS = [
    ("excellent", "Xuất sắc", Decimal(15), None),
    ("good", "Tốt", Decimal(12), Decimal(15)),
    ("fair", "Khá", Decimal(9), Decimal(12)),
    ("average", "Trung bình", Decimal(6), Decimal(9)),
    ("weak", "Yếu", None, Decimal(6)),
]

# (key, working days, source)
PAKN_DEADLINES = [
    ("refuse", 2, "Quy tắc vận hành chỉ số 766 (tiêu chí 5.2)"),
    ("first_supplement", 5, "Quy tắc vận hành chỉ số 766 (tiêu chí 5.2)"),
    ("forward", 5, "Nghị định 92/2017/NĐ-CP (quy trình điện tử)"),
    (
        "handle",
        15,
        "Quy tắc vận hành chỉ số 766 (tiêu chí 5.2): từ khi gửi hoặc lần chuyển gần nhất",
    ),
    ("publish", 2, "Quy tắc vận hành chỉ số 766 (tiêu chí 5.2)"),
]

MESSAGE_TEMPLATES = [
    (
        "feedback.rating_invite",
        "Mời đánh giá việc giải quyết hồ sơ khi trả kết quả",
        "Mời ông/bà đánh giá việc giải quyết hồ sơ {{ code }}",
        "Kính gửi {{ name }},\n\nHồ sơ {{ code }} ({{ procedure }}) đã được giải quyết xong. "
        "Mời ông/bà đánh giá mức độ hài lòng (9 tiêu chí, mỗi tiêu chí 0–2 điểm) tại:\n"
        "{{ link }}\n\nĐường dẫn này gửi riêng cho ông/bà, chỉ dùng được một lần và có hiệu lực "
        "đến {{ expires_at|date:'d/m/Y' }}; vui lòng không chuyển cho người khác.\n"
        "Ông/bà cũng có thể đánh giá khi đăng nhập cổng dịch vụ công (mục Hồ sơ của tôi) hoặc tại "
        "ki-ốt của Bộ phận Một cửa bằng mã hồ sơ.\nTrân trọng cảm ơn.",
        "Ho so {{ code }} da giai quyet xong. Moi danh gia (dung 1 lan, han "
        "{{ expires_at|date:'d/m/Y' }}): {{ link }}",
    ),
    (
        "feedback.rating_review",
        "Đánh giá không hài lòng hoặc điểm thấp: giao lãnh đạo đơn vị xem xét",
        "Cần xem xét đánh giá hồ sơ {{ code }}",
        "Hồ sơ {{ code }} nhận đánh giá {{ like }} với tổng điểm {{ total }} ({{ band }}).\n"
        "Ý kiến: {{ comment|default:'(không có)' }}\nXem và thẩm định: {{ link }}",
        "",
    ),
    (
        "feedback.received",
        "Đã nhận phản ánh, kiến nghị",
        "Đã nhận phản ánh, kiến nghị {{ code }}",
        "Kính gửi {{ name }},\n\nCơ quan đã nhận phản ánh, kiến nghị “{{ title }}”, "
        "mã {{ code }}.\nÔng/bà theo dõi kết quả xử lý tại: {{ link }}\n"
        "Hạn xử lý: {{ handle_due_at|date:'d/m/Y' }}.",
        "Da nhan PAKN {{ code }}. Theo doi tai: {{ link }}",
    ),
    (
        "feedback.not_accepted",
        "PAKN không được tiếp nhận (kèm lý do)",
        "Phản ánh, kiến nghị {{ code }} không được tiếp nhận",
        "Kính gửi {{ name }},\n\nPhản ánh, kiến nghị {{ code }} không được tiếp nhận vì: "
        "{{ reason }}\nChi tiết: {{ link }}",
        "PAKN {{ code }} khong duoc tiep nhan: {{ reason }}",
    ),
    (
        "feedback.request_info",
        "Đề nghị người gửi bổ sung thông tin",
        "Đề nghị bổ sung thông tin cho phản ánh, kiến nghị {{ code }}",
        "Kính gửi {{ name }},\n\nĐể xử lý phản ánh, kiến nghị {{ code }}, "
        "đề nghị ông/bà bổ sung:\n{{ request }}\n\nGửi thông tin bổ sung tại: {{ link }}",
        "PAKN {{ code }}: de nghi bo sung thong tin tai {{ link }}",
    ),
    (
        "feedback.forwarded",
        "PAKN được chuyển cơ quan có thẩm quyền",
        "Phản ánh, kiến nghị {{ code }} đã được chuyển cơ quan có thẩm quyền",
        "Kính gửi {{ name }},\n\nPhản ánh, kiến nghị {{ code }} không thuộc thẩm quyền "
        "của tỉnh và đã được chuyển tới {{ recipient }} để xem xét, xử lý.\nChi tiết: {{ link }}",
        "PAKN {{ code }} da chuyen toi {{ recipient }}",
    ),
    (
        "feedback.published",
        "Kết quả xử lý PAKN đã được công khai",
        "Kết quả xử lý phản ánh, kiến nghị {{ code }}",
        "Kính gửi {{ name }},\n\nKết quả xử lý phản ánh, kiến nghị {{ code }}:\n\n{{ answer }}\n\n"
        "Kết quả đã được công khai tại {{ public_link }}. Ông/bà có thể đánh giá hài lòng hoặc "
        "không hài lòng tại đó.",
        "PAKN {{ code }} da co ket qua: {{ public_link }}",
    ),
    (
        "feedback.assigned",
        "PAKN được chuyển đến đơn vị xử lý",
        "Phản ánh, kiến nghị {{ code }} được chuyển đến {{ agency }}",
        "Phản ánh, kiến nghị {{ code }} “{{ title }}” được chuyển đến {{ agency }} xử lý.\n"
        "Hạn xử lý: {{ handle_due_at|date:'H:i d/m/Y' }}.\nXử lý tại: {{ link }}",
        "",
    ),
    (
        "feedback.due_soon",
        "PAKN sắp đến hạn",
        "Sắp đến hạn: phản ánh, kiến nghị {{ code }} ({{ deadline }})",
        "Phản ánh, kiến nghị {{ code }} “{{ title }}” ({{ agency }}) sắp đến hạn "
        "“{{ deadline }}”: {{ due_at|date:'H:i d/m/Y' }}.\n{{ link }}",
        "",
    ),
    (
        "feedback.overdue",
        "PAKN quá hạn",
        "QUÁ HẠN: phản ánh, kiến nghị {{ code }} ({{ deadline }})",
        "Phản ánh, kiến nghị {{ code }} “{{ title }}” ({{ agency }}) đã quá hạn "
        "“{{ deadline }}” từ {{ due_at|date:'H:i d/m/Y' }}.\n{{ link }}",
        "",
    ),
]


def ensure_rating_rules(rule_set_model, criterion_model, band_model) -> None:
    rule_set, created = rule_set_model.objects.get_or_create(
        valid_from=VALID_FROM,
        defaults={
            "name": "Bộ 9 tiêu chí đánh giá việc giải quyết TTHC",
            "scale": "points",
            "edit_window_days": 7,
            "review_below_total": 9,
            "source": SOURCE_RATING,
        },
    )
    if not created:
        return
    for order, (code, label, prefill, rubric, labels) in enumerate(CRITERIA, start=1):
        criterion_model.objects.create(
            rule_set=rule_set,
            code=code,
            order=order,
            label=label,
            prefill=prefill,
            rubric=rubric,
            choice_labels=labels,
            min_score=0,
            max_score=2,
        )
    for order, (code, label, low, high) in enumerate(BANDS, start=1):
        band_model.objects.create(
            rule_set=rule_set, code=code, label=label, min_total=low, max_total=high, order=order
        )


def ensure_pakn_rules(rule_model, policy_model) -> None:
    for key, days, source in PAKN_DEADLINES:
        rule_model.objects.get_or_create(
            key=key,
            valid_from=VALID_FROM,
            defaults={"working_days": Decimal(days), "mode": "working_hours", "source": source},
        )
    policy_model.objects.get_or_create(
        valid_from=VALID_FROM,
        defaults={
            "supplement_pauses_clock": True,
            "due_soon_working_days": Decimal(1),
            "publish_identity_with_consent": True,
            "max_attachments": 5,
            "source": "feedback.md: tạm dừng khi yêu cầu bổ sung (chưa xác nhận — cấu hình được)",
        },
    )


def ensure_message_templates(template_model) -> None:
    for key, description, subject, email_body, sms_body in MESSAGE_TEMPLATES:
        template_model.objects.get_or_create(
            key=key,
            defaults={
                "description": description,
                "subject": subject,
                "email_body": email_body,
                "sms_body": sms_body,
            },
        )


def ensure_all() -> None:
    """With the current models (tests, a database flushed by live_server)."""
    from tthc_portal.notifications.models import MessageTemplate

    from .models import PaknDeadlineRule, PaknPolicy, RatingBand, RatingCriterion, RatingRuleSet

    ensure_rating_rules(RatingRuleSet, RatingCriterion, RatingBand)
    ensure_pakn_rules(PaknDeadlineRule, PaknPolicy)
    ensure_message_templates(MessageTemplate)
