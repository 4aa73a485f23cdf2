"""The citizen's "Hồ sơ của tôi" finds their own dossiers the way staff search:
by code or its last digits, name with or without diacritics, phone — and
never anyone else's."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from dossiers.models import Dossier, Status
from tests.dossiers.search_support import base_dossier, copy_of, listed
from tests.dossiers.test_online_submission import (  # noqa: F401 - fixtures
    CITIZEN,
    OTHER_CITIZEN,
    province,
    seeded_province,
)

URL = "/ho-so/"


def test_my_dossiers_are_searched_the_staff_way(client, users, online_procedure):
    mine = base_dossier(
        users, online_procedure, applicant_name="Nguyễn Văn An", applicant_phone="0912345678"
    )
    returned = copy_of(
        mine, code="000.00.10.H99-250304-0042", status=Status.RETURNED,
        applicant_name="Hộ kinh doanh Đức Thành",
    )  # fmt: skip
    theirs = copy_of(
        mine, code="000.00.10.H99-250304-1042", applicant_id=users[OTHER_CITIZEN].pk,
        applicant_name="Hộ kinh doanh Đức Thành",
    )  # fmt: skip
    client.force_login(users[CITIZEN])

    def found(q: str, **extra) -> set[int]:
        return set(listed(client.get(URL, {"tim": q, **extra})))

    assert found(mine.code) == {mine.pk}
    assert found("0042") == {returned.pk}
    assert found("ho kinh doanh duc thanh") == {returned.pk}
    assert found("Hộ kinh doanh Đức Thành") == {returned.pk}
    assert found("0912 345 678") == {mine.pk, returned.pk}
    assert found("1042") == set()  # another citizen's code
    assert theirs.pk not in found("duc thanh")
    # The status tabs count what the search found, and keep it.
    html = client.get(URL, {"tim": "duc thanh"}).content.decode()
    assert "tim=duc+thanh" in html and "nhom=da-co-ket-qua" in html
    assert found("duc thanh", nhom="da-co-ket-qua") == {returned.pk}
    assert found("duc thanh", nhom="dang-xu-ly") == set()


def test_too_short_a_search_finds_nothing_and_says_why(client, users, online_procedure):
    base_dossier(users, online_procedure)
    client.force_login(users[CITIZEN])
    response = client.get(URL, {"tim": "7"})

    assert listed(response) == {}
    assert "Hãy nhập ít nhất 3 chữ số" in response.content.decode()


def test_searching_costs_no_query_per_row(client, users, online_procedure):
    mine = base_dossier(users, online_procedure, applicant_name="Lê Thị Lan")
    client.force_login(users[CITIZEN])

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(URL, {"tim": "le thi lan"}).status_code == 200
        return len(context.captured_queries)

    one = queries()
    for n in range(15):
        copy_of(mine, code=f"000.00.10.H99-250401-{n:04d}")
    assert queries() == one
    assert Dossier.objects.filter(applicant=users[CITIZEN], search_name="le thi lan").count() == 16
