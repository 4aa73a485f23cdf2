"""A name search over the whole province that PostgreSQL expects to match many
dossiers reads the newest first — as many as should hold twice the page's
count: when they hold more matches than the page counts, those are the first
results; otherwise the rest is searched too. Either way the ids are exactly
what one search of the whole table gives, in the same order."""

from __future__ import annotations

import pytest

from dossiers import selectors_search
from dossiers.models import Dossier
from dossiers.selectors_search import first_result_ids, search_plan, staff_search
from tests.dossiers.search_support import base_dossier, copy_of
from tests.dossiers.test_online_submission import province, seeded_province  # noqa: F401

MANY = lambda results: (10**6, 10**6)  # noqa: E731 - the planner's (matches, table rows)

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
    monkeypatch.setattr(selectors_search, "_planner_estimate", MANY)
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
    monkeypatch.setattr(selectors_search, "_planner_estimate", MANY)
    office = users[OFFICE]
    first_result_ids(office, search_plan("nguyen an"), cap=CAP)

    with django_assert_num_queries(3):  # … then the whole table
        ids = first_result_ids(office, search_plan("nguyen an"), cap=CAP)
    assert ids == whole_table(office, "nguyen an") == namesakes[::-1][: CAP + 1]


@pytest.mark.django_db
def test_a_unit_search_never_splits(users, namesakes, monkeypatch, django_assert_num_queries):
    """A desk officer's agencies narrow the index already: one read."""
    monkeypatch.setattr(selectors_search, "NEWEST_IDS", 5)
    monkeypatch.setattr(selectors_search, "_planner_estimate", MANY)
    desk = users[DESK]
    first_result_ids(desk, search_plan("nguyen an"), cap=CAP)

    with django_assert_num_queries(2):  # the same as a split that sufficed
        ids = first_result_ids(desk, search_plan("nguyen an"), cap=CAP)
    assert ids == whole_table(desk, "nguyen an") == namesakes[::-1][: CAP + 1]


@pytest.mark.django_db
def test_a_name_expected_rare_is_searched_once(users, namesakes, monkeypatch,
                                               django_assert_num_queries):  # fmt: skip
    monkeypatch.setattr(selectors_search, "NEWEST_IDS", 8)
    monkeypatch.setattr(selectors_search, "_planner_estimate", lambda results: (4 * CAP, 10**6))
    office = users[OFFICE]
    first_result_ids(office, search_plan("nguyen an"), cap=CAP)

    with django_assert_num_queries(2):  # the user's agencies, the whole table
        ids = first_result_ids(office, search_plan("nguyen an"), cap=CAP)
    assert ids == namesakes[::-1][: CAP + 1]


def test_the_window_holds_twice_the_cap_by_the_planners_estimate(monkeypatch):
    """At 1M dossiers: 28,000 namesakes need no more than the newest 100,000;
    8,000 need the newest 250,000 (a fixed 100,000 sent them to a full read);
    6,000 or fewer are read whole."""
    window = selectors_search._newest_window
    estimate = lambda matches: lambda results: (matches, 10**6)  # noqa: E731
    for matches, expected in ((28_000, 100_000), (8_000, 250_000), (6_001, 333_278),
                              (6_000, None), (0, None)):  # fmt: skip
        monkeypatch.setattr(selectors_search, "_planner_estimate", estimate(matches))
        assert window(None, 1000) == expected, matches


@pytest.mark.django_db
def test_postgresql_expects_from_its_statistics(require_postgres, users, namesakes):
    """The planner's estimates of the matches and of the table's rows."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE dossiers_dossier")
    results = staff_search(users[OFFICE], search_plan("nguyen an")).values_list("pk", flat=True)
    matches, rows = selectors_search._planner_estimate(results)
    assert 0 < matches <= rows
    assert rows == Dossier.objects.count()
