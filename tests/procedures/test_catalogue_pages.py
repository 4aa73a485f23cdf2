"""The public catalogue pages, on the demo catalogue (seed_demo) and on factories."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import time
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from procedures.models import (
    OnlineLevel,
    Procedure,
    ProcedureVersion,
    VersionStatus,
    WorkflowStep,
)
from procedures.selectors import public_versions
from procedures.templatetags.catalogue import (
    fees_summary,
    processing_time,
    step_budget,
    vn_number,
    vnd,
)
from tests.procedures.factories import (
    ComponentFactory,
    ProcedureVersionFactory,
    published_procedure,
    rich_procedure,
)

DETAIL_LINK = re.compile(r'href="/thu-tuc/(\d+)/"')


@pytest.fixture(scope="class")
def demo_catalogue(django_db_setup, django_db_blocker) -> Iterator[None]:
    """seed_demo once for the class, rolled back at its end (see test_seed_demo).

    Class-scoped so the factory tests below never see the demo catalogue.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_demo", stdout=StringIO(), stderr=StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def seeded(demo_catalogue, db) -> None:
    return None


def page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def detail_of(client: Client, code: str) -> str:
    procedure = Procedure.objects.get(code=code)
    return page(client, reverse("procedures:detail", args=[procedure.pk]))


def submit_url(procedure: Procedure) -> str | None:
    try:
        return reverse("dossiers:submit_start", args=[procedure.pk])
    except NoReverseMatch:
        return None


def assert_online_button(content: str, procedure: Procedure, shown: bool) -> None:
    if not shown:
        assert "Nộp hồ sơ trực tuyến" not in content
        assert "chưa nhận hồ sơ trực tuyến" in content
        return
    assert "Nộp hồ sơ trực tuyến" in content
    url = submit_url(procedure)
    if url is None:
        assert re.search(r"<button[^>]*disabled[^>]*>\s*Nộp hồ sơ trực tuyến", content)
        assert "Sắp có" in content
    else:
        assert f'href="{url}"' in content


# --- the demo catalogue --------------------------------------------------------------


@pytest.mark.usefixtures("seeded")
class TestDemoCatalogue:
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

    def test_detail_of_a_water_licence(self, client: Client) -> None:
        content = detail_of(client, "1.004122")

        for text in (
            "Cấp giấy phép hành nghề khoan nước dưới đất",
            "Tài nguyên nước",
            "Sở Nông nghiệp và Môi trường",
            "22 ngày làm việc",
            "1.400.000 đ",
            "700.000 đ",
            "Trung tâm Phục vụ hành chính công tỉnh Cao Bằng",
            "Nghị định số 136/2025/NĐ-CP",
            "1949/QĐ-UBND",
            "18/11/2025",
            "Giấy phép hành nghề khoan nước dưới đất",
        ):
            assert text in content, text
        assert_online_button(content, Procedure.objects.get(code="1.004122"), shown=True)

    def test_detail_shows_components(self, client: Client) -> None:
        content = detail_of(client, "1.012644")
        version = Procedure.objects.get(code="1.012644").current_version

        assert version.components.count() == 4
        for component in version.components.all():
            assert component.name in content
        assert "Bản chính" in content
        assert "Bản sao" in content

    def test_detail_shows_the_seven_workflow_steps(self, client: Client) -> None:
        content = detail_of(client, "1.001806")

        assert content.count('class="workflow-step"') == 7
        assert "Phân công thụ lý" in content
        assert "0,5 ngày làm việc" in content
        assert "7 ngày làm việc" in content
        assert "không tính thời gian" in content
        assert "10 ngày làm việc" in content
        assert_online_button(content, Procedure.objects.get(code="1.001806"), shown=False)

    def test_detail_processing_time_words(self, client: Client) -> None:
        content = detail_of(client, "2.000884")
        assert "Trong ngày (sau 15:00 chuyển ngày làm việc tiếp theo)" in content

        immediate = public_versions().filter(time_unit="immediate").select_related("procedure")
        assert immediate.exists()
        content = page(client, reverse("procedures:detail", args=[immediate[0].procedure_id]))
        assert "Ngay khi nhận đủ hồ sơ" in content

    def test_online_button_follows_the_online_level(self, client: Client) -> None:
        for level in OnlineLevel.values:
            version = public_versions().filter(online_level=level).select_related("procedure")[0]
            content = page(client, reverse("procedures:detail", args=[version.procedure_id]))
            assert_online_button(content, version.procedure, shown=version.accepts_online)
            assert version.accepts_online == (level != OnlineLevel.NONE)

    def test_unknown_procedure_is_a_vietnamese_404(self, client: Client) -> None:
        content = page(client, reverse("procedures:detail", args=[999_999]), status=404)

        assert "Không tìm thấy thủ tục hành chính này" in content
        assert '<html lang="vi">' in content


# --- factories: pages, hidden procedures, downloads ---------------------------------


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return tmp_path


@pytest.mark.django_db
def test_detail_shows_every_part(client: Client) -> None:
    procedure = rich_procedure(
        code="1.004223",
        code_suffix="000.00.00.H48",
        applicant_types=["citizen", "business"],
        time_outcomes=[],
    )
    version = procedure.current_version
    version.legal_bases.update(effective_date=timezone.datetime(2025, 7, 1).date())
    content = page(client, reverse("procedures:detail", args=[procedure.pk]))

    for text in (
        "1.004223.000.00.00.H48",
        "Cấp giấy phép khai thác nước dưới đất",
        version.field.name,
        "Cấp tỉnh",
        version.implementing_agency.name,
        "Chủ tịch UBND tỉnh",
        "Văn phòng UBND tỉnh (phối hợp)",
        "Công dân Việt Nam",
        "Doanh nghiệp",
        "Bước 1: Nộp hồ sơ.",
        "Nộp qua dịch vụ bưu chính công ích",
        "Bưu điện tỉnh",
        "Đơn đề nghị cấp giấy phép",
        "Bản sao chứng thực",
        "Báo cáo kết quả thăm dò",
        "10 ngày làm việc (gồm nhiều giai đoạn) (sau 15:00 chuyển ngày làm việc tiếp theo)",
        "Thẩm định hồ sơ",
        "nếu có",
        "1.400.000 đ",
        "700.000 đ",
        "Lệ phí cấp phép",
        "200.000 đ",
        "Giấy phép",
        "Có đủ năng lực hành vi dân sự.",
        "có hiệu lực từ 01/07/2025",
        "Đã tiếp nhận",
        "7 ngày làm việc",
        "không tính thời gian",
        "1949/QĐ-UBND",
        "20/06/2025",
        "01/07/2025",
    ):
        assert text in content, text


@pytest.mark.django_db
def test_outcome_dependent_time_table(client: Client) -> None:
    procedure = published_procedure(
        time_kind="outcome_dependent",
        time_limit=10,
        time_outcomes=[{"outcome": "granted", "value": 10}, {"outcome": "refused", "value": 3}],
    )
    content = page(client, reverse("procedures:detail", args=[procedure.pk]))

    assert "Tối đa 10 ngày làm việc (tùy kết quả giải quyết)" in content
    assert "Chấp thuận, cấp" in content
    assert "3 ngày làm việc" in content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides",
    [
        {"is_internal": True},
        {"reception_locked": True},
        {"abolished_on": timezone.localdate()},
    ],
    ids=["internal", "locked", "abolished"],
)
def test_hidden_procedures_are_404(client: Client, overrides: dict) -> None:
    procedure = published_procedure(name="Thủ tục không công khai", **overrides)

    content = page(client, reverse("procedures:detail", args=[procedure.pk]), status=404)
    assert "Không tìm thấy" in content
    assert "Thủ tục không công khai" not in page(client, "/thu-tuc/?q=khong+cong+khai")


@pytest.mark.django_db
def test_procedure_without_current_version_is_404(client: Client) -> None:
    procedure = published_procedure()
    Procedure.objects.filter(pk=procedure.pk).update(current_version=None)

    page(client, reverse("procedures:detail", args=[procedure.pk]), status=404)


@pytest.mark.django_db
def test_detail_by_code_redirects(client: Client) -> None:
    procedure = published_procedure(code="2.000884", code_suffix="000.00.00.H61")

    response = client.get(reverse("procedures:detail_by_code", args=["2.000884.000.00.00.H61"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("procedures:detail", args=[procedure.pk])
    page(client, reverse("procedures:detail_by_code", args=["9.999999"]), status=404)


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


@pytest.mark.django_db
def test_form_template_download(client: Client, media: Path) -> None:
    procedure = published_procedure(components=0)
    component = ComponentFactory(
        version=procedure.current_version,
        name="Tờ khai đề nghị",
        form_template=ContentFile(b"Mau to khai", name="to-khai-mau-01.docx"),
    )
    detail = page(client, reverse("procedures:detail", args=[procedure.pk]))
    url = reverse("procedures:form_template", args=[component.pk])
    assert f'href="{url}"' in detail

    response = client.get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Mau to khai"
    assert "attachment" in response["Content-Disposition"]
    assert "to-khai-mau-01.docx" in response["Content-Disposition"]


@pytest.mark.django_db
def test_form_template_of_a_non_current_version_is_404(client: Client, media: Path) -> None:
    procedure = published_procedure(components=0)
    draft = ProcedureVersionFactory(procedure=procedure, number=2, status=VersionStatus.DRAFT)
    draft_component = ComponentFactory(
        version=draft, form_template=ContentFile(b"du thao", name="du-thao.docx")
    )
    internal = published_procedure(is_internal=True, components=0)
    internal_component = ComponentFactory(
        version=internal.current_version,
        form_template=ContentFile(b"noi bo", name="noi-bo.docx"),
    )
    without_file = ComponentFactory(version=procedure.current_version)

    for component in (draft_component, internal_component, without_file):
        content = page(client, reverse("procedures:form_template", args=[component.pk]), 404)
        assert "Không tìm thấy mẫu đơn, tờ khai này" in content
    page(client, reverse("procedures:form_template", args=[999_999]), 404)


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
