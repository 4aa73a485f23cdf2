"""The public procedure detail page and its form-template downloads, on the demo
catalogue (seed_demo) and on factories."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from procedures.models import OnlineLevel, Procedure, VersionStatus
from procedures.selectors import public_versions
from tests.procedures.factories import (
    ComponentFactory,
    ProcedureVersionFactory,
    published_procedure,
    rich_procedure,
)
from tests.procedures.pages import page


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
class TestDemoCatalogueDetail:
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


# --- factories: the page, hidden procedures, downloads ------------------------------


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
