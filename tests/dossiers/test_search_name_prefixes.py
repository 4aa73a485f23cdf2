"""A name's last word only begun ("nguyen ha") is read on PostgreSQL from the
word beginnings the index stores ("hanh" → "ha>", "han>"), not by a prefix
scan of the index: the same dossiers, one intersection instead of gathering
every "ha…" word's rows first (dossiers migration 0024)."""

from __future__ import annotations

import pytest
from django.db import connection

from dossiers.models import Dossier
from dossiers.search_keys import NameTokensMatch
from tests.dossiers.search_support import base_dossier, copy_of
from tests.dossiers.test_online_submission import province, seeded_province  # noqa: F401

NAMES = ("Nguyễn Thị Hà", "Nguyễn Văn Hải", "Nguyễn Hạnh", "Trần Thị Hà", "Nguyễn Văn Thanh",
         "Hà Nguyễn", "Công ty Hải Hà")  # fmt: skip


@pytest.fixture
def named(users, online_procedure) -> dict[str, int]:
    first = base_dossier(users, online_procedure, applicant_name=NAMES[0])
    found = {NAMES[0]: first.pk}
    for n, name in enumerate(NAMES[1:]):
        copy = copy_of(first, code=f"000.00.10.H99-250405-{n:04d}", applicant_name=name)
        found[name] = copy.pk
    return found


def matching(named: dict[str, int], *tokens: str) -> set[str]:
    by_pk = {pk: name for name, pk in named.items()}
    pks = Dossier.objects.filter(NameTokensMatch(tokens)).values_list("pk", flat=True)
    return {by_pk[pk] for pk in pks}


def test_the_index_holds_every_proper_beginning_of_a_word(require_postgres):
    with connection.cursor() as cursor:
        cursor.execute("SELECT tthc_name_prefixes(%s), tthc_name_prefixes('')", ["nguyen van hanh"])
        prefixes, empty = cursor.fetchone()
    assert set(prefixes) == {"ng>", "ngu>", "nguy>", "nguye>", "va>", "ha>", "han>"}
    assert empty == []


@pytest.mark.django_db
def test_a_begun_last_word_is_a_stored_beginning_not_a_prefix_scan(require_postgres):
    sql, params = Dossier.objects.filter(NameTokensMatch(["nguyen", "ha"])).query.sql_with_params()
    assert ":*" not in " ".join(map(str, params)) and ":*" not in sql
    assert "'ha>'" in params and "'nguyen'" in params


@pytest.mark.django_db
def test_the_same_dossiers_as_a_word_begun(named):
    """On either database: the last word whole or begun, the others whole."""
    assert matching(named, "nguyen", "ha") == {
        "Nguyễn Thị Hà", "Nguyễn Văn Hải", "Nguyễn Hạnh", "Hà Nguyễn",
    }  # fmt: skip
    assert matching(named, "ha", "nguyen") == {"Nguyễn Thị Hà", "Hà Nguyễn"}
    assert matching(named, "hai") == {"Nguyễn Văn Hải", "Công ty Hải Hà"}
    assert matching(named, "nguyen", "van", "t") == {"Nguyễn Văn Thanh"}  # one letter
    assert matching(named, "thanh") == {"Nguyễn Văn Thanh"}  # a word ending it: not "hanh"


@pytest.mark.django_db
def test_a_name_search_is_planned_without_parallel_workers(require_postgres):
    """A small read whose workers' start cost more than they save: the prefix
    function is declared parallel unsafe, so no plan of a name search has a
    worker, even where every query that may have one is forced to."""
    force = "debug_parallel_query" if connection.pg_version >= 160000 else "force_parallel_mode"
    query = Dossier.objects.filter(NameTokensMatch(["nguyen", "ha"])).values("pk")
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL {force} = on")
        plan = query.explain()
        unrelated = Dossier.objects.filter(applicant_name__contains="x").values("pk").explain()
    assert "Gather" not in plan, plan
    assert "Gather" in unrelated, unrelated  # the setting does force workers elsewhere
