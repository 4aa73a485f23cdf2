"""What citizens type into the catalogue search finds the right procedure first.

The catalogue is the 63 real procedures of the sample file (as seed_demo imports
them) plus the citizen-facing procedures the sample lacks
(tests/procedures/data/search_extra_procedures.json), both through the
catalogue importer. Runs unchanged on SQLite (default) and PostgreSQL
(DATABASE_URL=postgres://…): the first results must be the same on both.

Queries marked ``OLD_FAILS`` did not give the expected first result with the
substring search this replaced (checked by running this file against it).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from procedures.selectors import catalogue_facets, catalogue_search
from procedures.services.importing import procedures_import

EXTRA_FILE = Path(__file__).parent / "data" / "search_extra_procedures.json"

# (query, expected first result: its name, or its code when two share a name)
QUERIES: list[tuple[str, str]] = [
    # The home page's and the catalogue page's own examples.
    ("đăng ký hộ kinh doanh", "Đăng ký thành lập hộ kinh doanh"),
    ("dang ky ho kinh doanh", "Đăng ký thành lập hộ kinh doanh"),
    ("ho kinh doanh", "Đăng ký thành lập hộ kinh doanh"),
    ("khai sinh", "Đăng ký khai sinh"),
    ("1.004122", "Cấp giấy phép hành nghề khoan nước dưới đất"),
    # Codes without dots, with spaces, with the local suffix, after "mã".
    ("1004122", "Cấp giấy phép hành nghề khoan nước dưới đất"),
    ("2 000884", "2.000884"),
    ("2.000884.000.00.00.H61", "2.000884"),
    ("mã 1014199", "1.014199"),
    # Abbreviations (procedures/search_vocabulary.json).
    ("hkd", "Đăng ký thành lập hộ kinh doanh"),
    ("chấm dứt hkd", "Chấm dứt hoạt động hộ kinh doanh"),
    ("GPLX quốc tế", "Cấp giấy phép lái xe quốc tế"),
    ("đổi bằng lái xe", "Cấp đổi giấy phép lái xe"),
    ("cấp lại cccd", "Cấp lại thẻ căn cước"),
    ("gia hạn gplđ", "1.014201"),
    ("thành lập dntn", "Đăng ký thành lập doanh nghiệp tư nhân"),
    ("thanh lap cong ty tnhh", "Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên"),
    ("lltp", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam"),  # noqa: E501
    ("sổ đỏ", "Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất lần đầu"),  # noqa: E501
    ("attp", "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm"),
    ("tbyt loại A", "Công bố tiêu chuẩn áp dụng đối với thiết bị y tế thuộc loại A, B"),
    ("doanh nghiệp khcn", "1.014445"),
    ("sao y bản chính", "2.000815"),
    ("công chứng di chúc", "Chứng thực di chúc"),
    ("giấy chứng tử", "Đăng ký khai tử"),
    ("xác nhận độc thân", "Cấp Giấy xác nhận tình trạng hôn nhân"),
    ("nhập hộ khẩu", "Đăng ký thường trú"),
    # Words citizens add around the name.
    ("thủ tục đăng ký kết hôn", "Đăng ký kết hôn"),
    ("xin giấy phép xây dựng nhà ở", "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ"),
    ("giấy phép lao động cho người nước ngoài", "1.014199"),
    ("cách đăng ký tạm trú", "Đăng ký tạm trú"),
    # Plain names, with and without diacritics, whole or in part.
    ("KẾT HÔN", "Đăng ký kết hôn"),
    ("dang ky khai tu", "Đăng ký khai tử"),
    ("chứng thực chữ ký", "2.000884"),
    ("chung thuc ban sao", "2.000815"),
    ("khoan nước", "Cấp giấy phép hành nghề khoan nước dưới đất"),
    ("bổ nhiệm giám định viên tư pháp", "Bổ nhiệm và cấp thẻ giám định viên tư pháp"),
    ("mien nhiem giam dinh vien tu phap", "Miễn nhiệm giám định viên tư pháp"),
    ("tạm ngừng hộ kinh doanh", "Tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo của hộ kinh doanh"),  # noqa: E501
    ("an toàn thực phẩm", "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm"),
    ("giấy phép bán rượu", "Cấp Giấy phép bán lẻ sản phẩm rượu"),
    ("công nhận khởi nghiệp sáng tạo", "1.014433"),
    ("cap phep thi cong nut giao", "Cấp phép thi công nút giao đấu nối vào quốc lộ, đường địa phương đang khai thác"),  # noqa: E501
]  # fmt: skip

# The 27 queries whose first result was wrong or missing with the substring search
# this replaced (procedures/selectors.py before issue #15 item 16).
OLD_FAILS: set[str] = {
    "đăng ký hộ kinh doanh",
    "dang ky ho kinh doanh",
    "ho kinh doanh",
    "1004122",
    "mã 1014199",
    "hkd",
    "chấm dứt hkd",
    "GPLX quốc tế",
    "đổi bằng lái xe",
    "cấp lại cccd",
    "gia hạn gplđ",
    "thành lập dntn",
    "thanh lap cong ty tnhh",
    "lltp",
    "sổ đỏ",
    "attp",
    "tbyt loại A",
    "doanh nghiệp khcn",
    "công chứng di chúc",
    "giấy chứng tử",
    "xác nhận độc thân",
    "nhập hộ khẩu",
    "thủ tục đăng ký kết hôn",
    "xin giấy phép xây dựng nhà ở",
    "giấy phép lao động cho người nước ngoài",
    "cách đăng ký tạm trú",
    "chứng thực chữ ký",
}


@pytest.fixture(scope="module")
def search_catalogue(django_db_setup, django_db_blocker) -> Iterator[None]:
    """The sample and the extra procedures, imported once, rolled back at the end."""
    rows = []
    for path in (settings.TTHC["PROCEDURES_SAMPLE_FILE"], EXTRA_FILE):
        with open(path, encoding="utf-8") as handle:
            rows += json.load(handle)["procedures"]
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            report = procedures_import(rows, actor=None, publish_new=True)
            assert not report.errors, report.errors
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def matches(version, expected: str) -> bool:
    return expected in (version.name, version.procedure.code)


def test_the_set_is_large_and_varied() -> None:
    assert len(QUERIES) >= 30
    assert len({query for query, _ in QUERIES}) == len(QUERIES)
    assert {query for query, _ in QUERIES} >= OLD_FAILS


@pytest.mark.parametrize(
    ("query", "expected"),
    QUERIES,
    ids=[f"{'was wrong: ' if q in OLD_FAILS else ''}{q}" for q, _ in QUERIES],
)
def test_first_result(search_catalogue, db, query: str, expected: str) -> None:
    results = list(catalogue_search(query)[:5])

    assert results, f"{query!r}: no result"
    assert matches(results[0], expected), (query, [v.name[:60] for v in results])


def test_facets_count_what_the_search_finds(search_catalogue, db) -> None:
    for query in ("ho kinh doanh", "gplx", "1004122", "thủ tục đăng ký kết hôn"):
        total = catalogue_search(query).count()
        facets = catalogue_facets(query)
        assert total > 0, query
        assert sum(option.count for option in facets.levels) == total, query
        assert sum(option.count for option in facets.fields) == total, query
