"""The default 766 scheme (indicators-766.md §1.2, §3, §6), as plain data.

Used by the data migration (with historical models) and by tests that flush
the database (``ensure_default_rule_set()``).
"""

from __future__ import annotations

import datetime
from decimal import Decimal as D

VALID_FROM = datetime.date(2022, 8, 1)
NAME = "Bộ chỉ số 766 (Quyết định 766/QĐ-TTg, hiển thị sáu nhóm như Cổng DVCQG)"
SOURCE = "Quyết định 766/QĐ-TTg ngày 23/6/2022; mô tả công thức tính của Cổng DVCQG"

# code, name, max, order, decision group (five-group display)
GROUPS = [
    ("transparency", "Công khai, minh bạch", D(18), 1, 1),
    ("dvc-progress-tree", "Tiến độ giải quyết", D(20), 2, 2),
    ("provide-online-tree", "Dịch vụ công trực tuyến", D(12), 3, 4),
    ("dossier-digitized", "Số hóa hồ sơ", D(22), 4, 3),
    ("formality-online-payment-tree", "Thanh toán trực tuyến", D(10), 5, 4),
    ("handling-satisfaction", "Mức độ hài lòng", D(18), 6, 5),
]

# group, code, api key, name, max, curve, threshold, factor, zero policy
CRITERIA = [
    (
        "transparency",
        "1.1",
        "PUBLISH_ON_TIME",
        "Công bố TTHC đúng hạn",
        6,
        "linear",
        None,
        None,
        "zero",
    ),
    (
        "transparency",
        "1.2",
        "PUBLIC_UPDATE_ON_TIME",
        "Công khai TTHC đúng hạn trên CSDL quốc gia",
        4,
        "linear",
        None,
        None,
        "zero",
    ),
    (
        "transparency",
        "1.3",
        "PUBLIC_CONTENT_FULL",
        "Công khai đầy đủ các bộ phận của TTHC",
        2,
        "linear",
        None,
        None,
        "zero",
    ),
    (
        "transparency",
        "1.4",
        "DOSSIER_SYNC",
        "Đồng bộ hồ sơ lên Cổng DVCQG",
        6,
        "linear",
        None,
        None,
        "zero",
    ),
    (
        "dvc-progress-tree",
        "2.1",
        "",
        "Hồ sơ giải quyết trước và đúng hạn",
        20,
        "linear",
        None,
        None,
        "zero",
    ),
    (
        "dvc-progress-tree",
        "2.2",
        "",
        "Thời gian giải quyết trung bình một thủ tục",
        0,
        "monitoring",
        None,
        None,
        "zero",
    ),
    (
        "provide-online-tree",
        "3.1",
        "",
        "TTHC cung cấp dịch vụ công trực tuyến",
        2,
        "cap",
        80,
        None,
        "zero",
    ),
    (
        "provide-online-tree",
        "3.2",
        "",
        "Dịch vụ công trực tuyến phát sinh hồ sơ",
        4,
        "linear",
        None,
        None,
        "zero",
    ),
    ("provide-online-tree", "3.3", "", "Tỷ lệ hồ sơ trực tuyến", 6, "cap", 50, None, "zero"),
    (
        "formality-online-payment-tree",
        "3.5",
        "",
        "TTHC có phí tích hợp thanh toán trực tuyến",
        2,
        "cap",
        80,
        None,
        "zero",
    ),
    (
        "formality-online-payment-tree",
        "3.5b",
        "",
        "TTHC có phí phát sinh giao dịch thanh toán trực tuyến",
        2,
        "custom_factor",
        None,
        D("2.5"),
        "zero",
    ),
    (
        "formality-online-payment-tree",
        "3.6",
        "",
        "Hồ sơ thanh toán trực tuyến",
        6,
        "linear",
        None,
        None,
        "zero",
    ),
    (
        "dossier-digitized",
        "4.1",
        "ORIGINAL_RESULT_AVAILABLE",
        "Hồ sơ có kết quả điện tử",
        6,
        "linear",
        None,
        None,
        "zero",
    ),
    (
        "dossier-digitized",
        "4.2",
        "SO_HOA_GIAY_TO_GIAI_QUYET",
        "Hồ sơ được số hóa",
        4,
        "cap",
        80,
        None,
        "zero",
    ),
    (
        "dossier-digitized",
        "4.3",
        "REUSED_DIGITIZED_DATA",
        "Hồ sơ tái sử dụng dữ liệu số hóa",
        2,
        "cap",
        80,
        None,
        "zero",
    ),
    (
        "dossier-digitized",
        "4.4",
        "SYNCED_WITH_DVCQG_PERSONAL_STORAGE",
        "Hồ sơ số hóa liên kết kho dữ liệu cá nhân",
        4,
        "linear",
        None,
        None,
        "zero",
    ),
    (
        "dossier-digitized",
        "4.5a",
        "CITIZEN_DATA_CONNECTED_FORMALITY",
        "TTHC khai thác dữ liệu dân cư",
        2,
        "linear",
        None,
        None,
        "zero",
    ),
    (
        "dossier-digitized",
        "4.5b",
        "CITIZEN_DATA_CONNECTED_DOSSIER",
        "Hồ sơ khai thác dữ liệu dân cư",
        2,
        "linear",
        None,
        None,
        "zero",
    ),
    (
        "dossier-digitized",
        "4.6",
        "ELECTRONIC_CERTIFIED_COPY",
        "Chứng thực bản sao điện tử từ bản chính",
        2,
        "linear",
        None,
        None,
        "zero",
    ),
    (
        "handling-satisfaction",
        "5.1",
        "PETITION_CLASSIFICATION",
        "Phân loại phản ánh, kiến nghị",
        0,
        "monitoring",
        None,
        None,
        "zero",
    ),
    (
        "handling-satisfaction",
        "5.2",
        "PETITION_PROCESSING_ON_TIME",
        "Xử lý phản ánh, kiến nghị đúng hạn",
        6,
        "linear",
        None,
        None,
        "full",
    ),
    (
        "handling-satisfaction",
        "5.3",
        "PETITION_HANDLING_SATISFACTION",
        "Hài lòng về xử lý phản ánh, kiến nghị",
        6,
        "linear",
        None,
        None,
        "full",
    ),
    (
        "handling-satisfaction",
        "5.4",
        "DOSSIER_RECEIVING_SATISFACTION",
        "Hài lòng trong tiếp nhận, giải quyết hồ sơ",
        6,
        "cap",
        90,
        None,
        "zero",
    ),
]

NOTES = {
    "3.5b": "Công thức chưa công bố; hệ số 2,5 theo số liệu quan sát (chưa xác nhận).",
    "4.2": "Ngưỡng 80% theo mô tả nghiệp vụ; số liệu API khớp tuyến tính (chưa xác nhận).",
    "4.6": "Mã nội bộ; công thức chưa công bố, 0 điểm cho đến khi có căn cứ.",
}

# Where each criterion's figures come from (others: the portal's own records).
SOURCES = {
    "1.1": "catalogue",
    "1.2": "catalogue",
    "1.3": "catalogue",
    "1.4": "flags",
    "3.1": "catalogue",
    "3.2": "catalogue",
    "3.3": "flags",
    "3.5": "catalogue",
    "3.5b": "catalogue",
    "4.5a": "flags",
    "4.5b": "flags",
    "4.6": "unavailable",
}

BANDS = [(D(90), "Xuất sắc"), (D(80), "Tốt"), (D(65), "Khá"), (D(50), "Trung bình"), (D(0), "Yếu")]


def seed(IndexRuleSet, IndicatorGroup, Criterion, RatingBand):
    """Create the default rule set if absent (idempotent); returns it."""
    rule_set, created = IndexRuleSet.objects.get_or_create(
        valid_from=VALID_FROM,
        defaults={"name": NAME, "display": "six_groups", "source": SOURCE},
    )
    if not created:
        return rule_set
    groups = {}
    for code, name, maximum, order, decision_group in GROUPS:
        groups[code] = IndicatorGroup.objects.create(
            rule_set=rule_set,
            code=code,
            name=name,
            max_points=maximum,
            order=order,
            decision_group=decision_group,
        )
    # The data migration runs this with a historical model that may predate ``source``.
    has_source = any(f.name == "source" for f in Criterion._meta.get_fields())
    for order, row in enumerate(CRITERIA, start=1):
        group, code, api_key, name, maximum, curve, threshold, factor, zero = row
        extra = {"source": SOURCES.get(code, "records")} if has_source else {}
        Criterion.objects.create(
            rule_set=rule_set,
            group=groups[group],
            code=code,
            api_key=api_key,
            name=name,
            order=order,
            max_points=D(maximum),
            curve=curve,
            threshold=D(threshold) if threshold is not None else None,
            factor=factor,
            zero_denominator=zero,
            note=NOTES.get(code, ""),
            **extra,
        )
    for lower, label in BANDS:
        RatingBand.objects.create(rule_set=rule_set, lower_bound=lower, label=label)
    return rule_set


def ensure_default_rule_set():
    from .models import Criterion, IndexRuleSet, IndicatorGroup, RatingBand

    return seed(IndexRuleSet, IndicatorGroup, Criterion, RatingBand)
