"""The public catalogue list and search page, on the demo catalogue (seed_demo)
and on factories, and the Vietnamese formatting its rows use."""

from __future__ import annotations

import re
from datetime import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from procedures.models import Procedure, ProcedureVersion, WorkflowStep
from procedures.selectors import public_versions
from procedures.templatetags.catalogue import (
    fees_summary,
    processing_time,
    step_budget,
    vn_number,
    vnd,
)
from tests.procedures.factories import published_procedure
from tests.procedures.pages import page

DETAIL_LINK = re.compile(r'href="/thu-tuc/(\d+)/"')


# --- the demo catalogue --------------------------------------------------------------


@pytest.mark.usefixtures("seeded")
class TestDemoCatalogueList:
    def test_list_shows_the_demo_catalogue_and_its_count(self, client: Client) -> None:
        expected = Procedure.objects.filter(
            current_version__isnull=False,
            current_version__is_internal=False,
            reception_locked=False,
        ).count()
        assert expected == public_versions().count()
        assert expected >= 60

        content = page(client, reverse("procedures:catalogue"))

        assert f"Tìm thấy <strong>{expected}</strong> thủ tục" in content
        assert content.count('<th scope="row" class="name"') == 20
        # Every public procedure is reachable through the page links.
        seen = set()
        pages = -(-expected // 20)
        for number in range(1, pages + 1):
            seen |= set(DETAIL_LINK.findall(page(client, f"/thu-tuc/?trang={number}")))
        assert len(seen) == expected

    def test_search_finds_sample_procedures(self, client: Client) -> None:
        for query in ("khoan nước dưới đất", "KHOAN NUOC", "1.004122"):
            content = page(client, f"/thu-tuc/?q={query}")
            assert "Cấp giấy phép hành nghề khoan nước dưới đất" in content, query
            assert "1.004122" in content
        content = page(client, "/thu-tuc/?q=chung+thuc+chu+ky")
        assert "2.000884.000.00.00.H61" in content
        assert "Trong ngày (sau 15:00 chuyển ngày làm việc tiếp theo)" in content

    def test_list_row_shows_every_column(self, client: Client) -> None:
        content = page(client, "/thu-tuc/?q=1.004122")
        row = content[content.index("<tbody>") : content.index("</tbody>")]

        for text in (
            "1.004122",
            "Cấp giấy phép hành nghề khoan nước dưới đất",
            "Tài nguyên nước",
            "Cấp tỉnh",
            "Sở Nông nghiệp và Môi trường",
            "22 ngày làm việc",
            "tag-online-partial",
            "1.400.000 đ (trực tuyến: 700.000 đ)",
        ):
            assert text in row, text


# --- factories ----------------------------------------------------------------------


@pytest.mark.django_db
def test_empty_result_is_explained(client: Client) -> None:
    published_procedure(name="Chứng thực chữ ký")

    content = page(client, "/thu-tuc/?q=xyz+khong+co")

    assert "Không tìm thấy thủ tục nào phù hợp với “xyz khong co”" in content
    assert "tìm theo mã thủ tục" in content
    assert "<table" not in content


@pytest.mark.django_db
def test_pagination_keeps_the_filters(client: Client) -> None:
    field = published_procedure(name="Thủ tục mẫu 0").current_version.field
    for n in range(1, 25):
        published_procedure(name=f"Thủ tục mẫu {n:02d}", field=field)

    content = page(client, f"/thu-tuc/?q=thu+tuc+mau&linh_vuc={field.pk}&cap=province")

    links = re.findall(r'href="(\?[^"]*trang=2[^"]*)"', content)
    assert links
    for link in links:
        assert "q=thu+tuc+mau" in link
        assert f"linh_vuc={field.pk}" in link
        assert "cap=province" in link
    second = page(client, f"/thu-tuc/{links[0].replace('&amp;', '&')}")
    assert second.count('<th scope="row" class="name"') == 5
    assert f'<option value="{field.pk}" selected>' in second


@pytest.mark.django_db
def test_pages_answer_head_and_refuse_post(client: Client) -> None:
    procedure = published_procedure()
    for url in ("/thu-tuc/", reverse("procedures:detail", args=[procedure.pk])):
        assert client.head(url).status_code == 200
        assert client.post(url).status_code == 405


@pytest.mark.django_db
def test_bad_parameters_are_ignored(client: Client) -> None:
    published_procedure(name="Chứng thực chữ ký")

    content = page(client, "/thu-tuc/?linh_vuc=abc&co_quan=-1&cap=xyz&truc_tuyen=1&trang=999")

    assert "Chứng thực chữ ký" in content


def test_phone_layout_stylesheet() -> None:
    css = (Path(settings.BASE_DIR) / "static" / "css" / "catalogue.css").read_text()

    assert "@media (max-width: 699.98px)" in css
    assert ".stack-table thead" in css
    assert "attr(data-label)" in css


# --- Vietnamese formatting ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1_400_000, "1.400.000"),
        (0, "0"),
        (999, "999"),
        (Decimal("0.50"), "0,5"),
        (Decimal("22.00"), "22"),
        (Decimal("1234.25"), "1.234,25"),
        (None, ""),
    ],
)
def test_vietnamese_numbers(value, expected: str) -> None:
    assert vn_number(value) == expected


def test_vnd() -> None:
    assert vnd(1_400_000) == "1.400.000 đ"
    assert vnd(None) == ""


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"time_limit": Decimal(22), "time_unit": "working_days"}, "22 ngày làm việc"),
        ({"time_limit": Decimal(15), "time_unit": "days"}, "15 ngày"),
        ({"time_limit": Decimal(4), "time_unit": "working_hours"}, "4 giờ làm việc"),
        (
            {"time_limit": None, "time_unit": "same_day", "cutoff_time": time(15)},
            "Trong ngày (sau 15:00 chuyển ngày làm việc tiếp theo)",
        ),
        ({"time_limit": None, "time_unit": "immediate"}, "Ngay khi nhận đủ hồ sơ"),
        ({"time_limit": None, "time_text": "Theo quy trình"}, "Theo quy trình"),
        ({"time_limit": None}, "Chưa có thông tin"),
    ],
)
def test_processing_time_in_words(fields: dict, expected: str) -> None:
    version = ProcedureVersion(**{"time_unit": "working_days", **fields})
    assert processing_time(version) == expected


def test_step_budget() -> None:
    assert step_budget(WorkflowStep(budget=Decimal("0.5"))) == "0,5 ngày làm việc"
    assert step_budget(WorkflowStep(budget=Decimal(4), budget_unit="working_hours")) == (
        "4 giờ làm việc"
    )
    assert step_budget(WorkflowStep(budget=Decimal(0), counted=False)) == "không tính thời gian"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fees", "expected"),
    [
        ([], "Chưa có thông tin"),
        ([{"amount_vnd": None, "online_amount_vnd": None}], "Theo biểu phí"),
        ([{"amount_vnd": 0, "online_amount_vnd": None}], "Miễn phí"),
        ([{"amount_vnd": 10_000, "online_amount_vnd": None}], "10.000 đ"),
        (
            [{"amount_vnd": 1_400_000, "online_amount_vnd": 700_000}],
            "1.400.000 đ (trực tuyến: 700.000 đ)",
        ),
        (
            [
                {"amount_vnd": 1_400_000, "online_amount_vnd": None},
                {"amount_vnd": 200_000, "online_amount_vnd": None},
            ],
            "1.600.000 đ",
        ),
        (
            [
                {"amount_vnd": 500_000, "online_amount_vnd": None, "is_alternative": True},
                {"amount_vnd": 1_500_000, "online_amount_vnd": None, "is_alternative": True},
            ],
            "Từ 500.000 đ đến 1.500.000 đ",
        ),
    ],
)
def test_fees_summary(fees: list[dict], expected: str) -> None:
    procedure = published_procedure(fees=fees)
    assert fees_summary(procedure.current_version) == expected
