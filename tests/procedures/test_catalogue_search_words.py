"""Catalogue search matches whole words, reads codes typed any way and takes its
abbreviations from data (procedures/search_vocabulary.json), not code.

Runs unchanged on SQLite (default) and PostgreSQL (DATABASE_URL=postgres://…).
"""

from __future__ import annotations

import pytest

from procedures.search import (
    CodeQuery,
    code_query,
    parse_query,
    vocabulary,
    vocabulary_from_data,
)
from procedures.selectors import catalogue_facets, catalogue_search
from tests.procedures.factories import published_procedure

pytestmark = pytest.mark.django_db


def names(versions) -> list[str]:
    return [version.name for version in versions]


def test_short_words_do_not_match_inside_other_words() -> None:
    published_procedure(name="Cấp giấy phép bán lẻ sản phẩm rượu")
    published_procedure(name="Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm")
    published_procedure(name="Đăng ký khai sinh")
    published_procedure(name="Cấp bản sao trích lục hộ tịch")

    # Folded, "bán" is "ban" and "toàn" is "toan": neither is the word "an";
    # "hộ" is not found inside "phòng"-like words, "sao" not inside "sản".
    assert names(catalogue_search("an")) == [
        "Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm"
    ]
    assert names(catalogue_search("ho tich")) == ["Cấp bản sao trích lục hộ tịch"]
    assert names(catalogue_search("sao")) == ["Cấp bản sao trích lục hộ tịch"]
    assert names(catalogue_search("ky")) == ["Đăng ký khai sinh"]
    assert catalogue_facets("an").levels[0].count == 1


def test_words_are_separated_by_punctuation_in_names_and_queries() -> None:
    published_procedure(name="Đăng ký khai sinh kết hợp nhận cha, mẹ, con")

    for query in ("cha me con", "cha,mẹ,con", "nhận cha/mẹ/con"):
        assert names(catalogue_search(query)) == ["Đăng ký khai sinh kết hợp nhận cha, mẹ, con"], (
            query
        )


def test_code_typed_without_dots_or_with_spaces() -> None:
    published_procedure(code="1.004122", name="Cấp giấy phép hành nghề khoan nước dưới đất")
    published_procedure(code="2.000884", code_suffix="000.00.00.H61", name="Chứng thực chữ ký")

    for query in ("1004122", "1 004122", "1.004122", "mã 1004122", "Mã TTHC: 1.004122"):
        assert names(catalogue_search(query)) == ["Cấp giấy phép hành nghề khoan nước dưới đất"], (
            query
        )
    for query in ("2000884", "2.000884.000.00.00.H61", "2000884.000.00.00.H61"):
        assert names(catalogue_search(query)) == ["Chứng thực chữ ký"], query


def test_code_query_shapes() -> None:
    assert code_query("1004122") == CodeQuery("1.004122", exact=True)
    assert code_query(" 1 004 122 ") == CodeQuery("1.004122", exact=True)
    assert code_query("1.014199.H05") == CodeQuery("1.014199", exact=True)
    assert code_query("mã số 2.000884") == CodeQuery("2.000884", exact=True)
    assert code_query("2.0008") == CodeQuery("2.0008", exact=False)
    assert code_query("20008") == CodeQuery("2.0008", exact=False)
    for not_a_code in ("2025", "khoan nước", "5.000 m3", "ma tuy", ""):
        assert code_query(not_a_code) is None, not_a_code


def test_abbreviations_come_from_the_vocabulary_file() -> None:
    words = vocabulary()
    assert ("giay", "phep", "lai", "xe") in words.abbreviations[("gplx",)]
    assert ("ho", "kinh", "doanh") in words.abbreviations[("hkd",)]
    # Keys are folded like queries: "ĐKKD", "đkkd" and "dkkd" are one key.
    assert parse_query("ĐKKD").terms == parse_query("dkkd").terms
    assert parse_query("đkkd").terms[0].alternatives == (
        ("dkkd",),
        ("dang", "ky", "kinh", "doanh"),
    )


def test_another_vocabulary_changes_the_parse_not_the_code() -> None:
    custom = vocabulary_from_data(
        {
            "abbreviations": {"Bằng lái": ["giấy phép lái xe"]},
            "optional_words": ["Làm ơn"],
        }
    )

    parsed = parse_query("làm ơn đổi bằng lái", custom)

    assert [t.optional for t in parsed.terms] == [True, True, False, False]
    assert parsed.terms[3].alternatives == (("bang", "lai"), ("giay", "phep", "lai", "xe"))
    assert [t.alternatives for t in parsed.required] == [
        (("doi",),),
        (("bang", "lai"), ("giay", "phep", "lai", "xe")),
    ]


def test_abbreviation_and_optional_words_in_the_search() -> None:
    published_procedure(name="Cấp đổi giấy phép lái xe")
    published_procedure(name="Cấp lại giấy phép lái xe")
    published_procedure(name="Đăng ký kết hôn")

    assert names(catalogue_search("cấp đổi GPLX")) == ["Cấp đổi giấy phép lái xe"]
    assert names(catalogue_search("gplx")) == [
        "Cấp đổi giấy phép lái xe",
        "Cấp lại giấy phép lái xe",
    ]
    # "thủ tục", "làm", "như thế nào" need not be in the procedure.
    assert names(catalogue_search("thủ tục làm đăng ký kết hôn như thế nào")) == ["Đăng ký kết hôn"]
    # Only optional words typed: they are then required.
    assert names(catalogue_search("thủ tục")) == []
