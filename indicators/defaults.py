"""The default 766 scheme (indicators-766.md §1.2, §3, §6), as plain data.

Used by the data migration (with historical models) and by tests that flush
the database (``ensure_default_rule_set()``).
"""

from __future__ import annotations

import datetime
from decimal import Decimal as D

from .criteria import Code

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
        Code.PUBLISH_ON_TIME,
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
        Code.POSTED_ON_TIME,
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
        Code.CONTENT_FULL,
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
        Code.DOSSIER_SYNC,
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
        Code.ON_TIME,
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
        Code.PROCESSING_TIME,
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
        Code.ONLINE_SERVICES,
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
        Code.ONLINE_SERVICES_USED,
        "",
        "Dịch vụ công trực tuyến phát sinh hồ sơ",
        4,
        "linear",
        None,
        None,
        "zero",
    ),
    (
        "provide-online-tree",
        Code.ONLINE_SHARE,
        "",
        "Tỷ lệ hồ sơ trực tuyến",
        6,
        "cap",
        50,
        None,
        "zero",
    ),
    (
        "formality-online-payment-tree",
        Code.FEE_LIST_SYNCED,
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
        Code.PAID_ONLINE_PROCEDURES,
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
        Code.PAID_ONLINE_DOSSIERS,
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
        Code.E_RESULT,
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
        Code.DIGITISED,
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
        Code.REUSED_DATA,
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
        Code.PERSONAL_STORE,
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
        Code.POPULATION_PROCEDURES,
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
        Code.POPULATION_DOSSIERS,
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
        Code.CERTIFIED_COPY,
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
        Code.PAKN_BY_TYPE,
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
        Code.PAKN_ON_TIME,
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
        Code.PAKN_SATISFACTION,
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
        Code.RECEIVING_SATISFACTION,
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
    Code.PAID_ONLINE_PROCEDURES: (
        "Công thức chưa công bố; hệ số 2,5 theo số liệu quan sát (chưa xác nhận)."
    ),
    Code.DIGITISED: "Ngưỡng 80% theo mô tả nghiệp vụ; số liệu API khớp tuyến tính (chưa xác nhận).",
    Code.CERTIFIED_COPY: "Mã nội bộ; công thức chưa công bố, 0 điểm cho đến khi có căn cứ.",
}

# Where each criterion's figures come from (others: the portal's own records).
SOURCES = {
    Code.PUBLISH_ON_TIME: "catalogue",
    Code.POSTED_ON_TIME: "catalogue",
    Code.CONTENT_FULL: "catalogue",
    Code.DOSSIER_SYNC: "flags",
    Code.ONLINE_SERVICES: "catalogue",
    Code.ONLINE_SERVICES_USED: "catalogue",
    Code.ONLINE_SHARE: "flags",
    Code.FEE_LIST_SYNCED: "catalogue",
    Code.PAID_ONLINE_PROCEDURES: "catalogue",
    Code.POPULATION_PROCEDURES: "flags",
    Code.POPULATION_DOSSIERS: "flags",
    Code.CERTIFIED_COPY: "unavailable",
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
