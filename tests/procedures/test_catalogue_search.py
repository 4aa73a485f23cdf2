"""Catalogue search: folded, ranked in SQL, filtered, public versions only.

Runs unchanged on SQLite (default) and PostgreSQL (DATABASE_URL=postgres://…).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from procedures.models import Level, OnlineLevel, Procedure, VersionStatus
from procedures.selectors import (
    RANK_ALL_WORDS,
    RANK_CODE,
    RANK_EXACT_NAME,
    RANK_NAME_CONTAINS,
    RANK_NAME_PREFIX,
    catalogue_detail,
    catalogue_facets,
    catalogue_search,
    public_versions,
    search_terms,
)
from tests.factories import AgencyFactory
from tests.procedures.factories import (
    FieldFactory,
    ProcedureVersionFactory,
    bulk_catalogue,
    published_procedure,
)

pytestmark = pytest.mark.django_db


def names(versions) -> list[str]:
    return [version.name for version in versions]


def test_search_terms_fold_and_trim() -> None:
    assert search_terms("  Đăng KÝ,  “hộ”   kinh doanh ") == (
        "dang ky ho kinh doanh",
        ["dang", "ky", "ho", "kinh", "doanh"],
    )
    assert search_terms("") == ("", [])


def test_folded_query_finds_name_with_diacritics() -> None:
    published_procedure(name="Đăng ký hộ kinh doanh")
    published_procedure(name="Đăng ký kết hôn")
    published_procedure(name="Cấp giấy phép xây dựng")

    assert names(catalogue_search("dang ky ho kinh doanh")) == ["Đăng ký hộ kinh doanh"]
    assert names(catalogue_search("Đăng ký hộ kinh doanh")) == ["Đăng ký hộ kinh doanh"]


@pytest.mark.parametrize("query", ["CHỨNG THỰC", "chung thuc", "Chứng Thực", "  chứng   THUC  "])
def test_case_and_diacritics_do_not_matter(query: str) -> None:
    published_procedure(name="Chứng thực chữ ký")
    published_procedure(name="Cấp giấy phép khai thác nước dưới đất")

    assert names(catalogue_search(query)) == ["Chứng thực chữ ký"]


def test_words_match_in_any_order_and_all_must_be_present() -> None:
    published_procedure(name="Đăng ký hộ kinh doanh")

    assert names(catalogue_search("kinh doanh hộ đăng ký")) == ["Đăng ký hộ kinh doanh"]
    assert names(catalogue_search("doanh dang")) == ["Đăng ký hộ kinh doanh"]
    assert names(catalogue_search("đăng ký xe máy")) == []


def test_search_by_code_base_or_localised() -> None:
    published_procedure(code="2.000884", code_suffix="000.00.00.H61", name="Chứng thực chữ ký")
    published_procedure(code="2.000815", name="Chứng thực bản sao từ bản chính")

    for query in ("2.000884", "2.000884.000.00.00.H61", " 2.000884 "):
        results = list(catalogue_search(query))
        assert names(results) == ["Chứng thực chữ ký"], query
        assert results[0].rank == RANK_CODE
    assert names(catalogue_search("2.0008")) == [
        "Chứng thực bản sao từ bản chính",
        "Chứng thực chữ ký",
    ]


def test_ranking_exact_then_prefix_then_contains_then_words() -> None:
    published_procedure(name="Cấp bản sao và chứng thực chữ ký")  # contains
    published_procedure(name="Chữ ký trong chứng thực điện tử")  # all words only
    published_procedure(name="Chứng thực chữ ký người dịch")  # prefix
    published_procedure(name="Chứng thực chữ ký")  # exact
    published_procedure(name="Chứng thực hợp đồng")  # misses "chữ ký"

    results = list(catalogue_search("chứng thực chữ ký"))

    assert names(results) == [
        "Chứng thực chữ ký",
        "Chứng thực chữ ký người dịch",
        "Cấp bản sao và chứng thực chữ ký",
        "Chữ ký trong chứng thực điện tử",
    ]
    assert [v.rank for v in results] == [
        RANK_EXACT_NAME,
        RANK_NAME_PREFIX,
        RANK_NAME_CONTAINS,
        RANK_ALL_WORDS,
    ]


def test_punctuation_in_names_and_queries() -> None:
    published_procedure(name="Cấp, cấp lại giấy phép hoạt động")
    published_procedure(name="Giấy phép hoạt động, cấp lại")

    for query in ("Cấp, cấp lại", "cap cap lai"):
        results = list(catalogue_search(query))
        assert names(results) == [
            "Cấp, cấp lại giấy phép hoạt động",
            "Giấy phép hoạt động, cấp lại",
        ], query
    assert catalogue_search("Cấp, cấp lại")[0].rank == RANK_NAME_PREFIX
    assert catalogue_search("Giấy phép hoạt động, cấp lại")[0].rank == RANK_EXACT_NAME


def test_code_match_ranks_above_words_found_elsewhere() -> None:
    published_procedure(name="Hướng dẫn hồ sơ", result_text="Văn bản theo mẫu 2.000884")
    published_procedure(code="2.000884", name="Chứng thực chữ ký")

    results = list(catalogue_search("2.000884"))

    assert names(results) == ["Chứng thực chữ ký", "Hướng dẫn hồ sơ"]
    assert [v.rank for v in results] == [RANK_CODE, RANK_ALL_WORDS]


def test_same_rank_sorts_by_name_and_empty_query_lists_all_by_name() -> None:
    for name in ("Đăng ký thường trú", "Cấp phép", "Bổ nhiệm giám định viên"):
        published_procedure(name=name)

    assert names(catalogue_search("")) == [
        "Bổ nhiệm giám định viên",
        "Cấp phép",
        "Đăng ký thường trú",
    ]
    assert names(catalogue_search("   ")) == names(catalogue_search(""))


def test_rank_is_computed_by_the_database() -> None:
    published_procedure(name="Chứng thực chữ ký")
    results = catalogue_search("chứng thực")
    sql = str(results.query).upper()

    assert "CASE WHEN" in sql
    assert "ORDER BY" in sql
    assert results.query.order_by[:2] == ("rank", "closeness")
    assert results.query.order_by[-1] == "pk"


def test_like_wildcards_in_the_query_are_literal() -> None:
    published_procedure(name="Chứng thực chữ ký")

    assert names(catalogue_search("%")) == []
    assert names(catalogue_search("_")) == []
    assert names(catalogue_search("chu%ky")) == []


def test_filters_combine() -> None:
    water, certify = FieldFactory(name="Tài nguyên nước"), FieldFactory(name="Chứng thực")
    dept, commune = AgencyFactory(name="Sở Nông nghiệp"), AgencyFactory(name="UBND xã Tân Lập")
    published_procedure(
        name="Khoan nước A", field=water, implementing_agency=dept, online_level=OnlineLevel.FULL
    )
    published_procedure(
        name="Khoan nước B",
        field=water,
        implementing_agency=dept,
        online_level=OnlineLevel.PARTIAL,
    )
    published_procedure(
        name="Chứng thực C",
        field=certify,
        implementing_agency=commune,
        level=Level.COMMUNE,
        online_level=OnlineLevel.FULL,
    )
    published_procedure(
        name="Khoan nước D",
        field=water,
        implementing_agency=commune,
        level=Level.COMMUNE,
        online_level=OnlineLevel.FULL,
    )

    assert names(catalogue_search("", field=water.pk)) == [
        "Khoan nước A",
        "Khoan nước B",
        "Khoan nước D",
    ]
    assert names(catalogue_search("", field=water.pk, online_level=OnlineLevel.FULL)) == [
        "Khoan nước A",
        "Khoan nước D",
    ]
    assert names(
        catalogue_search(
            "khoan", field=water.pk, agency=commune.pk, level=Level.COMMUNE, online_level="full"
        )
    ) == ["Khoan nước D"]
    assert names(catalogue_search("khoan", agency=dept.pk, level=Level.COMMUNE)) == []
    assert names(catalogue_search("chung thuc", level=Level.COMMUNE)) == ["Chứng thực C"]
    # Model instances work as well as primary keys.
    assert names(catalogue_search("", field=water, agency=commune)) == ["Khoan nước D"]


def test_facets_count_each_filter_against_the_others() -> None:
    water, certify = FieldFactory(name="Tài nguyên nước"), FieldFactory(name="Chứng thực")
    dept = AgencyFactory(name="Sở Nông nghiệp")
    published_procedure(
        name="Khoan nước A", field=water, implementing_agency=dept, online_level=OnlineLevel.FULL
    )
    published_procedure(
        name="Khoan nước B", field=water, implementing_agency=dept, online_level=OnlineLevel.NONE
    )
    published_procedure(
        name="Chứng thực C",
        field=certify,
        implementing_agency=None,
        level=Level.COMMUNE,
        online_level=OnlineLevel.FULL,
    )
    published_procedure(name="Nội bộ", field=water, implementing_agency=dept, is_internal=True)

    facets = catalogue_facets()
    assert [(o.label, o.count) for o in facets.fields] == [
        ("Chứng thực", 1),
        ("Tài nguyên nước", 2),
    ]
    assert [(o.label, o.count) for o in facets.agencies] == [("Sở Nông nghiệp", 2)]
    assert [(o.value, o.count) for o in facets.levels] == [("province", 2), ("commune", 1)]
    assert [(o.value, o.count) for o in facets.online_levels] == [("full", 2), ("none", 1)]

    # Choosing "full online" narrows the other facets but not its own.
    facets = catalogue_facets(online_level=OnlineLevel.FULL)
    assert [(o.label, o.count) for o in facets.fields] == [
        ("Chứng thực", 1),
        ("Tài nguyên nước", 1),
    ]
    assert [(o.value, o.count) for o in facets.online_levels] == [("full", 2), ("none", 1)]

    # A query narrows every facet; a selected option stays even with no result.
    facets = catalogue_facets("khoan", field=certify.pk, level=Level.COMMUNE)
    assert [(o.label, o.count) for o in facets.fields] == [("Chứng thực", 0)]
    assert [(o.value, o.count) for o in facets.levels] == [("commune", 0)]
    assert facets.agencies == []


def test_internal_locked_abolished_and_non_current_never_appear() -> None:
    today = timezone.localdate()
    visible = published_procedure(name="Cấp phép công khai")
    hidden = [
        published_procedure(name="Cấp phép nội bộ", is_internal=True),
        published_procedure(name="Cấp phép đã khóa tiếp nhận", reception_locked=True),
        published_procedure(name="Cấp phép đã bãi bỏ", abolished_on=today - timedelta(days=1)),
        published_procedure(
            name="Cấp phép hết hiệu lực",
            valid_from=date(2024, 1, 1),
            valid_to=today,
        ),
    ]
    # A published version that is not (yet) the current one, and a draft.
    not_current = published_procedure(name="Cấp phép chưa kích hoạt")
    Procedure.objects.filter(pk=not_current.pk).update(current_version=None)
    ProcedureVersionFactory(
        procedure=visible, number=2, name="Cấp phép bản dự thảo", status=VersionStatus.DRAFT
    )

    assert names(catalogue_search("")) == ["Cấp phép công khai"]
    assert names(catalogue_search("cap phep")) == ["Cấp phép công khai"]
    assert names(catalogue_search("noi bo")) == []
    assert public_versions().count() == 1
    for procedure in [*hidden, not_current]:
        assert catalogue_detail(procedure.pk) is None
    assert catalogue_detail(visible.pk).name == "Cấp phép công khai"


def test_abolished_in_the_future_is_still_shown() -> None:
    published_procedure(
        name="Cấp phép sắp bãi bỏ", abolished_on=timezone.localdate() + timedelta(days=30)
    )

    assert names(catalogue_search("sap bai bo")) == ["Cấp phép sắp bãi bỏ"]


def test_detail_by_code() -> None:
    procedure = published_procedure(code="1.004122", name="Cấp giấy phép hành nghề khoan")

    assert catalogue_detail("1.004122").procedure_id == procedure.pk
    assert catalogue_detail(str(procedure.pk)).procedure_id == procedure.pk
    assert catalogue_detail("1.004122.000.00.00.H48").procedure_id == procedure.pk
    assert catalogue_detail("khoan") is None
    assert catalogue_detail("1.999999") is None


def test_search_scales_and_ranks_in_the_database() -> None:
    bulk_catalogue(300, name_prefix="Cấp phép hoạt động")
    published_procedure(name="Cấp phép hoạt động")

    results = catalogue_search("CAP PHEP HOAT DONG")

    assert results.count() == 301
    assert results[0].name == "Cấp phép hoạt động"
    assert results[0].rank == RANK_EXACT_NAME
    assert {v.rank for v in results[1:20]} == {RANK_NAME_PREFIX}
