"""The synthetic data profile (shared/domain/scale.md §3) as numbers.

Percentages are the profile's design assumptions, not published statistics;
they live here so a benchmark or a demo can be re-tuned without touching the
generation code.
"""

from __future__ import annotations

from decimal import Decimal

# --- organisation (§3.1, benchmark column) --------------------------------------------------
DEPARTMENTS = 20
COMMUNES = 130
# Officers per unit: (desk, specialists, heads) — about 3,100 in all.
DEPARTMENT_STAFF = (4, 45, 8)
COMMUNE_STAFF = (3, 10, 2)
PROVINCIAL_STAFF = 5
# Citizens with an account, per generated online dossier (repeat applicants).
CITIZENS_PER_ONLINE_DOSSIER = 0.1
MAX_CITIZENS = 100_000

DEPARTMENT_NAMES = [
    "Văn phòng UBND tỉnh", "Sở Tài chính", "Sở Công Thương", "Sở Xây dựng",
    "Sở Nông nghiệp và Môi trường", "Sở Y tế", "Sở Giáo dục và Đào tạo", "Sở Nội vụ",
    "Sở Tư pháp", "Sở Văn hóa, Thể thao và Du lịch", "Sở Khoa học và Công nghệ",
    "Sở Dân tộc và Tôn giáo", "Sở Ngoại vụ", "Thanh tra tỉnh",
    "Ban Quản lý các Khu công nghiệp tỉnh", "Ban Quản lý Khu kinh tế tỉnh",
    "Bộ Chỉ huy Quân sự tỉnh", "Quỹ Đầu tư phát triển tỉnh",
    "Ban Quản lý dự án đầu tư xây dựng tỉnh", "Trường Chính trị tỉnh",
]  # fmt: skip
COMMUNE_FIRST = ["Tân", "An", "Hòa", "Phú", "Bình", "Long", "Thạnh", "Vĩnh", "Đông", "Tây",
                 "Nam", "Bắc", "Quang", "Minh", "Hưng", "Thuận", "Phước", "Thái"]  # fmt: skip
COMMUNE_SECOND = ["Lập", "Phú", "Bình", "An", "Hòa", "Thành", "Lợi", "Hưng", "Thịnh", "Tiến",
                  "Sơn", "Hải"]  # fmt: skip

# --- catalogue (§3.2) --------------------------------------------------------------------------
PROCEDURES = 1900
# (key, name, share of procedures, departments by 1-based index, on-time rate override)
FIELD_GROUPS = [
    ("land", "Đất đai, môi trường và tài nguyên nước", 0.14, (5,)),
    ("construction", "Xây dựng và giao thông", 0.10, (4,)),
    ("industry", "Công thương, đầu tư và doanh nghiệp", 0.16, (3, 2, 15, 16)),
    ("health", "Y tế và thiết bị y tế", 0.10, (6,)),
    ("education", "Giáo dục và đào tạo", 0.06, (7,)),
    ("labour", "Lao động, an sinh xã hội và việc làm", 0.10, (8,)),
    ("justice", "Tư pháp (hộ tịch, chứng thực, bổ trợ tư pháp)", 0.10, (9,)),
    ("culture", "Văn hóa, thể thao và du lịch", 0.08, (10,)),
    ("agriculture", "Nông nghiệp", 0.08, (5,)),
    ("home", "Nội vụ, tôn giáo, dân tộc và lĩnh vực khác", 0.08,
     (8, 12, 11, 13, 14, 17, 18, 19, 20, 1)),
]  # fmt: skip
LEVEL_COUNTS = {"province": 1450, "commune": 420, "province_and_commune": 30}
# Time limits: (share, unit, choices of limit).
TIME_LIMITS = [
    (0.12, "same_day", [None]),
    (0.03, "immediate", [None]),
    (0.15, "working_days", [1, 2, 3, 5]),
    (0.38, "working_days", [7, 10, 12, 15]),
    (0.18, "working_days", [20, 22, 25, 30]),
    (0.14, "working_days", [35, 40, 45, 60]),
]
CALENDAR_DAYS_SHARE = 0.10
WORKING_HOURS_SHARE = 0.02
WHOLE_DAY_SHARE = 0.25
CUTOFF_SHARE = 0.05  # of all procedures; given to same-day ones
ONLINE_LEVELS = [("full", 0.55), ("partial", 0.35), ("none", 0.10)]
PARTIAL_BUT_ELIGIBLE = 0.05
FEE_PROCEDURE_SHARE = 0.40
FEE_DOSSIER_SHARE = 0.35
FEE_TIERED, FEE_PER_UNIT, FEE_ONLINE_DISCOUNT = 0.20, 0.20, 0.15
FEE_AMOUNTS = [10_000, 20_000, 30_000, 50_000, 100_000, 200_000, 500_000, 1_000_000]
PAPER_RESULT_SHARE = 0.85
TOP_PROCEDURES, TOP_SHARE = 50, 0.70  # Zipf: the top 50 take 70% of dossiers
COMMUNE_VOLUME_SHARE = 0.78

# Real high-volume procedures for the top of the Zipf curve:
# (name, field group, level, time unit, limit, 15:00 cut-off, fee, online level)
TOP_NAMES = [
    ("Chứng thực bản sao từ bản chính giấy tờ, văn bản", "justice", "province_and_commune",
     "same_day", None, True, 2_000, "partial"),
    ("Chứng thực chữ ký trong các giấy tờ, văn bản", "justice", "province_and_commune",
     "same_day", None, True, 10_000, "partial"),
    ("Đăng ký khai sinh", "justice", "commune", "same_day", None, False, 0, "full"),
    ("Cấp bản sao trích lục hộ tịch", "justice", "commune", "same_day", None, False, 8_000, "full"),
    ("Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", "land",
     "commune", "working_days", 10, False, 30_000, "partial"),
    ("Đăng ký thành lập hộ kinh doanh", "industry", "commune", "working_days", 3, False,
     100_000, "full"),
    ("Cấp Giấy xác nhận tình trạng hôn nhân", "justice", "commune", "working_days", 3, False,
     0, "full"),
    ("Đăng ký khai tử", "justice", "commune", "same_day", None, False, 0, "full"),
    ("Đăng ký kết hôn", "justice", "commune", "working_days", 5, False, 0, "full"),
    ("Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất",
     "justice", "commune", "working_days", 2, False, 50_000, "partial"),
    ("Đăng ký thay đổi nội dung đăng ký hộ kinh doanh", "industry", "commune", "working_days",
     3, False, 50_000, "full"),
    ("Đăng ký thường trú", "home", "commune", "working_days", 7, False, 0, "full"),
    ("Giải quyết hưởng trợ cấp xã hội hằng tháng", "labour", "commune", "working_days", 12,
     False, 0, "partial"),
    ("Cấp giấy phép xây dựng nhà ở riêng lẻ", "construction", "commune", "working_days", 15,
     False, 75_000, "partial"),
    ("Đăng ký cấp Giấy chứng nhận quyền sử dụng đất lần đầu", "land", "commune",
     "working_days", 20, False, 100_000, "partial"),
    ("Thay đổi, cải chính, bổ sung thông tin hộ tịch", "justice", "commune", "working_days",
     3, False, 15_000, "full"),
    ("Đăng ký thành lập doanh nghiệp", "industry", "province", "working_days", 3, False,
     50_000, "full"),
    ("Cấp Giấy phép lái xe (đổi)", "construction", "province", "working_days", 5, False,
     135_000, "full"),
    ("Cấp phiếu lý lịch tư pháp", "justice", "province", "working_days", 10, False, 200_000,
     "full"),
    ("Cấp giấy phép lao động cho người lao động nước ngoài", "labour", "province",
     "working_days", 10, False, 600_000, "full"),
]  # fmt: skip

# --- dossiers (§3.3) ---------------------------------------------------------------------------
# Outcome mix of dossiers that are not open (completion requests resubmitted 80% of the
# time continue as received dossiers; the 20% never resubmitted stay waiting).
OUTCOMES = [
    ("returned", 93.0),
    ("refused", 2.0),
    ("awaiting_completion", 1.0),  # 5% asked to complete before receipt × 20% never back
    ("rejected", 1.0),
    ("withdrawn", 1.0),
]
COMPLETION_RESUBMITTED = 0.04  # received dossiers asked to complete before receipt
SUBMITTED_SHARE = 0.002  # online dossiers waiting at the desk
RESULT_READY_SHARE = 0.005  # results signed, not yet collected
# Online 50%, in person 45%, postal 5% overall (postal only where the procedure allows it).
CHANNELS_WHEN_ONLINE = [(2, 0.52), (1, 0.40), (3, 0.08)]  # online, in person, postal
CHANNELS_OFFLINE = [(1, 0.92), (3, 0.08)]
OFFICER_ASSISTED = 0.30  # of online dossiers
WEEKDAY_FACTORS = [1.3, 1.0, 1.0, 1.0, 0.9, 0.15, 0.1]  # online only on weekends
DECEMBER_FACTOR, TET_MONTH_FACTOR, AFTER_TET_FACTOR = 1.3, 0.6, 1.4
ONLINE_OUT_OF_HOURS = 0.10
SUPPLEMENT_ONE, SUPPLEMENT_MORE = 0.08, 0.005
SUPPLEMENT_NEVER_BACK = 0.10
ON_TIME = {"province": 0.97, "commune": 0.96, "land_construction": 0.90}
EARLY_SHARE = 0.30
APOLOGY_BEFORE, APOLOGY_AFTER = 0.70, 0.10  # of late dossiers
DIGITISED_IN_PERSON = 0.85
E_RESULT_PAPER = 0.80
REUSED, FROM_PERSONAL_STORE = 0.25, 0.15
VNEID_ONLINE, POPULATION_DB_IN_PERSON = 0.95, 0.40
ONLINE_PAID = 0.45  # of fee-bearing dossiers
GATEWAY_NATIONAL = 0.70
SYNC = [("synced", 0.985), ("retrying", 0.01), ("failed", 0.005)]
RESULT_ONLINE_DELIVERY = 0.40  # of online dossiers

HALF_DAY = Decimal(4)
