"""Staff search by name: every word typed must be a word of the name, in any
order, the last one possibly only begun; with or without diacritics; only in
the user's agencies; the same number of queries whatever is found."""

from __future__ import annotations

import pytest
from django.db import connection

from dossiers.models import Dossier
from dossiers.search_keys import NameTokensMatch, name_tokens
from dossiers.selectors_search import first_result_ids, search_plan, staff_search
from tests.dossiers.search_support import base_dossier, copy_of, listed
from tests.dossiers.test_online_submission import province, seeded_province  # noqa: F401
from tthc_portal.agencies.models import Agency

URL = "/tim-ho-so/"
DESK, OFFICE = "motcua.tuphap", "vanphong"
HEALTH = "000.00.11.H99"


@pytest.fixture
def people(users, online_procedure) -> dict[str, Dossier]:
    an = base_dossier(users, online_procedure, applicant_name="Nguyễn Văn An")
    names = {
        "anh": "Nguyễn Văn Anh",
        "an_reversed": "An Nguyễn Văn",
        "thi_an": "Nguyễn Thị An",
        "tuan": "Trần Văn Tuấn",  # "an" inside a word: not a word "an"
        "company": "Công ty TNHH A.B.C (Việt Nam)",
    }
    found = {"an": an}
    for n, (key, name) in enumerate(names.items()):
        found[key] = copy_of(an, code=f"000.00.10.H99-250401-{n:04d}", applicant_name=name)
    found["elsewhere"] = copy_of(
        an, code="000.00.11.H99-250401-0001", applicant_name="Nguyễn Văn An",
        receiving_agency_id=Agency.objects.get(code=HEALTH).pk, processing_agency_id=None,
    )  # fmt: skip
    return found


def found(client, q: str, theo: str = "") -> set[int]:
    return set(listed(client.get(URL, {"q": q, "theo": theo})))


def test_names_are_cut_into_folded_words():
    assert name_tokens("  Nguyễn   Văn An ") == ["nguyen", "van", "an"]
    assert name_tokens("Công ty A.B.C (Việt Nam)") == ["cong", "ty", "a", "b", "c", "viet", "nam"]
    assert name_tokens("%% -- ") == []


def test_every_word_is_needed_in_any_order_the_last_one_begun(client, users, people):
    client.force_login(users[DESK])
    p = {key: d.pk for key, d in people.items()}

    # "an" is the last word: "Anh" begins with it.
    assert found(client, "Nguyễn Văn An") == {p["an"], p["anh"], p["an_reversed"]}
    assert found(client, "nguyen van an") == {p["an"], p["anh"], p["an_reversed"]}
    # Not the last word: "an" must be a whole word, wherever it stands.
    assert found(client, "an nguyen van") == {p["an"], p["an_reversed"]}
    assert found(client, "van an nguyen") == {p["an"], p["an_reversed"]}
    assert found(client, "NGUYEN AN") == {p["an"], p["anh"], p["an_reversed"], p["thi_an"]}
    assert found(client, "nguyen van anh") == {p["anh"]}
    assert found(client, "nguyen van a") == {p["an"], p["anh"], p["an_reversed"]}
    # A word, never a piece inside one.
    assert found(client, "uyen", theo="ten") == set()
    assert p["tuan"] not in found(client, "van an")
    assert found(client, "tuan") == {p["tuan"]}
    assert found(client, "Tuấn Trần") == {p["tuan"]}
    assert found(client, "nguyen van binh") == set()


def test_punctuation_separates_words(client, users, people):
    client.force_login(users[DESK])
    company = people["company"].pk

    assert found(client, "a.b.c") == {company}
    assert found(client, "cong ty a b c viet nam") == {company}
    assert found(client, "(việt nam)") == {company}


def test_another_agencys_namesake_is_not_found(client, users, people):
    client.force_login(users[DESK])
    assert people["elsewhere"].pk not in found(client, "nguyen van an")

    client.force_login(users[OFFICE])  # the provincial office: every agency
    assert people["elsewhere"].pk in found(client, "nguyen van an")


def test_no_word_is_a_problem_not_a_search(client, users, people):
    client.force_login(users[DESK])
    response = client.get(URL, {"q": "%%"})
    assert 'data-testid="search-problem"' in response.content.decode()
    assert search_plan("%%").condition is None
    assert search_plan("a", "ten").condition is None  # one letter is too little


def test_the_search_costs_the_same_queries_whatever_it_finds(
    users, people, django_assert_num_queries
):
    first = people["an"]
    for n in range(25):
        copy_of(first, code=f"000.00.10.H99-250402-{n:04d}", applicant_name="Lê Thị Lan")
    user = users[DESK]
    user.refresh_from_db()

    def read(q: str) -> tuple[int, list[int]]:
        ids = first_result_ids(user, search_plan(q))
        return len(ids), ids[:20]

    read("le thi lan")  # the user's permission cache
    # The user's agencies, then one read of the ids: the count and the page.
    with django_assert_num_queries(2):
        count, page = read("le thi lan")
    assert count == 25 and len(page) == 20
    assert page == sorted(page, reverse=True)  # newest first
    with django_assert_num_queries(2):
        assert read("nguyen van binh") == (0, [])
    with django_assert_num_queries(2):
        assert read(people["an"].code)[0] == 1  # any kind of query: the same


@pytest.mark.django_db
def test_postgresql_reads_the_words_index(require_postgres, users, people):
    """The query's expression is the index's, character for character: if they
    drift apart the search still answers, by reading the whole table. A desk
    officer's agencies are read in the index too."""
    query = Dossier.objects.filter(NameTokensMatch(["nguyen", "van", "an"])).values("pk")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = query.explain()
        assert "dossier_search_name_prefixes" in plan, plan
        # A handful of rows: walking the primary key would win; it is not what
        # is checked here.
        cursor.execute("SET LOCAL enable_indexscan = off")
        desk = staff_search(users[DESK], search_plan("nguyen van an")).order_by().values("pk")
        plan = desk.explain()
    assert "dossier_search_name_prefixes" in plan and "@r" in plan, plan
    assert set(desk.values_list("pk", flat=True)) == {
        people[key].pk for key in ("an", "anh", "an_reversed")
    }


@pytest.mark.django_db
def test_a_name_search_page_is_read_through_the_words_index(require_postgres, users, people):
    """A page of a name search, newest first, is read through the words index
    and sorted, never by walking the primary key backwards and folding every
    name on the way: the planner took that path for common family-and-given
    pairs ("nguyen an": 1 s for 35 rows at 1M dossiers)."""
    page = staff_search(users[DESK], search_plan("nguyen an")).values_list("pk", flat=True)[:20]
    with connection.cursor() as cursor:
        # Sorting made dear and the table scan ruled out: only an order the
        # primary key cannot give keeps the planner on the words index.
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = page.explain()
    assert "dossier_search_name_prefixes" in plan and "Backward" not in plan, plan
