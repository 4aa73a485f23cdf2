"""A name search over the whole province reads the newest dossiers first: when
they hold more matches than the page counts, those are the first results;
otherwise the rest is searched too. Either way the ids are exactly what one
search of the whole table gives, in the same order."""

from __future__ import annotations

import pytest

from dossiers import selectors_search
from dossiers.selectors_search import first_result_ids, search_plan, staff_search
from tests.dossiers.search_support import base_dossier, copy_of
from tests.dossiers.test_online_submission import province, seeded_province  # noqa: F401

DESK, OFFICE = "motcua.tuphap", "vanphong"
CAP = 2


@pytest.fixture
def namesakes(users, online_procedure) -> list[int]:
    """Six "Nguyễn Văn An", oldest first, then four others, newest."""
    first = base_dossier(users, online_procedure, applicant_name="Nguyễn Văn An")
    ids = [first.pk]
    for n in range(5):
        ids.append(copy_of(first, code=f"000.00.10.H99-250402-{n:04d}").pk)
    for n in range(4):
        copy_of(first, code=f"000.00.10.H99-250403-{n:04d}", applicant_name="Trần Thị Bình")
    return ids


def whole_table(user, q: str) -> list[int]:
    return list(staff_search(user, search_plan(q)).values_list("pk", flat=True)[: CAP + 1])


@pytest.mark.django_db
def test_enough_recent_namesakes_answer_alone(users, namesakes, monkeypatch,
                                              django_assert_num_queries):  # fmt: skip
    monkeypatch.setattr(selectors_search, "NEWEST_IDS", 8)  # holds 4 of the 6 namesakes
    office = users[OFFICE]
    first_result_ids(office, search_plan("nguyen an"), cap=CAP)  # the user's permission cache

    # The user's agencies, then the newest dossiers' namesakes.
    with django_assert_num_queries(2):
        ids = first_result_ids(office, search_plan("nguyen an"), cap=CAP)
    assert ids == whole_table(office, "nguyen an") == namesakes[::-1][: CAP + 1]


@pytest.mark.django_db
def test_too_few_recent_namesakes_search_the_rest(users, namesakes, monkeypatch,
                                                  django_assert_num_queries):  # fmt: skip
    monkeypatch.setattr(selectors_search, "NEWEST_IDS", 5)  # 1 namesake among the newest 5
    office = users[OFFICE]
    first_result_ids(office, search_plan("nguyen an"), cap=CAP)

    with django_assert_num_queries(3):  # … then the whole table
        ids = first_result_ids(office, search_plan("nguyen an"), cap=CAP)
    assert ids == whole_table(office, "nguyen an") == namesakes[::-1][: CAP + 1]


@pytest.mark.django_db
def test_a_unit_search_never_splits(users, namesakes, monkeypatch, django_assert_num_queries):
    """A desk officer's agencies narrow the index already: one read."""
    monkeypatch.setattr(selectors_search, "NEWEST_IDS", 5)
    desk = users[DESK]
    first_result_ids(desk, search_plan("nguyen an"), cap=CAP)

    with django_assert_num_queries(2):  # the same as a split that sufficed
        ids = first_result_ids(desk, search_plan("nguyen an"), cap=CAP)
    assert ids == whole_table(desk, "nguyen an") == namesakes[::-1][: CAP + 1]
