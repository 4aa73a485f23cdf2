"""Vietnamese names, identifiers and addresses for synthetic people."""

from __future__ import annotations

import random

# Family names with their approximate frequency (per cent).
FAMILY = [
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Hoàng", 3), ("Huỳnh", 2),
    ("Phan", 4.5), ("Vũ", 2), ("Võ", 2), ("Đặng", 2.1), ("Bùi", 2), ("Đỗ", 1.4), ("Hồ", 1.3),
    ("Ngô", 1.3), ("Dương", 1), ("Lý", 0.5), ("Đinh", 0.6), ("Trịnh", 0.5), ("Mai", 0.4),
]  # fmt: skip
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "Hoàng", "Xuân",
          "Kim", "Công", "Thành", "Mỹ", "Bảo", "Gia", "Anh"]  # fmt: skip
GIVEN = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng",
         "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Nga", "Ngọc", "Phong",
         "Phúc", "Quang", "Quân", "Sơn", "Tâm", "Thảo", "Thắng", "Thủy", "Trang", "Trung",
         "Tuấn", "Vân", "Việt", "Yến", "Đạt", "Huy", "Khoa", "Nhung"]  # fmt: skip
BUSINESS = ["Công ty TNHH", "Công ty cổ phần", "Hợp tác xã", "Doanh nghiệp tư nhân"]
TRADES = ["Thương mại", "Xây dựng", "Nông sản", "Vận tải", "Du lịch", "Dược phẩm", "Cơ khí",
          "Thủy sản", "Công nghệ", "May mặc"]  # fmt: skip
STREETS = ["Lê Lợi", "Trần Hưng Đạo", "Nguyễn Huệ", "Hai Bà Trưng", "Quang Trung",
           "Lý Thường Kiệt", "Phan Đình Phùng", "Điện Biên Phủ", "Hùng Vương",
           "Bạch Đằng"]  # fmt: skip

_FAMILY_NAMES = [name for name, _ in FAMILY]
_FAMILY_CUM = []
_total = 0.0
for _name, _share in FAMILY:
    _total += _share
    _FAMILY_CUM.append(_total)


def person(rng: random.Random) -> str:
    family = rng.choices(_FAMILY_NAMES, cum_weights=_FAMILY_CUM)[0]
    return f"{family} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def business(rng: random.Random) -> str:
    return f"{rng.choice(BUSINESS)} {rng.choice(TRADES)} {rng.choice(GIVEN)} {rng.choice(GIVEN)}"


def personal_id(rng: random.Random) -> str:
    """A 12-digit personal identification number (province code, sex/century, year, serial)."""
    return f"0{rng.randrange(1, 96):02d}{rng.choice('0123')}{rng.randrange(40, 100):02d}" + (
        f"{rng.randrange(0, 1_000_000):06d}"
    )


def tax_code(rng: random.Random) -> str:
    return f"{rng.randrange(1, 10)}{rng.randrange(0, 10**9):09d}"


def phone(rng: random.Random) -> str:
    return f"0{rng.choice('35789')}{rng.randrange(0, 10**8):08d}"


def address(rng: random.Random, place: str) -> str:
    return f"Số {rng.randrange(1, 300)} đường {rng.choice(STREETS)}, {place}"
