"""Staff search (/tim-ho-so/): every kind of query, every state, only the
user's agencies, identifiers masked, ID searches audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dossiers.models import Dossier, Status
from dossiers.services.search import ID_SEARCH_ACTION, id_number_digest
from tests.dossiers.search_support import base_dossier, copy_of, listed
from tests.dossiers.test_online_submission import province, seeded_province  # noqa: F401
from tthc_portal.agencies.models import Agency
from tthc_portal.audit.models import AuditEvent

URL = "/tim-ho-so/"
DESK, HEAD_HEALTH, OFFICE = "motcua.tuphap", "lanhdao.yte", "vanphong"
HEALTH = "000.00.11.H99"
CITIZEN_ID = "036095001234"
TAX_CODE = "0101234567"


@pytest.fixture
def dossiers(users, online_procedure) -> dict[str, Dossier]:
    """Justice dossiers in several states, and one of the Health department."""
    first = base_dossier(
        users, online_procedure, applicant_name="Nguyễn Thị Hường",
        applicant_phone="0912 345 678", applicant_id_number=CITIZEN_ID,
    )  # fmt: skip
    returned = copy_of(
        first, code="000.00.10.H99-250304-0042", status=Status.RETURNED,
        applicant_name="Công ty TNHH Đại Phát", applicant_phone="+84 24 3825 1111",
        applicant_id_number=TAX_CODE,
    )  # fmt: skip
    stopped = copy_of(
        first, code="000.00.10.H99-250305-0007", status=Status.STOPPED,
        applicant_name="Trần Văn Bình", applicant_phone="0988000111",
        applicant_id_number="001090000777",
    )  # fmt: skip
    elsewhere = copy_of(
        first, code="000.00.11.H99-250304-0042", applicant_name="Nguyễn Thị Hường",
        receiving_agency_id=Agency.objects.get(code=HEALTH).pk, processing_agency_id=None,
    )  # fmt: skip
    draft = copy_of(first, code=None, status=Status.DRAFT)
    return {"first": first, "returned": returned, "stopped": stopped, "elsewhere": elsewhere,
            "draft": draft}  # fmt: skip


def search(client, q: str, theo: str = "") -> dict[int, str]:
    return listed(client.get(URL, {"q": q, "theo": theo}))


def test_every_kind_of_query_finds_the_dossier(client, users, dossiers):
    client.force_login(users[DESK])
    first, returned, stopped = dossiers["first"], dossiers["returned"], dossiers["stopped"]

    assert set(search(client, first.code)) == {first.pk}
    assert set(search(client, first.code.lower())) == {first.pk}
    assert set(search(client, "0042")) == {returned.pk}  # last digits
    assert set(search(client, "250305-0007")) == {stopped.pk}
    assert set(search(client, "Nguyễn Thị Hường")) == {first.pk}  # accented
    assert set(search(client, "nguyen thi huong")) == {first.pk}  # unaccented
    assert set(search(client, "HUONG")) == {first.pk}
    assert set(search(client, "đại phát")) == {returned.pk}
    assert set(search(client, "0912345678")) == {first.pk}  # phone
    assert set(search(client, "+84 912 345 678")) == {first.pk}
    assert set(search(client, "024.3825.1111")) == {returned.pk}  # landline, other format
    assert set(search(client, CITIZEN_ID)) == {first.pk}  # ID number
    assert set(search(client, TAX_CODE)) == {returned.pk}  # tax code
    assert set(search(client, "Bình", theo="ten")) == {stopped.pk}


def test_returned_and_stopped_are_found_drafts_are_not(client, users, dossiers):
    client.force_login(users[DESK])
    returned, stopped = search(client, "0042"), search(client, "0007")

    assert "Đã trả kết quả" in returned[dossiers["returned"].pk]
    assert "Dừng xử lý" in stopped[dossiers["stopped"].pk]
    # The draft is a copy of the first dossier: same name, phone and ID number.
    assert set(search(client, "nguyen thi huong")) == {dossiers["first"].pk}
    assert set(search(client, CITIZEN_ID)) == {dossiers["first"].pk}


def test_another_agencys_dossier_is_not_found(client, users, dossiers):
    elsewhere = dossiers["elsewhere"]
    client.force_login(users[DESK])
    assert elsewhere.pk not in search(client, "nguyen thi huong")
    assert search(client, elsewhere.code) == {}

    client.force_login(users[HEAD_HEALTH])
    assert set(search(client, "nguyen thi huong")) == {elsewhere.pk}

    client.force_login(users[OFFICE])  # the provincial office sees the whole province
    assert set(search(client, "nguyen thi huong")) == {dossiers["first"].pk, elsewhere.pk}


def test_id_numbers_match_only_in_full_and_are_masked(client, users, dossiers):
    client.force_login(users[DESK])
    assert search(client, CITIZEN_ID[:-1], theo="dinh-danh") == {}
    assert search(client, CITIZEN_ID[-6:], theo="dinh-danh") == {}
    response = client.get(URL, {"q": "Nguyễn Thị Hường"})

    html = response.content.decode()
    assert dossiers["first"].pk in listed(response)
    assert CITIZEN_ID not in html
    assert "•" * 9 + CITIZEN_ID[-3:] in html


def test_a_search_by_id_number_is_audited_without_the_number(client, users, dossiers):
    client.force_login(users[DESK])
    search(client, "Nguyễn Thị Hường")
    assert not AuditEvent.objects.filter(action=ID_SEARCH_ACTION).exists()

    search(client, CITIZEN_ID)

    event = AuditEvent.objects.get(action=ID_SEARCH_ACTION)
    assert event.actor == users[DESK]
    assert event.after["found"] == 1
    assert event.after["id_number_hash"] == id_number_digest(CITIZEN_ID)
    assert CITIZEN_ID not in str(event.after) and CITIZEN_ID not in event.target_repr


def test_too_short_a_query_explains_itself(client, users, dossiers):
    client.force_login(users[DESK])
    response = client.get(URL, {"q": "42"})

    assert 'data-testid="search-problem"' in response.content.decode()
    assert listed(response) == {}


def test_results_link_to_the_processing_page(client, users, dossiers):
    client.force_login(users[DESK])
    first = dossiers["first"]
    html = search(client, first.code)[first.pk]
    assert reverse("processing:dossier", args=[first.pk]) in html


def test_citizens_do_not_have_the_page(client, users, dossiers):
    client.force_login(users["001085012345"])
    assert client.get(URL, {"q": "nguyen"}).status_code == 404
    client.logout()
    assert client.get(URL).status_code == 302  # to the sign-in page


def test_pages_of_results_cost_the_same_queries(client, users, dossiers,
                                                django_assert_max_num_queries):  # fmt: skip
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(users[OFFICE])
    first = dossiers["first"]

    def queries(q: str) -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(URL, {"q": q}).status_code == 200
        return len(context.captured_queries)

    # The provincial office's name search reads the newest dossiers, then the
    # rest (selectors_search.first_result_ids): more queries than a code
    # search, but never more for more results.
    def lans(numbers: range) -> None:
        for n in numbers:
            copy_of(first, code=f"000.00.10.H99-250401-{n:04d}", applicant_name="Lê Thị Lan")

    lans(range(2))
    queries("le thi lan")  # per-process caches (content types)
    one = queries("le thi lan")
    lans(range(2, 30))
    many = queries("le thi lan")

    assert many == one
    response = client.get(URL, {"q": "le thi lan"})
    assert len(listed(response)) == 20
    assert "Tìm thấy 30 hồ sơ" in response.content.decode()
    assert len(listed(client.get(URL, {"q": "le thi lan", "trang": 2}))) == 10
