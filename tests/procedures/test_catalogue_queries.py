"""The public pages run a fixed number of queries, whatever the catalogue size."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from procedures.models import ComponentRequirement, FeeItem, LegalBasis, WorkflowStep
from tests.factories import AgencyFactory
from tests.procedures.factories import (
    FieldFactory,
    bulk_catalogue,
    published_procedure,
    rich_procedure,
)
from tthc_portal.accounts.roles import Role

pytestmark = pytest.mark.django_db

# count + page + fees of the page + four facets; a guard against creeping queries.
MAX_LIST_QUERIES = 8
# version (with procedure, field, agency) + five child lists.
MAX_DETAIL_QUERIES = 7


def rows_on_page(content: str) -> int:
    return content.count('<th scope="row" class="name"')


def measure(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries), response.content.decode()


@pytest.fixture
def small_catalogue():
    field, agency = FieldFactory(name="Tài nguyên nước"), AgencyFactory(name="Sở Nông nghiệp")
    for n in range(5):
        published_procedure(
            name=f"Thủ tục cấp phép {n}",
            field=field,
            implementing_agency=agency,
            online_level="full",
            fees=[{"amount_vnd": 10_000 * n}, {"name": "Lệ phí", "amount_vnd": 5_000}],
        )
    return field, agency


def catalogue_urls(field, agency) -> list[str]:
    base = reverse("procedures:catalogue")
    return [
        base,
        f"{base}?linh_vuc={field.pk}&co_quan={agency.pk}&cap=province&truc_tuyen=full",
        f"{base}?q=THU+TUC+cap",
        f"{base}?q=thủ+tục&linh_vuc={field.pk}&trang=2",
    ]


def test_list_filter_and_search_do_not_grow_with_the_catalogue(
    client: Client, small_catalogue, django_assert_num_queries
) -> None:
    field, agency = small_catalogue
    urls = catalogue_urls(field, agency)
    before = {}
    for url in urls:
        count, _content = measure(client, url)
        assert count <= MAX_LIST_QUERIES, (url, count)
        before[url] = count
    assert rows_on_page(measure(client, urls[0])[1]) == 5

    bulk_catalogue(60, field=field, agency=agency, name_prefix="Thủ tục cấp phép hàng loạt")

    for url in urls:
        with django_assert_num_queries(before[url]):
            response = client.get(url)
        assert response.status_code == 200
    first_page = client.get(urls[0]).content.decode()
    assert rows_on_page(first_page) == 20
    assert "<strong>65</strong>" in first_page
    assert rows_on_page(client.get(urls[3]).content.decode()) == 20


def test_detail_does_not_grow_with_its_content_or_the_catalogue(
    client: Client, django_assert_num_queries
) -> None:
    procedure = rich_procedure()
    url = reverse("procedures:detail", args=[procedure.pk])
    count, content = measure(client, url)
    assert count <= MAX_DETAIL_QUERIES
    assert "Đơn đề nghị cấp giấy phép" in content

    version = procedure.current_version
    agencies = [AgencyFactory() for _ in range(5)]
    version.coordinating_agencies.add(*agencies)
    ComponentRequirement.objects.bulk_create(
        [
            ComponentRequirement(version=version, order=10 + n, name=f"Phụ lục {n}")
            for n in range(40)
        ]
    )
    FeeItem.objects.bulk_create(
        [FeeItem(version=version, name=f"Khoản {n}", amount_vnd=1000 * n) for n in range(20)]
    )
    LegalBasis.objects.bulk_create(
        [LegalBasis(version=version, title=f"Văn bản {n}") for n in range(20)]
    )
    WorkflowStep.objects.bulk_create(
        [
            WorkflowStep(
                version=version,
                order=10 + n,
                name=f"Bước bổ sung {n}",
                actor_role=Role.SPECIALIST,
                budget=Decimal("0.5"),
            )
            for n in range(20)
        ]
    )
    bulk_catalogue(60)

    with django_assert_num_queries(count):
        response = client.get(url)
    content = response.content.decode()
    assert "Phụ lục 39" in content
    assert "Bước bổ sung 19" in content
    assert content.count('class="workflow-step"') == 23


def test_two_thousand_procedures_first_page_same_query_count(
    client: Client, small_catalogue, django_assert_num_queries
) -> None:
    field, agency = small_catalogue
    urls = catalogue_urls(field, agency)[:3]
    before = {url: measure(client, url)[0] for url in urls}

    bulk_catalogue(2000, field=field, agency=agency, name_prefix="Thủ tục cấp phép số")

    for url in urls:
        with django_assert_num_queries(before[url]):
            response = client.get(url)
        assert response.status_code == 200
    content = client.get(urls[0]).content.decode()
    assert rows_on_page(content) == 20
    assert "<strong>2.005</strong>" in content
    last = client.get(f"{urls[0]}?trang=101").content.decode()
    assert rows_on_page(last) == 5
